package com.connectionkeeper.lifecycle;

import static com.connectionkeeper.lifecycle.Writers.deliverLatest;
import static com.connectionkeeper.lifecycle.Writers.failures;
import static com.connectionkeeper.lifecycle.Writers.request;
import static com.connectionkeeper.lifecycle.Writers.types;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.amazonaws.services.lambda.runtime.events.DynamodbEvent;
import com.connectionkeeper.api.ApiHandler;
import com.connectionkeeper.core.config.EnvironmentConfig;
import com.connectionkeeper.core.incidents.IncidentRules;
import com.connectionkeeper.core.incidents.IncidentWatch;
import com.connectionkeeper.core.ingest.WebhookIngestion;
import com.connectionkeeper.core.lifecycle.Announcer;
import com.connectionkeeper.core.reminders.ReminderCadence;
import com.connectionkeeper.core.reminders.ReminderRun;
import com.connectionkeeper.eventbus.EventBridgePublisher;
import com.connectionkeeper.kms.Sealers;
import com.connectionkeeper.signature.WebhookVerifier;
import com.connectionkeeper.simulator.SimulatorConfig;
import com.connectionkeeper.simulator.SnapTradeSimulator;
import com.connectionkeeper.store.DynamoIncidentStore;
import com.connectionkeeper.store.DynamoPublishedMarks;
import com.connectionkeeper.store.DynamoReminderStore;
import com.connectionkeeper.store.DynamoStores;
import com.connectionkeeper.store.DynamoTable;
import com.connectionkeeper.testkit.Dynalite;
import com.connectionkeeper.testkit.Integration;
import com.connectionkeeper.testkit.LoopbackEventBridge;
import com.connectionkeeper.testkit.MutableClock;
import com.connectionkeeper.testkit.StreamCapture;
import com.connectionkeeper.testkit.StreamFilter;
import com.connectionkeeper.webhook.WebhookEndpoint;
import com.connectionkeeper.webhook.WebhookHandler;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;

/**
 * Incident awareness end to end on dynalite: connections imported through the real API, breaks and fixes through
 * SnapTrade's signed webhooks and the real webhook function, the table's changes (captured, dynalite has no streams)
 * through the template's stream filter into the real stream function, and the reminder run on the same table. A
 * burst of breaks at one brokerage makes one {@code Brokerage Incident Suspected}, marks its later breaks, holds its
 * reminders (not another brokerage's), and ends when most of its connections are fixed; the same number of breaks
 * spread over two brokerages makes none.
 */
@Integration
class IncidentEndToEndTest {
    private static final String CLIENT_ID = "CK-INCIDENT-E2E-CLIENT";
    private static final String CONSUMER_KEY = "ck-incident-e2e-consumer-key-77d1";
    /** The defaults, but incidents last up to two days, so one is still open when the first reminders fall due. */
    private static final IncidentRules RULES = new IncidentRules(20, 30, Duration.ofMinutes(30), Duration.ofHours(48));

    private SnapTradeSimulator simulator;
    private StreamCapture capture;
    private ApiHandler api;
    private WebhookHandler webhooks;
    private LoopbackEventBridge bus;
    private EventBridgeClient eventBridge;
    private LifecycleHandler lifecycle;
    private IncidentWatch watch;
    private DynamoReminderStore reminders;
    private final Instant start = Instant.now();
    private final MutableClock reminderClock = new MutableClock(start);
    private final Map<String, String> brokerageOf = new HashMap<>();

    @BeforeEach
    void start() throws IOException {
        simulator = SnapTradeSimulator.start(SimulatorConfig.builder(CLIENT_ID, CONSUMER_KEY).rateLimit(1_000_000)
                .build());
        String table = Dynalite.createTable();
        capture = new StreamCapture(Dynalite.client());
        Map<String, String> env = Writers.writersEnv(table, simulator, CLIENT_ID, CONSUMER_KEY,
                "ck-incident-e2e-reconnect-state-key-0123456789abcdef", "https://api.example.com/reconnect/return");
        EnvironmentConfig config = new EnvironmentConfig(Map.copyOf(env));
        api = new ApiHandler(ApiHandler.fromConfig(config, capture, Clock.systemUTC()));
        DynamoStores stores = DynamoStores.fromConfig(config, capture, Sealers.fromConfig(config));
        webhooks = new WebhookHandler(new WebhookEndpoint(new WebhookVerifier(CONSUMER_KEY),
                new WebhookIngestion(stores.connections(), Clock.systemUTC())));

        bus = new LoopbackEventBridge();
        eventBridge = Writers.eventBridge(bus);
        DynamoTable captured = new DynamoTable(capture, table);
        watch = new IncidentWatch(new DynamoIncidentStore(captured, RULES.breakRetention()), RULES);
        lifecycle = new LifecycleHandler(new Announcer(
                new EventBridgePublisher(eventBridge, "ck-bus", 2, Duration.ZERO, d -> { }),
                new DynamoPublishedMarks(new DynamoTable(capture, table), Clock.systemUTC())), watch,
                Clock.systemUTC());
        reminders = new DynamoReminderStore(captured);
    }

    @AfterEach
    void stop() {
        eventBridge.close();
        bus.close();
        simulator.close();
    }

    /** {@code users} users with {@code each} connections at {@code slug}, imported through the API. */
    private List<String> imported(String prefix, int users, int each, String slug) {
        List<String> connections = new ArrayList<>();
        for (int u = 0; u < users; u++) {
            String user = prefix + u;
            String secret = simulator.control().seedUser(user);
            for (int c = 0; c < each; c++) {
                String id = simulator.control().addConnection(user, slug, "read");
                connections.add(id);
                brokerageOf.put(id, simulator.control().connection(id).orElseThrow().brokerageId());
            }
            APIGatewayV2HTTPResponse response = api.handleRequest(request("api-import-secret.json", "PUT",
                    "/users/" + user + "/secret", "PUT /users/{userId}/secret",
                    Writers.JSON.createObjectNode().put("userSecret", secret).toString()), null);
            assertEquals(200, response.getStatusCode(), response.getBody());
        }
        return connections;
    }

    /** SnapTrade breaks the connections; each one's CONNECTION_BROKEN webhook reaches the webhook function. */
    private void breakAll(List<String> connections) {
        for (String c : connections) {
            simulator.control().breakConnection(c);
            assertEquals("applied", deliverLatest(simulator, webhooks, "CONNECTION_BROKEN", c));
        }
    }

    private void fixAll(List<String> connections) {
        for (String c : connections) {
            simulator.control().fixConnection(c);
            assertEquals("applied", deliverLatest(simulator, webhooks, "CONNECTION_FIXED", c));
        }
    }

    /**
     * Hands what the table recorded to the stream function (through the template's filter), again until nothing new
     * is recorded (the function's own writes are recorded too); everything published, in order.
     */
    private List<LoopbackEventBridge.Entry> streamToBus() {
        bus.clear();
        for (DynamodbEvent batch = capture.drainAsEvent(); !batch.getRecords().isEmpty();
                batch = capture.drainAsEvent()) {
            DynamodbEvent filtered = StreamFilter.lifecycle().apply(batch);
            if (!filtered.getRecords().isEmpty()) {
                assertEquals(List.of(), failures(lifecycle.handleRequest(filtered, null)));
            }
        }
        return bus.accepted();
    }

    private static List<JsonNode> ofType(List<LoopbackEventBridge.Entry> published, String detailType) {
        return published.stream().filter(e -> e.detailType().equals(detailType))
                .map(LoopbackEventBridge.Entry::detail).toList();
    }

    private ReminderRun.Summary remindersAt(Duration sinceTheBreaks) {
        reminderClock.advance(Duration.between(reminderClock.instant(), start.plus(sinceTheBreaks)));
        return new ReminderRun(reminders, ReminderCadence.parse("1d,3d,7d,14d,+14d", 8), reminderClock, 100, watch)
                .run(reminderClock.instant().plusSeconds(60));
    }

    @Test
    void aBurstAtOneBrokerageIsSuspectedMarkedHoldsItsRemindersAndEndsWhenMostAreFixed() {
        List<String> alpaca = imported("a", 5, 5, "ALPACA");
        List<String> questrade = imported("q", 2, 10, "QUESTRADE");
        assertEquals(45, ofType(streamToBus(), "Connection Added").size());
        String alpacaId = brokerageOf.get(alpaca.get(0));

        // 10 at each brokerage break: 20 breaks, but 10 at each is no incident
        List<String> firstAlpaca = alpaca.subList(0, 10);
        breakAll(firstAlpaca);
        breakAll(questrade.subList(0, 10));
        List<LoopbackEventBridge.Entry> spread = streamToBus();
        assertEquals(List.of(), ofType(spread, "Brokerage Incident Suspected"));
        List<JsonNode> spreadBreaks = ofType(spread, "Connection Broken");
        assertEquals(20, spreadBreaks.size());
        assertTrue(spreadBreaks.stream().noneMatch(d -> d.path("data").path("suspectedIncident").asBoolean()));

        // 10 more at ALPACA: 20 of its 25 within minutes
        breakAll(alpaca.subList(10, 20));
        List<LoopbackEventBridge.Entry> burst = streamToBus();
        List<JsonNode> suspected = ofType(burst, "Brokerage Incident Suspected");
        assertEquals(1, suspected.size(), types(burst).toString());
        JsonNode incident = suspected.get(0).path("data");
        String incidentId = incident.path("incidentId").asText();
        assertEquals(alpacaId, incident.path("brokerage").path("id").asText());
        assertEquals(20, incident.path("breaks").asInt());
        assertEquals(25, incident.path("knownConnections").asInt());
        assertEquals(30, incident.path("windowMinutes").asInt());
        List<JsonNode> marked = ofType(burst, "Connection Broken");
        assertEquals(10, marked.size());
        for (JsonNode d : marked) {
            assertTrue(d.path("data").path("suspectedIncident").asBoolean(), d.toString());
            assertEquals(incidentId, d.path("data").path("incidentId").asText());
        }

        // one more breaks while it is open: marked, and no second Suspected
        breakAll(alpaca.subList(20, 21));
        List<LoopbackEventBridge.Entry> later = streamToBus();
        assertEquals(List.of("Connection Broken"), types(later));
        assertEquals(incidentId, later.get(0).detail().path("data").path("incidentId").asText());

        // a day later the first reminders are due: ALPACA's are held, QUESTRADE's are sent
        ReminderRun.Summary day1 = remindersAt(Duration.ofDays(1).plusHours(1));
        assertEquals(21, day1.held(), day1.toString());
        assertEquals(10, day1.claimed());
        List<JsonNode> sent = ofType(streamToBus(), "Connection Reconnect Reminder");
        assertEquals(10, sent.size());
        assertTrue(sent.stream().allMatch(d -> questrade.contains(d.path("data").path("connectionId").asText())));

        // users repair 11 of ALPACA's 21: most, so the incident ends
        fixAll(alpaca.subList(0, 10));
        List<LoopbackEventBridge.Entry> halfFixed = streamToBus();
        assertEquals(10, ofType(halfFixed, "Connection Fixed").size());
        assertEquals(List.of(), ofType(halfFixed, "Brokerage Incident Ended"), "10 of 21 is not most");
        fixAll(alpaca.subList(10, 11));
        List<JsonNode> ended = ofType(streamToBus(), "Brokerage Incident Ended");
        assertEquals(1, ended.size());
        JsonNode end = ended.get(0).path("data");
        assertEquals(incidentId, end.path("incidentId").asText());
        assertEquals("repaired", end.path("endReason").asText());
        assertEquals(21, end.path("total").asInt());
        assertEquals(10, end.path("stillBroken").asInt());

        // the held reminders go out at the next run: the 10 still broken at ALPACA
        ReminderRun.Summary after = remindersAt(Duration.ofDays(1).plusHours(3));
        assertEquals(0, after.held());
        assertEquals(10, after.claimed(), after.toString());
        List<JsonNode> released = ofType(streamToBus(), "Connection Reconnect Reminder");
        assertEquals(10, released.size());
        assertTrue(released.stream().allMatch(d -> alpaca.subList(11, 21)
                .contains(d.path("data").path("connectionId").asText())));
        assertFalse(released.stream().anyMatch(d -> d.path("data").path("step").asInt() != 1));
    }
}
