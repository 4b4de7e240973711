package com.connectionkeeper.simulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.connectionkeeper.testkit.Integration;
import com.connectionkeeper.testkit.RepoPaths;
import com.fasterxml.jackson.databind.JsonNode;
import com.snaptrade.client.ApiException;
import com.snaptrade.client.Snaptrade;
import com.snaptrade.client.model.BrokerageAuthorization;
import com.snaptrade.client.model.UserIDandSecret;
import java.io.IOException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/** The unmodified SDK 5.0.157 against the simulator: every endpoint, happy path and each kind of error. */
@Integration
class SdkContractTest {
    private SpecCheckedSimulator checked;
    private SnapTradeSimulator sim;
    private Snaptrade sdk;

    @BeforeEach
    void start() throws IOException {
        checked = new SpecCheckedSimulator(Sdk.config().build());
        sim = checked.sim;
        sdk = Sdk.client(sim);
    }

    @AfterEach
    void checkEveryAnswerAgainstTheSpec() {
        checked.close();
    }

    @Test
    void theAnswersAreCheckedAgainstTheSpec() throws ApiException {
        Assumptions.assumeTrue(RepoPaths.shared().isPresent(), "shared/ is not on this machine");
        sdk.authentication.listSnapTradeUsers().execute();
        assertThrows(ApiException.class, () -> sdk.authentication.deleteSnapTradeUser("nobody").execute());
        assertEquals(2, checked.checkAll());
    }

    @Test
    void registerListAndDeleteUsers() throws ApiException {
        UserIDandSecret registered = sdk.authentication.registerSnapTradeUser("alice").execute();
        assertEquals("alice", registered.getUserId());
        assertEquals(sim.control().userSecret("alice").orElseThrow(), registered.getUserSecret());
        sdk.authentication.registerSnapTradeUser("bob").execute();

        assertEquals(List.of("alice", "bob"), sdk.authentication.listSnapTradeUsers().execute());
        assertEquals("deleted", sdk.authentication.deleteSnapTradeUser("alice").execute().getStatus());
        assertEquals(List.of("bob"), sdk.authentication.listSnapTradeUsers().execute());
        assertEquals(List.of("USER_REGISTERED", "USER_REGISTERED", "USER_DELETED"),
                sim.webhooks().all().stream().map(WebhookDelivery::eventType).toList());
    }

    @Test
    void registeringAnExistingUserIsRefused() throws ApiException {
        sdk.authentication.registerSnapTradeUser("alice").execute();
        ApiException e = assertThrows(ApiException.class,
                () -> sdk.authentication.registerSnapTradeUser("alice").execute());
        assertEquals(400, e.getStatusCode());
        assertEquals("1010", code(e));
    }

    @Test
    void deletingAnUnknownUserIsNotFound() {
        ApiException e = assertThrows(ApiException.class,
                () -> sdk.authentication.deleteSnapTradeUser("nobody").execute());
        assertEquals(404, e.getStatusCode());
        assertEquals("1011", code(e));
    }

    @Test
    void listAndDetailShowTheTruth() throws ApiException {
        String secret = sim.control().seedUser("alice");
        String read = sim.control().addConnection("alice", "QUESTRADE", "read");
        String trade = sim.control().addConnection("alice", "ALPACA", "trade");
        sim.control().breakConnection(trade);

        List<BrokerageAuthorization> all = sdk.connections.listBrokerageAuthorizations("alice", secret).execute();
        assertEquals(List.of(read, trade), all.stream().map(a -> a.getId().toString()).toList());
        BrokerageAuthorization broken = all.get(1);
        assertTrue(broken.getDisabled());
        assertNotNull(broken.getDisabledDate());
        assertEquals("trade", broken.getType());
        assertEquals("ALPACA", broken.getBrokerage().getSlug());
        assertNull(broken.getBrokerage().getAwsS3SquareLogoUrl());

        BrokerageAuthorization detail =
                sdk.connections.detailBrokerageAuthorization(UUID.fromString(read), "alice", secret).execute();
        assertFalse(detail.getDisabled());
        assertNull(detail.getDisabledDate());
        assertEquals("read", detail.getType());
        assertEquals("QUESTRADE", detail.getBrokerage().getSlug());
    }

    @Test
    void anUnknownOrSomeoneElsesConnectionIsNotFound() throws ApiException {
        String secret = sim.control().seedUser("alice");
        sim.control().seedUser("bob");
        String bobs = sim.control().addConnection("bob", "ALPACA", "read");
        for (UUID id : List.of(UUID.randomUUID(), UUID.fromString(bobs))) {
            ApiException e = assertThrows(ApiException.class,
                    () -> sdk.connections.detailBrokerageAuthorization(id, "alice", secret).execute());
            assertEquals(404, e.getStatusCode());
            assertEquals("1011", code(e));
        }
    }

    @Test
    void aWrongUserSecretIsRejectedEverywhere() {
        sim.control().seedUser("alice");
        String id = sim.control().addConnection("alice", "ALPACA", "read");
        List<Executable> calls = List.of(
                () -> sdk.connections.listBrokerageAuthorizations("alice", "wrong").execute(),
                () -> sdk.connections.detailBrokerageAuthorization(UUID.fromString(id), "alice", "wrong").execute(),
                () -> sdk.connections.disableBrokerageAuthorization(UUID.fromString(id), "alice", "wrong").execute(),
                () -> sdk.authentication.loginSnapTradeUser("alice", "wrong").execute(),
                () -> sdk.connections.listBrokerageAuthorizations("nobody", "wrong").execute());
        for (Executable call : calls) {
            ApiException e = assertThrows(ApiException.class, call);
            assertEquals(401, e.getStatusCode());
            assertEquals("1083", code(e));
        }
    }

    @Test
    void disableBreaksTheConnectionOnceAndSendsConnectionBroken() throws ApiException {
        String secret = sim.control().seedUser("alice");
        String id = sim.control().addConnection("alice", "ALPACA", "trade");

        String detail = sdk.connections.disableBrokerageAuthorization(UUID.fromString(id), "alice", secret).execute()
                .getDetail();
        assertTrue(detail.contains(id), detail);
        assertTrue(sim.control().connection(id).orElseThrow().disabled());
        assertEquals(1, sim.webhooks().ofType("CONNECTION_BROKEN").size());
        assertEquals(id, sim.webhooks().ofType("CONNECTION_BROKEN").get(0).connectionId());

        ApiException again = assertThrows(ApiException.class, () -> sdk.connections
                .disableBrokerageAuthorization(UUID.fromString(id), "alice", secret).execute());
        assertEquals(402, again.getStatusCode());
        assertEquals("3011", code(again));
    }

    @Test
    void loginReturnsAPortalLink() throws ApiException {
        String secret = sim.control().seedUser("alice");
        Map<?, ?> login = (Map<?, ?>) sdk.authentication.loginSnapTradeUser("alice", secret)
                .broker("ALPACA").customRedirect("https://app.example/back").execute();
        String sessionId = (String) login.get("sessionId");
        assertTrue(((String) login.get("redirectURI")).startsWith("http://127.0.0.1:" + sim.port() + "/portal/"
                + sessionId + "?"), login.toString());
        JsonNode body = sim.requests().last(Endpoint.LOGIN).orElseThrow().body();
        assertEquals("read", body.path("connectionType").asText(), "the SDK's default");
        assertEquals("ALPACA", body.path("broker").asText());
    }

    @Test
    void reconnectLoginCarriesTheConnectionAndItsType() throws ApiException {
        String secret = sim.control().seedUser("alice");
        String id = sim.control().addConnection("alice", "ALPACA", "trade");
        sim.control().breakConnection(id);

        sdk.authentication.loginSnapTradeUser("alice", secret).reconnect(id).connectionType("trade").execute();
        RecordedRequest login = sim.requests().last(Endpoint.LOGIN).orElseThrow();
        assertEquals(id, login.bodyField("reconnect"));
        assertEquals("trade", login.bodyField("connectionType"));
        assertEquals("alice", login.queryParam("userId"));
    }

    @Test
    void reconnectOfAnotherUsersOrAnUnknownConnectionIsRefused() {
        String secret = sim.control().seedUser("alice");
        sim.control().seedUser("bob");
        String bobs = sim.control().addConnection("bob", "ALPACA", "read");
        for (String id : List.of(bobs, UUID.randomUUID().toString())) {
            ApiException e = assertThrows(ApiException.class,
                    () -> sdk.authentication.loginSnapTradeUser("alice", secret).reconnect(id).execute());
            assertEquals(404, e.getStatusCode());
            assertEquals("1011", code(e));
        }
    }

    @Test
    void aWrongConsumerKeyOrClientIdIsRefused() {
        for (Snaptrade wrong : List.of(Sdk.client(sim, Sdk.CLIENT_ID, "not-the-key"),
                Sdk.client(sim, "OTHER-CLIENT", Sdk.CONSUMER_KEY))) {
            ApiException e = assertThrows(ApiException.class,
                    () -> wrong.authentication.listSnapTradeUsers().execute());
            assertEquals(401, e.getStatusCode());
            assertEquals("{\"detail\":\"Unable to verify signature sent\",\"status_code\":401,\"code\":\"1076\"}",
                    e.getResponseBody());
        }
    }

    @Test
    void resettingASecretNeedsTheCurrentOneAndRetiresIt() throws ApiException {
        String old = sim.control().seedUser("alice");
        ApiException wrong = assertThrows(ApiException.class, () -> sdk.authentication.resetSnapTradeUserSecret()
                .userId("alice").userSecret("not-the-secret").execute());
        assertEquals(401, wrong.getStatusCode());
        assertEquals("1083", code(wrong));
        assertEquals(old, sim.control().userSecret("alice").orElseThrow(), "a refused reset changes nothing");

        com.snaptrade.client.model.UserIDandSecret reset = sdk.authentication.resetSnapTradeUserSecret()
                .userId("alice").userSecret(old).execute();
        assertEquals("alice", reset.getUserId());
        assertTrue(reset.getUserSecret().startsWith(SnapTradeSimulator.SECRET_MARK));
        assertTrue(!old.equals(reset.getUserSecret()));
        assertEquals(List.of(), sdk.connections.listBrokerageAuthorizations("alice", reset.getUserSecret()).execute());
        ApiException retired = assertThrows(ApiException.class,
                () -> sdk.connections.listBrokerageAuthorizations("alice", old).execute());
        assertEquals("1083", code(retired));
        ApiException unknown = assertThrows(ApiException.class, () -> sdk.authentication.resetSnapTradeUserSecret()
                .userId("nobody").userSecret(old).execute());
        assertEquals(401, unknown.getStatusCode());
    }

    @Test
    void aForeignErrorIsAnHtmlPageWithoutSnapTradesBodyOrHeaders() {
        String secret = sim.control().seedUser("alice");
        sim.faults().inject(Endpoint.LIST_AUTHORIZATIONS, Fault.foreignError(404).times(1));
        ApiException e = assertThrows(ApiException.class,
                () -> sdk.connections.listBrokerageAuthorizations("alice", secret).execute());
        assertEquals(404, e.getStatusCode());
        assertTrue(e.getResponseBody().startsWith("<html>"), e.getResponseBody());
        assertEquals(null, e.getResponseHeaders().get("x-ratelimit-remaining"));
        assertEquals(Fault.Kind.FOREIGN_ERROR, sim.requests().last(Endpoint.LIST_AUTHORIZATIONS).orElseThrow().fault());
    }

    @Test
    void serverErrorsForTheNextCallsThenNormal() throws ApiException {
        sim.faults().inject(Endpoint.LIST_USERS, Fault.serverError(503).times(2));
        for (int i = 0; i < 2; i++) {
            ApiException e = assertThrows(ApiException.class, () -> sdk.authentication.listSnapTradeUsers().execute());
            assertEquals(503, e.getStatusCode());
            assertEquals("1000", code(e));
        }
        assertEquals(List.of(), sdk.authentication.listSnapTradeUsers().execute());
        assertEquals(List.of(), sim.faults().armed(Endpoint.LIST_USERS));
    }

    @Test
    void aRateLimitBurstCarriesItsResetHeader() throws ApiException {
        sim.faults().inject(Endpoint.REGISTER_USER, Fault.rateLimited(Duration.ofSeconds(7)).times(1));
        ApiException e = assertThrows(ApiException.class,
                () -> sdk.authentication.registerSnapTradeUser("alice").execute());
        assertEquals(429, e.getStatusCode());
        assertEquals(List.of("7"), e.getResponseHeaders().get("x-ratelimit-reset"));
        assertEquals(List.of("0"), e.getResponseHeaders().get("x-ratelimit-remaining"));
        assertEquals("{\"detail\":\"Request was throttled. Expected available in 7 seconds.\",\"status_code\":429,"
                + "\"code\":\"0000\"}", e.getResponseBody());
        assertEquals("alice", sdk.authentication.registerSnapTradeUser("alice").execute().getUserId());
    }

    @Test
    void malformedJsonReachesTheCallerAsARawRuntimeException() {
        String secret = sim.control().seedUser("alice");
        sim.faults().inject(Endpoint.LIST_AUTHORIZATIONS, Fault.malformedJson().times(1));
        RuntimeException e = assertThrows(RuntimeException.class,
                () -> sdk.connections.listBrokerageAuthorizations("alice", secret).execute());
        assertEquals("com.google.gson.JsonSyntaxException", e.getClass().getName(), e.toString());
    }

    @Test
    void aBrokerageWithoutItsLogoKeysIsTheSdksNullPointerException() {
        String secret = sim.control().seedUser("alice");
        String id = sim.control().addConnection("alice", "ALPACA", "read");
        sim.faults().inject(Endpoint.LIST_AUTHORIZATIONS, Fault.wrongShape().times(1));
        sim.faults().inject(Endpoint.DETAIL_AUTHORIZATION, Fault.wrongShape().times(1));
        assertThrows(NullPointerException.class,
                () -> sdk.connections.listBrokerageAuthorizations("alice", secret).execute());
        assertThrows(NullPointerException.class,
                () -> sdk.connections.detailBrokerageAuthorization(UUID.fromString(id), "alice", secret).execute());
    }

    @Test
    void aFieldOfTheWrongTypeIsTheSdksIllegalArgumentException() {
        sim.faults().inject(Endpoint.REGISTER_USER, Fault.wrongShape().times(1));
        sim.faults().inject(Endpoint.DELETE_USER, Fault.wrongShape().times(1));
        assertThrows(IllegalArgumentException.class,
                () -> sdk.authentication.registerSnapTradeUser("alice").execute());
        assertThrows(IllegalArgumentException.class,
                () -> sdk.authentication.deleteSnapTradeUser("alice").execute());
    }

    @Test
    void aHangingCallTimesOutOnTheClientsReadTimeout() throws ApiException {
        Snaptrade impatient = Sdk.client(sim, Duration.ofMillis(300));
        sim.faults().inject(Endpoint.LIST_USERS, Fault.timeout(Duration.ofSeconds(3)).times(1));
        long start = System.nanoTime();
        ApiException e = assertThrows(ApiException.class,
                () -> impatient.authentication.listSnapTradeUsers().execute());
        assertEquals(0, e.getStatusCode());
        assertInstanceOf(SocketTimeoutException.class, e.getCause());
        assertTrue(Duration.ofNanos(System.nanoTime() - start).toMillis() < 2500);
        assertEquals(0, sim.requests().last(Endpoint.LIST_USERS).orElseThrow().status());
        assertEquals(List.of(), impatient.authentication.listSnapTradeUsers().execute());
    }

    @Test
    void latencyDelaysTheAnswer() throws ApiException {
        sim.faults().inject(Endpoint.LIST_USERS, Fault.latency(Duration.ofMillis(400)));
        long start = System.nanoTime();
        sdk.authentication.listSnapTradeUsers().execute();
        assertTrue(Duration.ofNanos(System.nanoTime() - start).toMillis() >= 400);
        sim.faults().clear(Endpoint.LIST_USERS);
        assertEquals(List.of(), sim.faults().armed(Endpoint.LIST_USERS));
    }

    @Test
    void aFractionOfCallsFails() {
        sim.faults().inject(Endpoint.LIST_USERS, Fault.serverError(500).fraction(0.5));
        int failures = 0;
        for (int i = 0; i < 60; i++) {
            try {
                sdk.authentication.listSnapTradeUsers().execute();
            } catch (ApiException e) {
                assertEquals(500, e.getStatusCode());
                failures++;
            }
        }
        assertTrue(failures > 5 && failures < 55, failures + " of 60 failed");
    }

    private static String code(ApiException e) {
        try {
            return Json.MAPPER.readTree(e.getResponseBody()).path("code").asText();
        } catch (IOException io) {
            throw new AssertionError("not JSON: " + e.getResponseBody(), io);
        }
    }
}
