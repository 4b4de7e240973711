package com.connectionkeeper.lifecycle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.amazonaws.services.lambda.runtime.events.DynamodbEvent;
import com.amazonaws.services.lambda.runtime.events.StreamsEventResponse;
import com.amazonaws.services.lambda.runtime.tests.EventLoader;
import com.connectionkeeper.core.incidents.IncidentRules;
import com.connectionkeeper.core.incidents.IncidentWatch;
import com.connectionkeeper.core.lifecycle.Announcer;
import com.connectionkeeper.core.log.Emf;
import com.connectionkeeper.eventbus.EventBridgePublisher;
import com.connectionkeeper.store.DynamoIncidentStore;
import com.connectionkeeper.store.DynamoTable;
import com.connectionkeeper.testkit.Fixtures;
import com.connectionkeeper.testkit.Integration;
import com.connectionkeeper.testkit.LoopbackEventBridge;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;

/**
 * The stream handler on the fixtures in events/, publishing to the loopback EventBridge, its incident watch on
 * dynalite.
 */
@Integration
class LifecycleHandlerTest {
    private LoopbackLifecycle local;
    private String table;
    private LoopbackEventBridge bus;
    private EventBridgeClient client;
    private LifecycleHandler handler;

    @BeforeEach
    void start() throws Exception {
        local = new LoopbackLifecycle(2, Emf.DEFAULT_NAMESPACE);
        table = local.table;
        bus = local.bus;
        client = local.client;
        handler = local.handler;
    }

    @AfterEach
    void stop() {
        local.close();
    }

    static DynamodbEvent fixture(String name) {
        return EventLoader.loadDynamoDbEvent(Fixtures.path(name).toString());
    }

    private List<String> failures(StreamsEventResponse response) {
        return response.getBatchItemFailures().stream().map(StreamsEventResponse.BatchItemFailure::getItemIdentifier)
                .toList();
    }

    private JsonNode only(String detailType) {
        List<LoopbackEventBridge.Entry> accepted = bus.accepted();
        assertEquals(1, accepted.size(), accepted.toString());
        assertEquals(detailType, accepted.get(0).detailType());
        assertEquals("connection-keeper", accepted.get(0).source());
        assertEquals("ck-bus", accepted.get(0).busName());
        return accepted.get(0).detail();
    }

    @Test
    void aBreak() {
        assertEquals(List.of(), failures(handler.handleRequest(fixture("stream-connection-broken.json"), null)));
        JsonNode d = only("Connection Broken");
        assertEquals(1, d.get("version").asInt());
        assertEquals("2026-03-01T12:30:00Z", d.get("time").asText(), "the record's creation time");
        JsonNode data = d.get("data");
        assertEquals("user-42", data.get("userId").asText());
        assertEquals("conn-7", data.get("connectionId").asText());
        assertEquals("ROBINHOOD", data.get("brokerage").get("slug").asText());
        assertEquals("brk-robinhood", data.get("brokerage").get("id").asText());
        assertEquals("trade", data.get("type").asText());
        assertEquals("ACTIVE", data.get("from").asText());
        assertEquals("BROKEN", data.get("to").asText());
        assertEquals("2026-03-01T10:00:00Z", data.get("at").asText());
        assertEquals("webhook", data.get("cause").asText());
        assertEquals("2026-03-01T10:00:00Z", data.get("brokenSince").asText());
        assertTrue(data.get("needsReconnect").asBoolean());
        assertFalse(data.get("suspectedIncident").asBoolean(), "one break is no incident");
        assertTrue(data.get("incidentId").isNull());
    }

    @Test
    void aBrokerageIncidentSuspected() {
        assertEquals(List.of(), failures(handler.handleRequest(fixture("stream-incident-suspected.json"), null)));
        JsonNode d = only("Brokerage Incident Suspected");
        JsonNode data = d.get("data");
        assertEquals("brk-robinhood", data.get("brokerage").get("id").asText());
        assertEquals("Robinhood", data.get("brokerage").get("name").asText());
        assertEquals("suspected", data.get("status").asText());
        assertEquals("2026-03-01T09:41:07Z", data.get("since").asText());
        assertEquals("2026-03-01T10:00:00Z", data.get("until").asText());
        assertEquals(30, data.get("windowMinutes").asInt());
        assertEquals(212, data.get("breaks").asInt());
        assertEquals(480, data.get("knownConnections").asInt());
        assertEquals("2026-03-01T10:00:02Z", data.get("suspectedAt").asText());
        assertTrue(data.get("endedAt").isNull());
        assertTrue(data.get("endReason").isNull());
        assertTrue(data.get("total").isNull());
        assertTrue(data.get("stillBroken").isNull());
        assertFalse(data.has("userId"), "about a brokerage, not a user");
    }

    @Test
    void aBrokerageIncidentEndedCarriesTheSuspectedOnesIncidentId() {
        handler.handleRequest(fixture("stream-incident-suspected.json"), null);
        JsonNode suspected = only("Brokerage Incident Suspected");
        bus.clear();
        assertEquals(List.of(), failures(handler.handleRequest(fixture("stream-incident-ended.json"), null)));
        JsonNode ended = only("Brokerage Incident Ended");
        JsonNode data = ended.get("data");
        assertEquals(suspected.get("data").get("incidentId"), data.get("incidentId"));
        assertFalse(suspected.get("id").equals(ended.get("id")), "two events, two ids");
        assertEquals("ended", data.get("status").asText());
        assertEquals("2026-03-01T13:20:00Z", data.get("endedAt").asText());
        assertEquals("repaired", data.get("endReason").asText());
        assertEquals(230, data.get("total").asInt());
        assertEquals(96, data.get("stillBroken").asInt());
        bus.clear();
        handler.handleRequest(fixture("stream-incident-ended.json"), null);
        assertEquals(ended.get("id"), only("Brokerage Incident Ended").get("id"), "a replay: the same id");
    }

    @Test
    void whenIncidentAwarenessCannotReachTheTableTheEventsArePublishedUnmarked() throws Exception {
        int closedPort;
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        IncidentRules rules = IncidentRules.defaults();
        try (DynamoDbClient unreachable = DynamoDbClient.builder()
                .endpointOverride(java.net.URI.create("http://127.0.0.1:" + closedPort))
                .region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local")))
                .httpClient(UrlConnectionHttpClient.create())
                .overrideConfiguration(c -> c.retryStrategy(software.amazon.awssdk.core.retry.RetryMode.STANDARD)
                        .apiCallTimeout(Duration.ofSeconds(5)))
                .build()) {
            LifecycleHandler cut = new LifecycleHandler(new Announcer(
                    new EventBridgePublisher(client, "ck-bus", 2, Duration.ZERO, d -> { })),
                    new IncidentWatch(new DynamoIncidentStore(new DynamoTable(unreachable, table),
                            rules.breakRetention()), rules), Clock.systemUTC());
            assertEquals(List.of(), failures(cut.handleRequest(fixture("stream-connection-broken.json"), null)));
        }
        JsonNode data = only("Connection Broken").get("data");
        assertFalse(data.get("suspectedIncident").asBoolean());
    }

    @Test
    void aFixFromThePortal() {
        handler.handleRequest(fixture("stream-connection-fixed.json"), null);
        JsonNode data = only("Connection Fixed").get("data");
        assertEquals("portal", data.get("cause").asText());
        assertEquals("2026-03-01T10:00:00Z", data.get("brokenSince").asText(), "how long it was broken");
        assertEquals(false, data.get("needsReconnect").asBoolean());
    }

    @Test
    void firstSight() {
        handler.handleRequest(fixture("stream-connection-added.json"), null);
        assertTrue(only("Connection Added").get("data").get("from").isNull());
        bus.clear();
        handler.handleRequest(fixture("stream-connection-first-seen-broken.json"), null);
        JsonNode data = only("Connection Broken").get("data");
        assertTrue(data.get("from").isNull());
        assertEquals("sweep", data.get("cause").asText());
    }

    @Test
    void aReminderStepTheReminderRunRecorded() {
        assertEquals(List.of(), failures(handler.handleRequest(fixture("stream-connection-reminder.json"), null)));
        JsonNode data = only("Connection Reconnect Reminder").get("data");
        assertEquals(2, data.get("step").asInt());
        assertEquals(3, data.get("daysBroken").asInt());
        assertEquals("2026-03-01T10:00:00Z", data.get("brokenSince").asText());
        assertEquals("2026-03-04T10:05:00Z", data.get("at").asText());
        assertTrue(data.get("linkIssuedSinceLastReminder").asBoolean(), "a link on day 2, after the first reminder (day 1)");
        assertEquals("ROBINHOOD", data.get("brokerage").get("slug").asText());
    }

    @Test
    void aUserDeletionAndItsConnections() {
        handler.handleRequest(fixture("stream-user-deleted.json"), null);
        assertEquals(List.of("User Deleted", "Connection Deleted"),
                bus.accepted().stream().map(LoopbackEventBridge.Entry::detailType).toList());
        assertEquals("api", bus.accepted().get(0).detail().get("data").get("cause").asText());
        assertEquals(1, bus.calls().size());
        assertTrue(bus.accepted().stream().noneMatch(e -> e.detail().toString().contains("sealed-or-not")),
                "the user's secret stays in the table");
    }

    @Test
    void writesThatChangeNoStatusPublishNothing() {
        DynamodbEvent batch = fixture("stream-no-transition.json");
        assertEquals(7, batch.getRecords().size(), "five writes, a break record and a member record");
        assertEquals(List.of(), failures(handler.handleRequest(batch, null)));
        assertEquals(List.of(), bus.calls(), "not even an empty call");
    }

    @Test
    void aReplayedBatchCarriesTheSameIds() {
        handler.handleRequest(fixture("stream-user-deleted.json"), null);
        List<String> first = ids();
        bus.clear();
        handler.handleRequest(fixture("stream-user-deleted.json"), null);
        assertEquals(first, ids());
        assertEquals(2, first.stream().distinct().count());
    }

    @Test
    void partialFailuresAreExactlyThoseRecords() {
        DynamodbEvent batch = new DynamodbEvent();
        List<DynamodbEvent.DynamodbStreamRecord> records = new ArrayList<>();
        for (String name : List.of("stream-connection-added.json", "stream-no-transition.json",
                "stream-connection-broken.json", "stream-user-deleted.json", "stream-connection-fixed.json")) {
            records.addAll(fixture(name).getRecords());
        }
        batch.setRecords(records);
        // the user's deletion (4th record of the batch from the 5 no-transition ones on) fails for good
        bus.failEntries(e -> e.path("DetailType").asText().equals("User Deleted"), 100, "InternalFailure");
        StreamsEventResponse response = handler.handleRequest(batch, null);
        String userRecord = fixture("stream-user-deleted.json").getRecords().get(0).getDynamodb().getSequenceNumber();
        assertEquals(List.of(userRecord), failures(response));
        assertEquals(List.of("Connection Added", "Connection Broken", "Connection Deleted", "Connection Fixed"),
                bus.accepted().stream().map(LoopbackEventBridge.Entry::detailType).toList());
        List<String> firstIds = ids();

        // Lambda's retry: the batch again from the failed record on. The records after it that succeeded (the
        // user's connection's deletion, a fix) are not published a second time; the failed one now is.
        bus.clear();
        bus.failEntries(e -> false, 0, "InternalFailure");
        int from = sequences(batch).indexOf(userRecord);
        DynamodbEvent retry = new DynamodbEvent();
        retry.setRecords(new ArrayList<>(records.subList(from, records.size())));
        assertEquals(List.of(), failures(handler.handleRequest(retry, null)));
        assertEquals(List.of("User Deleted"),
                bus.accepted().stream().map(LoopbackEventBridge.Entry::detailType).toList());
        assertFalse(firstIds.contains(ids().get(0)));
    }

    private static List<String> sequences(DynamodbEvent batch) {
        return batch.getRecords().stream().map(r -> r.getDynamodb().getSequenceNumber()).toList();
    }

    /** A break and then a fix of the same connection, in one batch. */
    private static DynamodbEvent breakThenFix() {
        DynamodbEvent batch = new DynamodbEvent();
        List<DynamodbEvent.DynamodbStreamRecord> records = new ArrayList<>();
        records.addAll(fixture("stream-connection-broken.json").getRecords());
        records.addAll(fixture("stream-connection-fixed.json").getRecords());
        batch.setRecords(records);
        return batch;
    }

    @Test
    void aConnectionsEventsKeepTheirOrderWhenAnEarlierOneIsRetried() {
        bus.failEntries(e -> e.path("DetailType").asText().equals("Connection Broken"), 1, "ThrottlingException");
        assertEquals(List.of(), failures(handler.handleRequest(breakThenFix(), null)));
        assertEquals(List.of("Connection Broken", "Connection Fixed"),
                bus.accepted().stream().map(LoopbackEventBridge.Entry::detailType).toList());
    }

    /**
     * The break fails for good: the fix of the same connection is held back, both records are failures, and Lambda's
     * retry (from the lowest failed record) publishes them in order — a consumer de-duplicating on detail.id sees
     * the break, then the fix.
     */
    @Test
    void aLaterChangeOfTheSameConnectionWaitsForAnEarlierOneThatFailed() {
        bus.failEntries(e -> e.path("DetailType").asText().equals("Connection Broken"), 2, "InternalFailure");
        DynamodbEvent batch = breakThenFix();
        List<String> sequences = batch.getRecords().stream().map(r -> r.getDynamodb().getSequenceNumber()).toList();
        assertEquals(sequences, failures(handler.handleRequest(batch, null)));
        assertEquals(List.of(), bus.accepted(), "nothing of that connection went out");
        assertEquals(List.of(), failures(handler.handleRequest(breakThenFix(), null)));
        assertEquals(List.of("Connection Broken", "Connection Fixed"),
                bus.accepted().stream().map(LoopbackEventBridge.Entry::detailType).toList());
    }

    @Test
    void anUnreadableRecordFailsAloneAndTheRestIsPublished() {
        DynamodbEvent batch = fixture("stream-connection-broken.json");
        DynamodbEvent.DynamodbStreamRecord bad = fixture("stream-connection-added.json").getRecords().get(0);
        bad.getDynamodb().getNewImage().get("status").setS("HALF_BROKEN");
        List<DynamodbEvent.DynamodbStreamRecord> records = new ArrayList<>(batch.getRecords());
        records.add(0, bad);
        batch.setRecords(records);
        assertEquals(List.of(bad.getDynamodb().getSequenceNumber()), failures(handler.handleRequest(batch, null)));
        only("Connection Broken");
    }

    @Test
    void aBatchOfTwentyFiveChangesTakesThreeCalls() {
        DynamodbEvent batch = new DynamodbEvent();
        List<DynamodbEvent.DynamodbStreamRecord> records = new ArrayList<>();
        for (int i = 0; i < 25; i++) {
            DynamodbEvent.DynamodbStreamRecord r = fixture("stream-connection-broken.json").getRecords().get(0);
            r.getDynamodb().getNewImage().get("connectionId").setS("conn-" + i);
            r.getDynamodb().getOldImage().get("connectionId").setS("conn-" + i);
            r.getDynamodb().setSequenceNumber(Integer.toString(1000 + i));
            records.add(r);
        }
        batch.setRecords(records);
        assertEquals(List.of(), failures(handler.handleRequest(batch, null)));
        assertEquals(List.of(10, 10, 5), bus.calls().stream().map(c -> c.entries().size()).toList());
        assertEquals(25, bus.accepted().stream().map(e -> e.detail().get("id").asText()).distinct().count());
    }

    private List<String> ids() {
        return bus.accepted().stream().map(e -> e.detail().get("id").asText()).toList();
    }
}
