package com.connectionkeeper.api;

import static com.connectionkeeper.api.LocalApi.body;
import static com.connectionkeeper.api.LocalApi.error;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.connectionkeeper.core.config.EnvironmentConfig;
import com.connectionkeeper.core.model.ConnectionStatus;
import com.connectionkeeper.simulator.Endpoint;
import com.connectionkeeper.simulator.Fault;
import com.connectionkeeper.simulator.PortalBrowser;
import com.connectionkeeper.testkit.Integration;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * SnapTrade misbehaving under each route that calls it: unavailable (5xx after the gateway's retries) and unreadable
 * answers are a 502, an exhausted rate limit a 503 with Retry-After; in every case nothing is written here, and the
 * answer holds no secret. A single 5xx is absorbed by the gateway's retry.
 */
@Integration
class SnapTradeFailuresTest {
    private LocalApi api;
    private String brokenTrade;
    private String webhookOnly;

    /** One route that calls SnapTrade: its call, the endpoint it reaches, and what must not have happened. */
    record Route(String name, Endpoint endpoint, Function<SnapTradeFailuresTest, APIGatewayV2HTTPResponse> call,
                 Consumer<SnapTradeFailuresTest> nothingHappened) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Route> routes() {
        return Stream.of(
                new Route("POST /users", Endpoint.REGISTER_USER, t -> t.api.register("carol"), t -> {
                    assertFalse(t.api.simulator.control().users().contains("carol"));
                    assertTrue(t.api.accounts.account("carol").map(a -> !a.hasSecret() && a.status() == null)
                            .orElse(true), "at most the intent of a registration whose outcome is unknown");
                }),
                new Route("PUT /users/{userId}/secret", Endpoint.LIST_AUTHORIZATIONS,
                        t -> t.api.importSecret("dave", t.api.secretAtSnapTrade("dave")),
                        t -> assertTrue(t.api.secrets.credentials("dave").isEmpty())),
                new Route("DELETE /users/{userId}", Endpoint.DELETE_USER, t -> t.api.delete("alice"), t -> {
                    assertTrue(t.api.simulator.control().users().contains("alice"), "still at SnapTrade");
                    assertFalse(t.api.accounts.account("alice").orElseThrow().deleted(), "not deleted here either");
                    assertEquals(ConnectionStatus.BROKEN,
                            t.api.connections.connection("alice", t.brokenTrade).orElseThrow().status());
                    assertTrue(t.api.secrets.credentials("alice").isPresent());
                }),
                new Route("POST …/reconnect-link (login)", Endpoint.LOGIN,
                        t -> t.api.reconnectLink("alice", t.brokenTrade, null), t -> {
                            assertEquals(List.of(), t.api.items("alice", "LINK#"));
                            assertNull(t.api.accounts.account("alice").orElseThrow().problem(), "not flagged");
                        }),
                new Route("POST …/reconnect-link (type lookup)", Endpoint.DETAIL_AUTHORIZATION,
                        t -> t.api.reconnectLink("alice", t.webhookOnly, null), t -> {
                            assertEquals(0, t.api.simulator.requests().count(Endpoint.LOGIN), "no link asked for");
                            assertEquals(List.of(), t.api.items("alice", "LINK#"));
                        }));
    }

    @BeforeEach
    void start() {
        api = new LocalApi();
        brokenTrade = api.importedUser("alice", "!ALPACA:trade").get(0);
        webhookOnly = api.simulator.control().addConnection("alice", "ROBINHOOD", "trade");
        api.deliver("CONNECTION_ADDED", webhookOnly);
        api.simulator.control().breakConnection(webhookOnly);
        api.deliver("CONNECTION_BROKEN", webhookOnly);
        api.simulator.control().seedUser("dave");
        api.simulator.control().addConnection("dave", "ALPACA", "read");
        api.simulator.requests().clear();
    }

    @AfterEach
    void stop() {
        api.close();
    }

    private void assertFailedCleanly(Route route, APIGatewayV2HTTPResponse r, List<?> before) {
        assertFailedCleanly(route, r, before, false);
    }

    /**
     * With {@code outcomeUnknown} (no answer, or one we could not read), a registration keeps its intent — an item
     * with nothing but {@code registeringSince} — for the retry that must find out whether SnapTrade registered the
     * user (issue 9, item 4); everything else is unchanged.
     */
    private void assertFailedCleanly(Route route, APIGatewayV2HTTPResponse r, List<?> before, boolean outcomeUnknown) {
        assertEquals("application/json", r.getHeaders().get("content-type"));
        assertEquals(1, body(r).size(), r.getBody());
        List<Map<String, software.amazon.awssdk.services.dynamodb.model.AttributeValue>> after = api.snapshot();
        if (outcomeUnknown && route.endpoint() == Endpoint.REGISTER_USER) {
            assertEquals(1, after.size() - before.size(), "the registration's intent is kept");
            after = after.stream().filter(i -> !i.keySet().equals(java.util.Set.of("pk", "sk", "entity", "userId",
                    "registeringSince"))).toList();
        }
        assertEquals(before, after, "the table is unchanged");
        route.nothingHappened().accept(this);
        api.assertNoSecret(r);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("routes")
    void snapTradeUnavailableIs502AfterRetries(Route route) {
        api.simulator.faults().inject(route.endpoint(), Fault.serverError(500));
        var before = api.snapshot();

        APIGatewayV2HTTPResponse r = route.call().apply(this);

        assertEquals(502, r.getStatusCode(), r.getBody());
        assertEquals("SnapTrade is unavailable; retry later", error(r));
        assertNull(r.getHeaders().get("retry-after"));
        assertTrue(api.simulator.requests().count(route.endpoint()) > 1, "the gateway retried");
        assertFailedCleanly(route, r, before, true);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("routes")
    void aClientSnapTradeRefusesIs502AndNoUserIsBlamed(Route route) {
        api.reconfigure(Map.of(EnvironmentConfig.SNAPTRADE_CONSUMER_KEY, "not-the-consumer-key"));
        var before = api.snapshot();

        APIGatewayV2HTTPResponse r = route.call().apply(this);

        assertEquals(502, r.getStatusCode(), r.getBody());
        assertEquals("SnapTrade refused this deployment's client credentials (SnapTradeClientId, consumer key) or "
                + "its clock; nothing was changed", error(r));
        assertEquals(1, api.simulator.requests().count(route.endpoint()), "refused at once, not retried");
        assertFailedCleanly(route, r, before);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("routes")
    void anUnreadableAnswerIs502WithoutRetry(Route route) {
        api.simulator.faults().inject(route.endpoint(), Fault.malformedJson());
        var before = api.snapshot();

        APIGatewayV2HTTPResponse r = route.call().apply(this);

        assertEquals(502, r.getStatusCode(), r.getBody());
        assertEquals("SnapTrade gave an answer we could not read; retry later", error(r));
        assertEquals(1, api.simulator.requests().count(route.endpoint()));
        assertFailedCleanly(route, r, before, true);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("routes")
    void anExhaustedRateLimitIs503WithRetryAfterAndHoldsBackTheNextCall(Route route) {
        api.simulator.faults().inject(route.endpoint(), Fault.rateLimited(Duration.ofSeconds(30)));
        var before = api.snapshot();

        APIGatewayV2HTTPResponse r = route.call().apply(this);

        assertEquals(503, r.getStatusCode(), r.getBody());
        assertEquals("SnapTrade's rate limit is exhausted; retry later", error(r));
        assertEquals("30", r.getHeaders().get("retry-after"), "SnapTrade's reset, in whole seconds");
        assertEquals(1, api.simulator.requests().count(route.endpoint()), "not retried within the budget");
        assertFailedCleanly(route, r, before);

        int sent = api.simulator.requests().all().size();
        APIGatewayV2HTTPResponse next = route.call().apply(this);

        assertEquals(503, next.getStatusCode(), next.getBody());
        long retryAfter = Long.parseLong(next.getHeaders().get("retry-after"));
        // the rest of the reset, to the end of the shared budget's sub-window it ends in (2 s at most)
        assertTrue(retryAfter >= 25 && retryAfter <= 32, "the rest of SnapTrade's reset: " + retryAfter);
        assertEquals(sent, api.simulator.requests().all().size(), "held back without asking SnapTrade");
        assertFailedCleanly(route, next, before);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("routes")
    void oneServerErrorIsAbsorbedByARetry(Route route) {
        api.simulator.faults().inject(route.endpoint(), Fault.serverError(503).times(1));

        APIGatewayV2HTTPResponse r = route.call().apply(this);

        assertTrue(r.getStatusCode() == 200 || r.getStatusCode() == 201, r.getStatusCode() + " " + r.getBody());
        assertEquals(2, api.simulator.requests().count(route.endpoint()));
        api.assertNoSecret(r);
    }

    @Test
    void aRejectedSecretDuringImportIs422NotARetry() {
        APIGatewayV2HTTPResponse r = api.importSecret("dave", "not-daves-secret-5150");

        assertEquals(422, r.getStatusCode());
        assertEquals(1, api.simulator.requests().count(Endpoint.LIST_AUTHORIZATIONS));
        api.assertNoSecret(r, "not-daves-secret-5150");
    }

    @Test
    void snapTradeFailingAtTheLandingLeavesTheConnectionForTheWebhookOrTheSweep() {
        APIGatewayV2HTTPResponse link = api.reconnectLink("alice", brokenTrade,
                "{\"redirectUrl\":\"" + LocalApi.APP_RETURN + "\"}");
        String landing = PortalBrowser.complete(body(link).path("redirectURI").asText(), "SUCCESS");
        api.simulator.faults().inject(Endpoint.DETAIL_AUTHORIZATION, Fault.rateLimited(Duration.ofSeconds(30)));
        var connectionBefore = api.items("alice", "CONN#");

        APIGatewayV2HTTPResponse r = api.landAt(landing);

        assertEquals(302, r.getStatusCode(), r.getBody());
        assertEquals(LocalApi.APP_RETURN + "?status=SUCCESS&connectionId=" + brokenTrade + "&reason=NOT_VERIFIED",
                LocalApi.outcomeOf(r.getHeaders().get("location")));
        assertEquals(connectionBefore, api.items("alice", "CONN#"));
        assertEquals(ConnectionStatus.BROKEN, api.connections.connection("alice", brokenTrade).orElseThrow().status());
        int details = api.simulator.requests().count(Endpoint.DETAIL_AUTHORIZATION);
        APIGatewayV2HTTPResponse reload = api.landAt(landing);
        assertEquals(302, reload.getStatusCode(), "the link is used up all the same: a reload gets the same answer");
        assertEquals(r.getHeaders().get("location"), reload.getHeaders().get("location"));
        assertEquals(details, api.simulator.requests().count(Endpoint.DETAIL_AUTHORIZATION), "without SnapTrade");
    }
}
