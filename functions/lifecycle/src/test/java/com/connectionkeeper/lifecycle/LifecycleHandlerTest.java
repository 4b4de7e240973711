package com.connectionkeeper.lifecycle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.amazonaws.services.lambda.runtime.events.DynamodbEvent;
import com.amazonaws.services.lambda.runtime.events.StreamsEventResponse;
import com.amazonaws.services.lambda.runtime.tests.EventLoader;
import com.connectionkeeper.core.lifecycle.Announcer;
import com.connectionkeeper.eventbus.EventBridgePublisher;
import com.connectionkeeper.testkit.Fixtures;
import com.connectionkeeper.testkit.LoopbackEventBridge;
import com.fasterxml.jackson.databind.JsonNode;
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
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;

/** The stream handler on the fixtures in events/, publishing to the loopback EventBridge. */
class LifecycleHandlerTest {
    private LoopbackEventBridge bus;
    private EventBridgeClient client;
    private LifecycleHandler handler;

    @BeforeEach
    void start() throws Exception {
        bus = new LoopbackEventBridge();
        client = EventBridgeClient.builder().endpointOverride(bus.endpoint()).region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local")))
                .httpClient(UrlConnectionHttpClient.create()).build();
        handler = new LifecycleHandler(new Announcer(
                new EventBridgePublisher(client, "ck-bus", 2, Duration.ZERO, d -> { })));
    }

    @AfterEach
    void stop() {
        client.close();
        bus.close();
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
        assertEquals(5, batch.getRecords().size());
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
