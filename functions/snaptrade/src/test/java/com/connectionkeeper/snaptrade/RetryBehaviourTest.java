package com.connectionkeeper.snaptrade;

import static com.connectionkeeper.snaptrade.GatewayContractTest.assertKind;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.connectionkeeper.core.snaptrade.SnapTradeException;
import com.connectionkeeper.core.snaptrade.SnapTradeException.Kind;
import com.connectionkeeper.core.snaptrade.UserCredentials;
import com.connectionkeeper.simulator.Endpoint;
import com.connectionkeeper.simulator.Fault;
import com.connectionkeeper.simulator.RecordedRequest;
import com.connectionkeeper.testkit.Integration;
import java.net.ServerSocket;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Faults at the simulator: what is retried, how long the gateway waits, when it gives up and as what. */
@Integration
class RetryBehaviourTest {
    private SimulatedSnapTrade snapTrade;
    private UserCredentials user;

    @BeforeEach
    void start() {
        snapTrade = SimulatedSnapTrade.start();
        user = snapTrade.newUser();
    }

    @AfterEach
    void stop() {
        snapTrade.close();
    }

    @Test
    void serverErrorsAreRetriedWithGrowingDelaysUntilTheCallSucceeds() {
        snapTrade.simulator.faults().inject(Endpoint.LIST_AUTHORIZATIONS, Fault.serverError(503).times(3));

        assertEquals(List.of(), snapTrade.gateway.listConnections(user));

        assertEquals(List.of(503, 503, 503, 200), statuses(Endpoint.LIST_AUTHORIZATIONS));
        // jitter fixed at 1.0: the full-jitter caps themselves, 50 ms doubling
        assertEquals(List.of(Duration.ofMillis(50), Duration.ofMillis(100), Duration.ofMillis(200)),
                snapTrade.sleeper.delays());
        List<String> retries = snapTrade.log.events("snaptrade_retry");
        assertEquals(3, retries.size());
        assertTrue(retries.get(2).contains("\"attempt\":3") && retries.get(2).contains("\"delayMs\":200")
                && retries.get(2).contains("\"status\":503") && retries.get(2).contains(user.userId()), retries.get(2));
    }

    @Test
    void aPersistentServerErrorGivesUpWithinTheBudgetAsUnavailable() {
        snapTrade.simulator.faults().inject(Endpoint.LIST_AUTHORIZATIONS, Fault.serverError(500));
        long start = System.nanoTime();

        SnapTradeException e = assertKind(Kind.UNAVAILABLE, () -> snapTrade.gateway.listConnections(user));

        Duration took = Duration.ofNanos(System.nanoTime() - start);
        assertTrue(took.compareTo(snapTrade.settings.retryBudget()) <= 0, "gave up after " + took);
        assertEquals(500, e.httpStatus());
        List<Duration> delays = snapTrade.sleeper.delays();
        assertTrue(delays.size() >= 5, "retries: " + delays);
        for (int i = 1; i < delays.size(); i++) {
            assertTrue(delays.get(i).compareTo(delays.get(i - 1)) >= 0, "non-decreasing: " + delays);
        }
        assertEquals(Duration.ofMillis(400), delays.get(delays.size() - 1), "capped at maxBackoff: " + delays);
        Duration slept = delays.stream().reduce(Duration.ZERO, Duration::plus);
        assertTrue(slept.compareTo(snapTrade.settings.retryBudget()) <= 0, "slept " + slept);
        assertEquals(delays.size() + 1, snapTrade.simulator.requests().count(Endpoint.LIST_AUTHORIZATIONS));
        assertEquals(1, snapTrade.log.events("snaptrade_giveup").size());
    }

    @Test
    void aTimeoutIsRetriedAndTheRetrySucceeds() {
        String id = snapTrade.simulator.control().addConnection(user.userId(), "ALPACA", "read");
        snapTrade.simulator.faults().inject(Endpoint.DETAIL_AUTHORIZATION, Fault.timeout(Duration.ofSeconds(2)).times(1));

        assertEquals(id, snapTrade.gateway.connection(user, id).id());

        assertEquals(List.of(0, 200), statuses(Endpoint.DETAIL_AUTHORIZATION));
        assertEquals(1, snapTrade.sleeper.delays().size());
    }

    @Test
    void persistentTimeoutsGiveUpAsUnavailableWithoutStatus() {
        snapTrade.simulator.faults().inject(Endpoint.LIST_AUTHORIZATIONS, Fault.timeout(Duration.ofSeconds(2)));
        long start = System.nanoTime();

        SnapTradeException e = assertKind(Kind.UNAVAILABLE, () -> snapTrade.gateway.listConnections(user));

        Duration took = Duration.ofNanos(System.nanoTime() - start);
        // the budget bounds the waits; the last attempt may still take one read timeout
        Duration bound = snapTrade.settings.retryBudget().plus(snapTrade.settings.readTimeout()).plusMillis(300);
        assertTrue(took.compareTo(bound) <= 0, "gave up after " + took);
        assertEquals(0, e.httpStatus());
        assertTrue(snapTrade.simulator.requests().count(Endpoint.LIST_AUTHORIZATIONS) >= 3);
    }

    @Test
    void registeringIsNotRepeatedAfterATimeoutBecauseTheFirstMayHaveWorked() {
        snapTrade.simulator.faults().inject(Endpoint.REGISTER_USER, Fault.timeout(Duration.ofSeconds(2)).times(1));

        assertKind(Kind.UNAVAILABLE, () -> snapTrade.gateway.registerUser("new-" + UUID.randomUUID()));

        assertEquals(1, snapTrade.simulator.requests().count(Endpoint.REGISTER_USER));
    }

    @Test
    void registeringIsRetriedAfterAServerError() {
        snapTrade.simulator.faults().inject(Endpoint.REGISTER_USER, Fault.serverError(502).times(1));
        String userId = "new-" + UUID.randomUUID();

        assertEquals(userId, snapTrade.gateway.registerUser(userId).userId());

        assertEquals(List.of(502, 200), statuses(Endpoint.REGISTER_USER));
    }

    @Test
    void a429IsRetriedAfterTheResetSnapTradeAnnounces() {
        snapTrade.simulator.faults().inject(Endpoint.LIST_AUTHORIZATIONS,
                Fault.rateLimited(Duration.ofSeconds(1)).times(1));

        snapTrade.gateway.listConnections(user);

        List<RecordedRequest> sent = snapTrade.simulator.requests().of(Endpoint.LIST_AUTHORIZATIONS);
        assertEquals(List.of(429, 200), sent.stream().map(RecordedRequest::status).toList());
        Duration delay = snapTrade.sleeper.delays().get(0);
        assertTrue(delay.compareTo(Duration.ofSeconds(1)) >= 0 && delay.compareTo(Duration.ofMillis(1050)) <= 0,
                "the reset plus at most the first jitter: " + delay);
        assertTrue(Duration.between(sent.get(0).received(), sent.get(1).received()).toMillis() >= 990);
    }

    @Test
    void a429WhoseResetIsBeyondTheBudgetGivesUpAtOnceAsRateLimited() {
        snapTrade.simulator.faults().inject(Endpoint.LIST_AUTHORIZATIONS, Fault.rateLimited(Duration.ofSeconds(7)));

        SnapTradeException e = assertKind(Kind.RATE_LIMITED, () -> snapTrade.gateway.listConnections(user));

        assertEquals(429, e.httpStatus());
        assertEquals(Duration.ofSeconds(7), e.retryAfter().orElseThrow());
        assertEquals(1, snapTrade.simulator.requests().count(Endpoint.LIST_AUTHORIZATIONS));
        assertEquals(List.of(), snapTrade.sleeper.delays());
    }

    @Test
    void persistent429sGiveUpAsRateLimitedWithinTheBudget() {
        snapTrade.simulator.faults().inject(Endpoint.LIST_AUTHORIZATIONS, Fault.rateLimited(Duration.ofSeconds(1)));
        long start = System.nanoTime();

        SnapTradeException e = assertKind(Kind.RATE_LIMITED, () -> snapTrade.gateway.listConnections(user));

        assertTrue(Duration.ofNanos(System.nanoTime() - start).compareTo(snapTrade.settings.retryBudget()) <= 0);
        assertEquals(Duration.ofSeconds(1), e.retryAfter().orElseThrow());
        assertEquals(snapTrade.sleeper.delays().size() + 1,
                snapTrade.simulator.requests().count(Endpoint.LIST_AUTHORIZATIONS));
    }

    @Test
    void a429HoldsBackEveryCallerOfTheClientUntilTheReset() throws Exception {
        String id = snapTrade.simulator.control().addConnection(user.userId(), "ALPACA", "read");
        snapTrade.simulator.faults().inject(Endpoint.LIST_AUTHORIZATIONS,
                Fault.rateLimited(Duration.ofSeconds(1)).times(1));
        CompletableFuture<?> throttled = CompletableFuture.runAsync(() -> snapTrade.gateway.listConnections(user));
        while (snapTrade.log.events("snaptrade_retry").isEmpty()) {
            Thread.sleep(5); // the 429 is handled (the client paused) before the retry is logged
        }

        snapTrade.gateway.connection(user, id);
        throttled.get();

        Instant throttledAt = snapTrade.simulator.requests().of(Endpoint.LIST_AUTHORIZATIONS).get(0).received();
        Instant otherAt = snapTrade.simulator.requests().last(Endpoint.DETAIL_AUTHORIZATION).orElseThrow().received();
        assertTrue(Duration.between(throttledAt, otherAt).toMillis() >= 950,
                "another caller waited for the reset: " + Duration.between(throttledAt, otherAt));
    }

    @Test
    void anUnreachableSnapTradeIsRetriedThenUnavailable() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        RecordingSleeper sleeper = new RecordingSleeper();
        SnapTradeSdkGateway gateway = new SnapTradeSdkGateway(
                SimulatedSnapTrade.fastSettings("http://127.0.0.1:" + closedPort + "/api/v1")
                        .withRetryBudget(Duration.ofSeconds(1)), sleeper, () -> 1.0, line -> { });

        SnapTradeException e = assertKind(Kind.UNAVAILABLE, () -> gateway.registerUser("u1"));

        assertEquals(0, e.httpStatus());
        assertTrue(sleeper.delays().size() >= 3, "connection refused is retried even for registerUser");
    }

    @Test
    void latencyBelowTheReadTimeoutIsNoFailure() {
        snapTrade.simulator.faults().inject(Endpoint.LIST_AUTHORIZATIONS, Fault.latency(Duration.ofMillis(200)));

        assertEquals(List.of(), snapTrade.gateway.listConnections(user));

        assertEquals(List.of(), snapTrade.sleeper.delays());
    }

    private List<Integer> statuses(Endpoint endpoint) {
        return snapTrade.simulator.requests().of(endpoint).stream().map(RecordedRequest::status).toList();
    }
}
