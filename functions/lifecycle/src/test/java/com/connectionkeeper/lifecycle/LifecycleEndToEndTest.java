package com.connectionkeeper.lifecycle;

import static com.connectionkeeper.lifecycle.Writers.body;
import static com.connectionkeeper.lifecycle.Writers.deliver;
import static com.connectionkeeper.lifecycle.Writers.deliverLatest;
import static com.connectionkeeper.lifecycle.Writers.event;
import static com.connectionkeeper.lifecycle.Writers.failures;
import static com.connectionkeeper.lifecycle.Writers.ids;
import static com.connectionkeeper.lifecycle.Writers.request;
import static com.connectionkeeper.lifecycle.Writers.scheduled;
import static com.connectionkeeper.lifecycle.Writers.types;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.amazonaws.services.lambda.runtime.events.DynamodbEvent.DynamodbStreamRecord;
import com.amazonaws.services.lambda.runtime.events.DynamodbEvent;
import com.amazonaws.services.lambda.runtime.events.models.dynamodb.AttributeValue;
import com.amazonaws.services.lambda.runtime.tests.EventLoader;
import com.connectionkeeper.api.ApiHandler;
import com.connectionkeeper.core.config.EnvironmentConfig;
import com.connectionkeeper.core.incidents.IncidentRules;
import com.connectionkeeper.core.incidents.IncidentWatch;
import com.connectionkeeper.core.ingest.WebhookIngestion;
import com.connectionkeeper.core.lifecycle.Announcer;
import com.connectionkeeper.core.log.Emf;
import com.connectionkeeper.core.sweep.LifetimeHistogram;
import com.connectionkeeper.eventbus.EventBridgePublisher;
import com.connectionkeeper.kms.Sealers;
import com.connectionkeeper.signature.WebhookVerifier;
import com.connectionkeeper.simulator.PortalBrowser;
import com.connectionkeeper.simulator.SimulatorConfig;
import com.connectionkeeper.simulator.SnapTradeSimulator;
import com.connectionkeeper.simulator.WebhookDelivery;
import com.connectionkeeper.store.Attributes;
import com.connectionkeeper.store.DynamoIncidentStore;
import com.connectionkeeper.store.DynamoLifetimes;
import com.connectionkeeper.store.DynamoPublishedMarks;
import com.connectionkeeper.store.DynamoStores;
import com.connectionkeeper.store.DynamoTable;
import com.connectionkeeper.sweep.SweepHandler;
import com.connectionkeeper.sweep.SweepSettings;
import com.connectionkeeper.testkit.Dynalite;
import com.connectionkeeper.testkit.Fixtures;
import com.connectionkeeper.testkit.Integration;
import com.connectionkeeper.testkit.LoopbackEventBridge;
import com.connectionkeeper.testkit.StreamCapture;
import com.connectionkeeper.testkit.StreamFilter;
import com.connectionkeeper.webhook.WebhookEndpoint;
import com.connectionkeeper.webhook.WebhookHandler;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;

/**
 * End to end on dynalite: the real webhook, sweep and API functions write the table through a {@link StreamCapture}
 * (dynalite has no streams), and what it captured is handed to the real stream handler, publishing to the loopback
 * EventBridge. A webhook break, a sweep fix and a portal return each make exactly one event with its cause; a replay
 * of the whole stream publishes the same ids; writes that change no status publish nothing.
 */
@Integration
class LifecycleEndToEndTest {
    private static final String CLIENT_ID = "CK-LIFECYCLE-E2E-CLIENT";
    private static final String CONSUMER_KEY = "ck-lifecycle-e2e-consumer-key-3c9a";
    private static final String STATE_KEY = "ck-lifecycle-e2e-reconnect-state-key-0123456789abcdef";
    private static final String APP_RETURN = "https://app.example.com/connections/done";
    private static final String LANDING = "https://api.example.com/reconnect/return";
    
    private SnapTradeSimulator simulator;
    private StreamCapture capture;
    private String table;
    private ApiHandler api;
    private WebhookHandler webhooks;
    private SweepHandler sweep;
    private LoopbackEventBridge bus;
    private EventBridgeClient eventBridge;
    private LifecycleHandler lifecycle;
    /** Every record captured so far, in order, for the replay. */
    private final List<DynamodbStreamRecord> stream = new ArrayList<>();

    @BeforeEach
    void start() throws IOException {
        simulator = SnapTradeSimulator.start(SimulatorConfig.builder(CLIENT_ID, CONSUMER_KEY).rateLimit(1_000_000)
                .build());
        table = Dynalite.createTable();
        capture = new StreamCapture(Dynalite.client()); // not closed: the client is the shared server's
        Map<String, String> env = Writers.writersEnv(table, simulator, CLIENT_ID, CONSUMER_KEY, STATE_KEY, LANDING);
        env.put(SweepSettings.ENV_REQUESTS_PER_RUN, "10");
        EnvironmentConfig config = new EnvironmentConfig(Map.copyOf(env));

        // the three writers, wired as in Lambda but over the capturing client
        api = new ApiHandler(ApiHandler.fromConfig(config, capture, Clock.systemUTC()));
        sweep = new SweepHandler(SweepHandler.fromConfig(config, capture));
        DynamoStores stores = DynamoStores.fromConfig(config, capture, Sealers.fromConfig(config));
        webhooks = new WebhookHandler(new WebhookEndpoint(new WebhookVerifier(CONSUMER_KEY),
                new WebhookIngestion(stores.connections(), Clock.systemUTC())));

        // the reader: the stream function, publishing to the loopback EventBridge
        bus = new LoopbackEventBridge();
        eventBridge = Writers.eventBridge(bus);
        IncidentRules rules = IncidentRules.defaults();
        lifecycle = new LifecycleHandler(new Announcer(
                new EventBridgePublisher(eventBridge, "ck-bus", 2, Duration.ZERO, d -> { }),
                new DynamoPublishedMarks(new DynamoTable(capture, table), Clock.systemUTC())),
                new IncidentWatch(new DynamoIncidentStore(new DynamoTable(capture, table), rules.breakRetention()),
                        rules), Clock.systemUTC(), Emf.DEFAULT_NAMESPACE, new DynamoLifetimes(new DynamoTable(capture,
                table)));
    }

    @Test
    void aBreakCountsTheTokensLifetimeAndTheNextSweepOrdersTheUserByIt() {
        String secret = simulator.control().seedUser("alice");
        String c = simulator.control().addConnection("alice", "ALPACA", "trade");
        // SnapTrade's CONNECTION_ADDED tells when the token was issued (a connection first seen otherwise has no
        // known issue time until it is fixed)
        assertEquals("applied", deliverLatest(simulator, webhooks, "CONNECTION_ADDED", c));
        assertEquals(200, api.handleRequest(request("api-import-secret.json", "PUT", "/users/alice/secret",
                "PUT /users/{userId}/secret", Writers.JSON.createObjectNode().put("userSecret", secret).toString()),
                null).getStatusCode());
        streamToBus();
        DynamoLifetimes lifetimes = new DynamoLifetimes(new DynamoTable(Dynalite.client(), table));
        assertEquals(Map.of(), lifetimes.lifetimes(), "no break yet");

        simulator.control().breakConnection(c);
        assertEquals("applied", deliverLatest(simulator, webhooks, "CONNECTION_BROKEN", c));
        only(streamToBus(), "Connection Broken", c);

        Map<String, LifetimeHistogram> learned = lifetimes.lifetimes();
        assertEquals(1, learned.size(), learned.toString());
        LifetimeHistogram alpaca = learned.values().iterator().next();
        assertEquals(1, alpaca.samples());
        assertEquals(1, alpaca.count(0), "added moments before it broke: the first hour's bucket");

        streamToBus(); // the lifetime's own write (not a connection: no event)
        stream.clear();
        lifecycle.handleRequest(StreamFilter.lifecycle().apply(capture.drainAsEvent()), null);
        assertEquals(1, lifetimes.lifetimes().values().iterator().next().samples(), "counted once");
    }

    @AfterEach
    void stop() {
        eventBridge.close();
        bus.close();
        simulator.close();
    }

    @Test
    void aWebhookBreakASweepFixAndAPortalReturnEachMakeExactlyOneEventWithItsCause() {
        // alice, imported with one working connection
        String secret = simulator.control().seedUser("alice");
        String c = simulator.control().addConnection("alice", "ALPACA", "trade");
        APIGatewayV2HTTPResponse imported = api.handleRequest(request("api-import-secret.json", "PUT",
                "/users/alice/secret", "PUT /users/{userId}/secret",
                Writers.JSON.createObjectNode().put("userSecret", secret).toString()), null);
        assertEquals(200, imported.getStatusCode(), imported.getBody());
        List<LoopbackEventBridge.Entry> setup = streamToBus();
        assertEquals(List.of("Connection Added"), types(setup), "the import saw the connection first");
        List<String> ids = new ArrayList<>(ids(setup));

        // (a) SnapTrade breaks it; its signed webhook reaches the webhook function
        simulator.control().breakConnection(c);
        assertEquals("applied", deliverLatest(simulator, webhooks, "CONNECTION_BROKEN", c));
        JsonNode broken = only(streamToBus(), "Connection Broken", c);
        assertEquals("webhook", broken.path("data").path("cause").asText());
        assertEquals("ACTIVE", broken.path("data").path("from").asText());
        ids.add(broken.path("id").asText());

        // (b) it works again at SnapTrade; the sweep sees so (SnapTrade's FIXED webhook is never delivered)
        simulator.control().fixConnection(c);
        Map<String, Object> summary = sweep.handleRequest(scheduled(), null);
        assertEquals(1, summary.get("usersChecked"), summary.toString());
        JsonNode sweepFixed = only(streamToBus(), "Connection Fixed", c);
        assertEquals("sweep", sweepFixed.path("data").path("cause").asText());
        assertEquals("BROKEN", sweepFixed.path("data").path("from").asText());
        ids.add(sweepFixed.path("id").asText());

        // (c) broken again (webhook), repaired by the user through the portal, confirmed at our landing
        simulator.control().breakConnection(c);
        assertEquals("applied", deliverLatest(simulator, webhooks, "CONNECTION_BROKEN", c));
        JsonNode brokenAgain = only(streamToBus(), "Connection Broken", c);
        assertEquals("webhook", brokenAgain.path("data").path("cause").asText());
        ids.add(brokenAgain.path("id").asText());

        APIGatewayV2HTTPResponse linkResponse = api.handleRequest(request("api-reconnect-link.json", "POST",
                "/users/alice/connections/" + c + "/reconnect-link",
                "POST /users/{userId}/connections/{connectionId}/reconnect-link",
                Writers.JSON.createObjectNode().put("redirectUrl", APP_RETURN).toString()), null);
        assertEquals(200, linkResponse.getStatusCode(), linkResponse.getBody());
        assertEquals(List.of(), streamToBus(), "minting a link changes no status");
        String landing = PortalBrowser.complete(body(linkResponse).path("redirectURI").asText(), "SUCCESS");
        assertTrue(landing.startsWith(LANDING + "?"), landing);
        APIGatewayV2HTTPEvent land = EventLoader.loadApiGatewayHttpEvent(
                Fixtures.path("api-reconnect-return.json").toString());
        land.setQueryStringParameters(query(URI.create(landing).getRawQuery()));
        land.setRawQueryString(null);
        APIGatewayV2HTTPResponse back = api.handleRequest(land, null);
        assertEquals(302, back.getStatusCode(), back.getBody());
        JsonNode portalFixed = only(streamToBus(), "Connection Fixed", c);
        assertEquals("portal", portalFixed.path("data").path("cause").asText());
        assertFalse(portalFixed.path("data").path("needsReconnect").asBoolean());
        ids.add(portalFixed.path("id").asText());

        // afterwards, nothing that changes the status: SnapTrade's FIXED webhook of the repair (late), a
        // CONNECTION_UPDATED (flags the connection for verification) and a sweep that finds it working
        String lateFix = deliverLatest(simulator, webhooks, "CONNECTION_FIXED", c);
        String updated = deliverUpdated(c);
        assertEquals(1, sweep.handleRequest(scheduled(), null).get("usersChecked"));
        assertEquals("applied", updated);
        assertEquals(List.of(), streamToBus(), "webhooks " + lateFix + " and " + updated + ", then a sweep");

        assertEquals(5, ids.stream().distinct().count(), "every change its own id: " + ids);

        // the whole stream again (a replay after a failure, or a second delivery): the same events, the same ids
        bus.clear();
        assertEquals(List.of(), failures(lifecycle.handleRequest(event(stream), null)));
        assertEquals(ids, ids(bus.accepted()));

        // the writes that changed no status (history, links, rate counters, verification flags, sweep
        // bookkeeping, the user item): many, and not one event among them
        List<DynamodbStreamRecord> quiet = stream.stream().filter(r -> !changesStatus(r)).toList();
        assertEquals(stream.size() - ids.size(), quiet.size(), "one status change per event");
        assertTrue(quiet.stream().anyMatch(r -> entity(r).equals(Attributes.HISTORY_ENTITY)), "history items");
        assertTrue(quiet.stream().anyMatch(r -> entity(r).equals(Attributes.LINK_ENTITY)
                || entity(r).equals(Attributes.LIVE_LINK_ENTITY)), "link items");
        assertTrue(quiet.stream().anyMatch(r -> r.getDynamodb().getNewImage() != null
                && r.getDynamodb().getNewImage().containsKey(Attributes.VERIFY_REQUESTED_AT)
                && (r.getDynamodb().getOldImage() == null
                        || !r.getDynamodb().getOldImage().containsKey(Attributes.VERIFY_REQUESTED_AT))),
                "the verification flag set");
        assertTrue(quiet.stream().anyMatch(r -> entity(r).equals(Attributes.CONNECTION_ENTITY)
                && r.getDynamodb().getOldImage() != null
                && r.getDynamodb().getOldImage().containsKey(Attributes.VERIFY_REQUESTED_AT)
                && !r.getDynamodb().getNewImage().containsKey(Attributes.VERIFY_REQUESTED_AT)),
                "the verification flag cleared by the sweep");
        bus.clear();
        assertEquals(List.of(), failures(lifecycle.handleRequest(event(quiet), null)));
        assertEquals(List.of(), bus.calls(), "nothing published, not even an empty call");
    }

    // ---- the stream ----

    /**
     * Hands what the table recorded since last time to the stream function, through the template's filter criteria
     * as Lambda would; what it published.
     */
    private List<LoopbackEventBridge.Entry> streamToBus() {
        bus.clear();
        DynamodbEvent batch = capture.drainAsEvent();
        stream.addAll(batch.getRecords());
        DynamodbEvent filtered = StreamFilter.lifecycle().apply(batch);
        if (!filtered.getRecords().isEmpty()) {
            assertEquals(List.of(), failures(lifecycle.handleRequest(filtered, null)));
        }
        return bus.accepted();
    }

    /** The detail of the one event published, of this type and for this connection. */
    private static JsonNode only(List<LoopbackEventBridge.Entry> published, String detailType, String connectionId) {
        assertEquals(List.of(detailType), types(published), published.toString());
        JsonNode detail = published.get(0).detail();
        assertEquals(connectionId, detail.path("data").path("connectionId").asText());
        assertEquals("alice", detail.path("data").path("userId").asText());
        return detail;
    }

    private static String entity(DynamodbStreamRecord r) {
        Map<String, AttributeValue> image = r.getDynamodb().getNewImage() != null ? r.getDynamodb().getNewImage()
                : r.getDynamodb().getOldImage();
        AttributeValue entity = image.get(Attributes.ENTITY);
        return entity == null ? "" : entity.getS();
    }

    /** A connection item whose status the write changed (or made, or removed). */
    private static boolean changesStatus(DynamodbStreamRecord r) {
        if (!entity(r).equals(Attributes.CONNECTION_ENTITY)) {
            return false;
        }
        return !Objects.equals(status(r.getDynamodb().getOldImage()), status(r.getDynamodb().getNewImage()));
    }

    private static String status(Map<String, AttributeValue> image) {
        return image == null || image.get(Attributes.STATUS) == null ? null : image.get(Attributes.STATUS).getS();
    }

    // ---- the writers' inputs ----

    /**
     * A CONNECTION_UPDATED for the connection, sent now and signed with the consumer key (the simulator sends one
     * only when a repair changes the connection's type): SnapTrade's latest webhook for it, retyped.
     */
    private String deliverUpdated(String connectionId) {
        List<WebhookDelivery> found = simulator.webhooks().ofType("CONNECTION_FIXED").stream()
                .filter(w -> Objects.equals(connectionId, w.connectionId())).toList();
        ObjectNode payload;
        try {
            payload = (ObjectNode) Writers.JSON.readTree(found.get(found.size() - 1).payload());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        payload.put("webhookId", UUID.randomUUID().toString()).put("eventType", "CONNECTION_UPDATED")
                .put("eventTimestamp", Instant.now().toString());
        String body = payload.toString();
        return deliver(webhooks, body, new WebhookVerifier(CONSUMER_KEY).sign(body));
    }

    private static Map<String, String> query(String rawQuery) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String pair : rawQuery.split("&")) {
            int eq = pair.indexOf('=');
            out.put(URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8),
                    eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
        }
        return out;
    }
}
