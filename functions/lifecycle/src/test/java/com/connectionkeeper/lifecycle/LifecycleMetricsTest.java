package com.connectionkeeper.lifecycle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.amazonaws.services.lambda.runtime.events.DynamodbEvent;
import com.amazonaws.services.lambda.runtime.events.models.dynamodb.AttributeValue;
import com.amazonaws.services.lambda.runtime.tests.EventLoader;
import com.connectionkeeper.testkit.EmfCheck;
import com.connectionkeeper.testkit.Fixtures;
import com.connectionkeeper.testkit.Integration;
import com.connectionkeeper.testkit.LoopbackEventBridge;
import com.connectionkeeper.testkit.StdoutCapture;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The lifecycle function counts each event it publishes, once, in Embedded Metric Format: transitions by cause and
 * brokerage, time to repair, repairs within a day of a reconnect link, reminders, incidents. An event not published
 * (EventBridge refused it) is not counted; its retry is, once.
 */
@Integration
class LifecycleMetricsTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private LoopbackLifecycle local;
    private LoopbackEventBridge bus;
    private LifecycleHandler handler;

    @BeforeEach
    void start() throws Exception {
        local = new LoopbackLifecycle(1, "ConnectionKeeper/test-stack");
        bus = local.bus;
        handler = local.handler;
    }

    @AfterEach
    void stop() {
        local.close();
    }

    private static DynamodbEvent fixture(String name) {
        return EventLoader.loadDynamoDbEvent(Fixtures.path(name).toString());
    }

    /** The fixed fixture (broken at 10:00, fixed at 11:15) with the connection's newest link at {@code at}. */
    private static DynamodbEvent fixedWithLinkAt(String at) {
        DynamodbEvent event = fixture("stream-connection-fixed.json");
        event.getRecords().get(0).getDynamodb().getNewImage().put("lastLinkIssuedAt", new AttributeValue().withS(at));
        return event;
    }

    /** The metric lines handling {@code event} printed, each checked as EMF. */
    private List<JsonNode> metricLines(DynamodbEvent event) throws IOException {
        List<String> lines = StdoutCapture.linesOf(() -> handler.handleRequest(event, null));
        List<JsonNode> metrics = new ArrayList<>();
        for (String line : lines) {
            JsonNode node = JSON.readTree(line);
            if (node.has("_aws")) {
                assertEquals(List.of(), EmfCheck.problems(node), line);
                assertEquals("ConnectionKeeper/test-stack", node.at("/_aws/CloudWatchMetrics/0/Namespace").asText());
                metrics.add(node);
            }
        }
        return metrics;
    }

    private JsonNode only(DynamodbEvent event) throws IOException {
        List<JsonNode> lines = metricLines(event);
        assertEquals(1, lines.size(), lines.toString());
        return lines.get(0);
    }

    @Test
    void aBreakCountsByTransitionCauseAndBrokerage() throws IOException {
        JsonNode line = only(fixture("stream-connection-broken.json"));
        assertEquals("connection_transition", line.path("event").asText());
        assertEquals("broken", line.path("transition").asText());
        assertEquals("webhook", line.path("cause").asText());
        assertEquals("ROBINHOOD", line.path("brokerage").asText());
        assertEquals(1, line.path("ConnectionTransitions").asInt());
        assertEquals("[[\"transition\"],[\"transition\",\"cause\"],[\"transition\",\"brokerage\"]]",
                line.at("/_aws/CloudWatchMetrics/0/Dimensions").toString());
        assertFalse(line.has("TimeToRepair"));
    }

    @Test
    void aRepairCountsItsTimeAndWhetherALinkCameWithinADayBefore() throws IOException {
        JsonNode line = only(fixedWithLinkAt("2026-03-01T09:30:00.000000000Z"));
        assertEquals("fixed", line.path("transition").asText());
        assertEquals("portal", line.path("cause").asText());
        assertEquals(4500, line.path("TimeToRepair").asLong(), "broken 10:00, fixed 11:15");
        assertEquals("Seconds", line.at("/_aws/CloudWatchMetrics/0/Metrics/1/Unit").asText());
        assertEquals(1, line.path("RepairedWithinDayOfLink").asInt(), "a link 1 h 45 min before the repair");
    }

    @Test
    void aRepairWithoutALinkOrWithAnOldOneIsNotALinksRepair() throws Exception {
        assertEquals(0, only(fixture("stream-connection-fixed.json")).path("RepairedWithinDayOfLink").asInt(),
                "no link at all");
        setUp();
        assertEquals(0, only(fixedWithLinkAt("2026-02-27T11:14:59.000000000Z")).path("RepairedWithinDayOfLink")
                .asInt(), "the newest link more than a day before");
        setUp();
        assertEquals(1, only(fixedWithLinkAt("2026-02-28T11:15:00.000000000Z")).path("RepairedWithinDayOfLink")
                .asInt(), "exactly a day before");
    }

    private void setUp() throws Exception {
        stop();
        start();
    }

    @Test
    void anEventEventBridgeRefusedIsNotCountedItsRetryIsOnce() throws IOException {
        bus.failEntries(e -> true, 1, "InternalFailure");
        assertEquals(List.of(), metricLines(fixture("stream-connection-broken.json")), "not published: not counted");
        assertEquals(1, metricLines(fixture("stream-connection-broken.json")).size(), "the retry publishes it");
    }

    @Test
    void remindersAndIncidentsCount() throws IOException {
        JsonNode reminder = only(fixture("stream-connection-reminder.json"));
        assertEquals("reminder_sent", reminder.path("event").asText());
        assertEquals(1, reminder.path("RemindersSent").asInt());
        assertEquals("[[],[\"brokerage\"]]", reminder.at("/_aws/CloudWatchMetrics/0/Dimensions").toString());

        JsonNode incident = only(fixture("stream-incident-suspected.json"));
        assertEquals("brokerage_incident", incident.path("event").asText());
        assertEquals("suspected", incident.path("incident").asText());
        assertEquals("ROBINHOOD", incident.path("brokerage").asText());
        assertEquals(1, incident.path("BrokerageIncidents").asInt());
    }
}
