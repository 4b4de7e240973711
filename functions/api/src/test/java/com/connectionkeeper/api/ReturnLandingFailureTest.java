package com.connectionkeeper.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.connectionkeeper.core.model.ConnectionStatus;
import com.connectionkeeper.simulator.Endpoint;
import com.connectionkeeper.simulator.Fault;
import com.connectionkeeper.simulator.PortalBrowser;
import com.connectionkeeper.testkit.Integration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Once the landing has used the link up, a failure at any later step (DynamoDB failing on a read or write, SnapTrade
 * failing) never strands the browser on an error asking for a retry that would be refused: it ends at the app's
 * return URL with the best outcome known ({@code reason=NOT_VERIFIED} when unsure). A reload then gets the same
 * answer, without asking SnapTrade and without a write.
 */
@Integration
class ReturnLandingFailureTest extends AliceWithOneConnection {
    private String outcome(String status, String reason) {
        return LocalApi.APP_RETURN + "?status=" + status + "&connectionId=" + c
                + (reason == null ? "" : "&reason=" + reason);
    }

    /** The step that fails (a store method and which call of it, or SnapTrade's detail call), and the outcome. */
    static Stream<Arguments> failures() {
        return Stream.of(
                Arguments.of("credentials", 1, "SUCCESS", "NOT_VERIFIED", "NOT_VERIFIED"),
                Arguments.of("snaptrade", 0, "SUCCESS", "NOT_VERIFIED", "NOT_VERIFIED"),
                Arguments.of("connection", 1, "SUCCESS", null, null),
                Arguments.of("applyToConnection", 1, "SUCCESS", null, null),
                Arguments.of("recordHistory", 1, "SUCCESS", null, null),
                Arguments.of("recordHistory", 2, "SUCCESS", null, null),
                Arguments.of("recordLinkOutcome", 1, "SUCCESS", null, "NOT_VERIFIED"));
    }

    @ParameterizedTest(name = "{0} #{1} fails")
    @MethodSource("failures")
    void aFailureAfterTheLinkIsUsedUpStillEndsAtTheAppWithTheBestKnownOutcome(String step, int call, String status,
                                                                             String reason, String replayReason) {
        String portal = LocalApi.body(api.reconnectLink("alice", c,
                "{\"redirectUrl\":\"" + LocalApi.APP_RETURN + "\"}")).path("redirectURI").asText();
        String landing = PortalBrowser.complete(portal, "SUCCESS"); // repaired at SnapTrade
        if (step.equals("snaptrade")) {
            api.simulator.faults().inject(Endpoint.DETAIL_AUTHORIZATION, Fault.serverError(500));
        } else {
            api.useReconnectStore(FailingStore.failing(api.ports(), step, call));
        }

        APIGatewayV2HTTPResponse r = api.landAt(landing);

        assertEquals(302, r.getStatusCode(), r.getBody());
        assertEquals(outcome(status, reason), LocalApi.outcomeOf(r.getHeaders().get("location")));
        assertTrue(api.items("alice", "LINK#").get(0).containsKey("consumedAt"), "the link is used up");

        var before = api.snapshot();
        int details = api.simulator.requests().count(Endpoint.DETAIL_AUTHORIZATION);
        APIGatewayV2HTTPResponse reload = api.landAt(landing);

        assertEquals(302, reload.getStatusCode(), reload.getBody());
        assertEquals(outcome(status, replayReason), LocalApi.outcomeOf(reload.getHeaders().get("location")));
        assertEquals(before, api.snapshot(), "a reload writes nothing");
        assertEquals(details, api.simulator.requests().count(Endpoint.DETAIL_AUTHORIZATION), "nor asks SnapTrade");
    }

    @Test
    void withoutAnAppUrlAFailedWriteStillShowsTheOutcomePage() {
        String portal = LocalApi.body(api.reconnectLink("alice", c, null)).path("redirectURI").asText();
        String landing = PortalBrowser.complete(portal, "SUCCESS");
        api.useReconnectStore(FailingStore.failing(api.ports(), "applyToConnection", 1));

        APIGatewayV2HTTPResponse r = api.landAt(landing);

        assertEquals(200, r.getStatusCode(), r.getBody());
        assertNull(r.getHeaders().get("location"));
        assertTrue(r.getBody().contains("Your brokerage connection is repaired."), r.getBody());
        assertEquals(ConnectionStatus.BROKEN, api.connections.connection("alice", c).orElseThrow().status(),
                "not written here: SnapTrade's CONNECTION_FIXED webhook or the sweep will");
    }

    @Test
    void anAbandonedPortalWhoseReturnCannotBeRecordedStillGoesBackToTheApp() {
        String portal = LocalApi.body(api.reconnectLink("alice", c,
                "{\"redirectUrl\":\"" + LocalApi.APP_RETURN + "\"}")).path("redirectURI").asText();
        String landing = PortalBrowser.complete(portal, "ABANDONED");
        api.useReconnectStore(FailingStore.failing(api.ports(), "recordHistory", 1));

        APIGatewayV2HTTPResponse r = api.landAt(landing);

        assertEquals(302, r.getStatusCode(), r.getBody());
        assertEquals(outcome("ABANDONED", null), LocalApi.outcomeOf(r.getHeaders().get("location")));
        assertEquals(outcome("ABANDONED", null),
                LocalApi.outcomeOf(api.landAt(landing).getHeaders().get("location")), "and a reload");
    }

    /**
     * The store with the first call of {@code method} held until {@link #release}: the first return of a link is in
     * flight there (after the link is used up, before its outcome is recorded) while a second request comes.
     */
    private static final class Held {
        final CountDownLatch entered = new CountDownLatch(1);
        final CountDownLatch release = new CountDownLatch(1);
        final Object proxy;

        Held(List<?> adapters, String method) {
            proxy = FailingStore.proxy((p, m, args) -> {
                if (m.getName().equals(method) && entered.getCount() > 0) {
                    entered.countDown();
                    release.await();
                }
                return FailingStore.forward(adapters, m, args);
            });
        }
    }

    /** The first return's portal parameters, and what a concurrent replay of its state must get. */
    static Stream<Arguments> firstReturns() {
        return Stream.of(
                Arguments.of("ERROR", null, "ERROR", "ERROR", "NOT_VERIFIED"),
                Arguments.of("ABANDONED", null, "ABANDONED", "ABANDONED", "NOT_VERIFIED"),
                Arguments.of("SUCCESS", "some-other-connection", "ERROR", "ERROR", "DIFFERENT_CONNECTION"));
    }

    /**
     * The user opens the return URL twice at once, the second copy edited to {@code status=SUCCESS}: the second finds
     * the link used but no outcome recorded yet. What it gets signed comes from what the first stored when it used
     * the link up, never from its own query.
     */
    @ParameterizedTest(name = "first {0}, a replay with SUCCESS in flight")
    @MethodSource("firstReturns")
    void aReplayWhileTheFirstReturnIsInFlightSignsWhatTheFirstStoredNotItsOwnQuery(
            String firstStatus, String firstConnection, String firstOutcome, String replayStatus, String replayReason)
            throws Exception {
        api.reconnectLink("alice", c, "{\"redirectUrl\":\"" + LocalApi.APP_RETURN + "\"}");
        String state = api.lastState();
        Held held = new Held(api.ports(), "recordLinkOutcome");
        api.useReconnectStore(held.proxy);
        CompletableFuture<APIGatewayV2HTTPResponse> first =
                CompletableFuture.supplyAsync(() -> api.land(state, firstStatus, firstConnection));
        APIGatewayV2HTTPResponse replay;
        try {
            assertTrue(held.entered.await(60, TimeUnit.SECONDS), "the first return reaches recordLinkOutcome");
            replay = api.land(state, "SUCCESS", c);
        } finally {
            held.release.countDown();
        }

        assertEquals(302, replay.getStatusCode(), replay.getBody());
        assertEquals(outcome(replayStatus, replayReason), LocalApi.outcomeOf(replay.getHeaders().get("location")));
        APIGatewayV2HTTPResponse r = first.get(60, TimeUnit.SECONDS);
        assertEquals(302, r.getStatusCode(), r.getBody());
        assertEquals(firstOutcome, LocalApi.query(java.net.URI.create(r.getHeaders().get("location")).getRawQuery())
                .get("status"));
    }

    @Test
    void aReplayThatCannotReadItsLinkNeverSignsItsOwnQuery() {
        api.reconnectLink("alice", c, "{\"redirectUrl\":\"" + LocalApi.APP_RETURN + "\"}");
        String state = api.lastState();
        assertEquals(outcome("ERROR", null), LocalApi.outcomeOf(api.land(state, "ERROR", null).getHeaders()
                .get("location")));
        api.useReconnectStore(FailingStore.failing(api.ports(), "link", 1));

        APIGatewayV2HTTPResponse replay = api.land(state, "SUCCESS", c);

        assertEquals(302, replay.getStatusCode(), replay.getBody());
        assertEquals(outcome("ERROR", "NOT_VERIFIED"), LocalApi.outcomeOf(replay.getHeaders().get("location")),
                "nothing known: no success claimed");
    }
}
