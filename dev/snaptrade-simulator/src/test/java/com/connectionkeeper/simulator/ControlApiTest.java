package com.connectionkeeper.simulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.connectionkeeper.testkit.Integration;
import com.fasterxml.jackson.databind.JsonNode;
import com.snaptrade.client.ApiException;
import com.snaptrade.client.Snaptrade;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The HTTP control API does what the Java control does. */
@Integration
class ControlApiTest {
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private SnapTradeSimulator sim;

    @BeforeEach
    void start() {
        sim = SnapTradeSimulator.start(Sdk.config().build());
    }

    @AfterEach
    void stop() {
        sim.close();
    }

    @Test
    void seedUsersAndConnectionsThenBreakFixAndDeleteThem() throws Exception {
        JsonNode user = call("POST", "/users", "{\"userId\":\"alice\"}", 201);
        assertEquals(sim.control().userSecret("alice").orElseThrow(), user.path("userSecret").asText());
        call("POST", "/users", "{\"userId\":\"alice\"}", 409);
        assertEquals("[\"alice\"]", call("GET", "/users", "", 200).toString());

        JsonNode added = call("POST", "/users/alice/connections", "{\"brokerage\":\"SCHWAB\",\"type\":\"trade\"}", 201);
        String id = added.path("id").asText();
        assertEquals("SCHWAB", added.path("brokerageSlug").asText());
        assertTrue(call("POST", "/connections/" + id + "/break", "", 200).path("disabled").asBoolean());
        assertTrue(sim.control().connection(id).orElseThrow().disabled());
        assertEquals(false, call("POST", "/connections/" + id + "/fix", "", 200).path("disabled").asBoolean());
        assertEquals(1, call("GET", "/users/alice/connections", "", 200).size());
        call("POST", "/connections/" + id + "/delete", "", 200);
        assertEquals(0, call("GET", "/users/alice/connections", "", 200).size());
        call("POST", "/connections/" + id + "/break", "", 404);
        call("DELETE", "/users/alice", "", 200);
        call("GET", "/users/alice/connections", "", 404);

        JsonNode webhooks = call("GET", "/webhooks", "", 200);
        assertEquals(6, webhooks.size());
        assertEquals("CONNECTION_BROKEN", webhooks.get(2).path("eventType").asText());
    }

    @Test
    void faultsAreInjectedListedAndCleared() throws Exception {
        JsonNode armed = call("POST", "/faults",
                "{\"endpoint\":\"list_users\",\"kind\":\"SERVER_ERROR\",\"status\":502,\"times\":1}", 201);
        assertEquals("[\"SERVER_ERROR 502 x1\"]", armed.path("LIST_USERS").toString());
        Snaptrade sdk = Sdk.client(sim);
        try {
            sdk.authentication.listSnapTradeUsers().execute();
            throw new AssertionError("the fault did not fire");
        } catch (ApiException e) {
            assertEquals(502, e.getStatusCode());
        }
        call("POST", "/faults", "{\"endpoint\":\"LOGIN\",\"kind\":\"LATENCY\",\"delayMillis\":10}", 201);
        call("POST", "/faults", "{\"endpoint\":\"LOGIN\",\"kind\":\"rate_limited\",\"fraction\":0.5}", 201);
        assertEquals(2, call("GET", "/faults", "", 200).path("LOGIN").size());
        call("DELETE", "/faults?endpoint=LOGIN", "", 200);
        assertEquals("{}", call("GET", "/faults", "", 200).toString());
        call("POST", "/faults", "{\"endpoint\":\"NOPE\",\"kind\":\"LATENCY\"}", 400);
        call("POST", "/faults", "{\"endpoint\":\"LOGIN\",\"kind\":\"SERVER_ERROR\",\"status\":404}", 400);
    }

    @Test
    void theRequestLogShowsWhatTheSdkSent() throws Exception {
        Snaptrade sdk = Sdk.client(sim);
        sdk.authentication.registerSnapTradeUser("alice").execute();
        JsonNode requests = call("GET", "/requests", "", 200);
        assertEquals(1, requests.size());
        JsonNode register = requests.get(0);
        assertEquals("REGISTER_USER", register.path("endpoint").asText());
        assertEquals("/api/v1/snapTrade/registerUser", register.path("path").asText());
        assertEquals("alice", register.path("body").path("userId").asText());
        assertEquals(200, register.path("status").asInt());
        assertTrue(register.path("rawQuery").asText().contains("clientId=" + Sdk.CLIENT_ID));
        call("DELETE", "/requests", "", 200);
        assertEquals(0, call("GET", "/requests", "", 200).size());
    }

    @Test
    void unknownRoutesAndBadBodiesAreClientErrors() throws Exception {
        call("GET", "/nothing", "", 404);
        call("POST", "/users", "{}", 400);
        call("POST", "/users/nobody/connections", "{}", 404);
        call("POST", "/users", "{\"userId\":\"alice\"}", 201);
        call("POST", "/users/alice/connections", "{\"type\":\"admin\"}", 400);
    }

    @Test
    void aSimulatedClockIsAdvancedThroughTheControlApiAndTheExpiriesListed() throws Exception {
        sim.close();
        Instant t0 = Instant.parse("2026-01-05T00:00:00Z");
        sim = SnapTradeSimulator.start(Sdk.config().clock(new SimulatedClock(t0))
                .tokenLifetimes(TokenLifetimes.parse("*=fixed(7d)")).build());
        call("POST", "/users", "{\"userId\":\"alice\"}", 201);
        String id = call("POST", "/users/alice/connections", "{}", 201).path("id").asText();
        assertEquals("2026-01-12T00:00:00Z",
                call("GET", "/users/alice/connections", "", 200).get(0).path("tokenExpiresAt").asText());
        assertEquals("{\"now\":\"2026-01-05T00:00:00Z\",\"simulated\":true}", call("GET", "/clock", "", 200).toString());

        JsonNode advanced = call("POST", "/clock/advance", "{\"by\":\"8d\"}", 200);
        assertEquals("{\"now\":\"2026-01-13T00:00:00Z\",\"expired\":1}", advanced.toString());
        assertEquals("{\"now\":\"2026-01-20T00:00:00Z\",\"expired\":0}",
                call("POST", "/clock/advance", "{\"to\":\"2026-01-20T00:00:00Z\"}", 200).toString());
        JsonNode expiries = call("GET", "/expiries", "", 200);
        assertEquals(1, expiries.size());
        assertEquals(id, expiries.get(0).path("connectionId").asText());
        assertEquals("2026-01-12T00:00:00Z", expiries.get(0).path("brokeAt").asText());
        assertEquals(false, expiries.get(0).path("webhookLost").asBoolean());
        assertTrue(call("GET", "/users/alice/connections", "", 200).get(0).path("disabled").asBoolean());

        assertTrue(call("POST", "/clock/advance", "{\"to\":\"2026-01-01T00:00:00Z\"}", 400).path("error").asText()
                .contains("2026-01-01T00:00:00Z"));
        assertTrue(call("POST", "/clock/advance", "{\"by\":\"8x\"}", 400).path("error").asText().contains("8x"));
        assertTrue(call("POST", "/clock/advance", "{\"to\":\"yesterday\"}", 400).path("error").asText()
                .contains("yesterday"));
        call("POST", "/clock/advance", "{}", 400);
        call("POST", "/clock/advance", "{\"by\":\"1d\",\"to\":\"2026-02-01T00:00:00Z\"}", 400);
    }

    @Test
    void theSystemClockCannotBeAdvanced() throws Exception {
        assertTrue(call("POST", "/clock/advance", "{\"by\":\"1h\"}", 409).path("error").asText()
                .contains("SimulatedClock"));
        assertEquals(false, call("GET", "/clock", "", 200).path("simulated").asBoolean());
        assertEquals(0, call("GET", "/expiries", "", 200).size());
    }

    private JsonNode call(String method, String path, String body, int expectedStatus)
            throws IOException, InterruptedException {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(sim.controlUrl() + path))
                .method(method, body.isEmpty() ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(expectedStatus, response.statusCode(), method + " " + path + ": " + response.body());
        return Json.MAPPER.readTree(response.body());
    }
}
