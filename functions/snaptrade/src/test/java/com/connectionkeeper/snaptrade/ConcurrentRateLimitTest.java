package com.connectionkeeper.snaptrade;

import static com.connectionkeeper.snaptrade.GatewayContractTest.assertKind;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.connectionkeeper.core.snaptrade.SnapTradeException;
import com.connectionkeeper.core.snaptrade.SnapTradeException.Kind;
import com.connectionkeeper.core.snaptrade.UserCredentials;
import com.connectionkeeper.simulator.RecordedRequest;
import com.connectionkeeper.simulator.SimulatorConfig;
import com.connectionkeeper.testkit.Integration;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Sixteen threads share one gateway against a simulator whose minute is compressed to one second. */
@Integration
class ConcurrentRateLimitTest {
    private static final Duration WINDOW = Duration.ofSeconds(1);
    private static final int THREADS = 16;

    /** Fewer slots than callers (some always wait for one in flight), and more. */
    @ParameterizedTest
    @ValueSource(ints = {12, 40})
    void manyCallersNeverExceedTheLimitInAnyWindowYetUseIt(int limit) throws Exception {
        try (SimulatedSnapTrade snapTrade = SimulatedSnapTrade.start(
                SimulatorConfig.builder(SimulatedSnapTrade.CLIENT_ID, SimulatedSnapTrade.CONSUMER_KEY)
                        .rateLimit(limit).window(WINDOW).build(),
                s -> s.withRateLimit(limit, WINDOW))) {
            UserCredentials user = snapTrade.newUser();
            snapTrade.simulator.requests().clear();
            Duration run = WINDOW.multipliedBy(3).plusMillis(500);
            AtomicInteger calls = new AtomicInteger();
            ExecutorService pool = Executors.newFixedThreadPool(THREADS);
            long end = System.nanoTime() + run.toNanos();
            List<Future<?>> callers = new ArrayList<>();
            for (int i = 0; i < THREADS; i++) {
                callers.add(pool.submit(() -> {
                    while (System.nanoTime() < end) {
                        snapTrade.gateway.listConnections(user);
                        calls.incrementAndGet();
                    }
                    return null;
                }));
            }
            for (Future<?> caller : callers) {
                caller.get();
            }
            pool.shutdown();

            List<RecordedRequest> requests = snapTrade.simulator.requests().all();
            assertEquals(0, WindowCheck.throttled(requests), "429s");
            assertTrue(WindowCheck.busiestWindow(requests, WINDOW) <= limit);
            assertEquals(calls.get(), requests.size(), "every call was one request");
            assertTrue(calls.get() >= 4 * limit, "4 windows started within the run, each full: " + calls.get());
            assertEquals(List.of(), snapTrade.sleeper.delays(), "nobody needed a retry");
        }
    }

    @Test
    void aCallerThatGetsNoSlotWithinItsBudgetIsRateLimitedWithoutSending() {
        try (SimulatedSnapTrade snapTrade = SimulatedSnapTrade.start(
                SimulatorConfig.of(SimulatedSnapTrade.CLIENT_ID, SimulatedSnapTrade.CONSUMER_KEY),
                s -> s.withRateLimit(2, Duration.ofMinutes(1)).withRetryBudget(Duration.ofMillis(300)))) {
            UserCredentials user = snapTrade.newUser();
            snapTrade.gateway.listConnections(user);
            snapTrade.gateway.listConnections(user);

            SnapTradeException e = assertKind(Kind.RATE_LIMITED, () -> snapTrade.gateway.listConnections(user));

            assertEquals(2, snapTrade.simulator.requests().all().size());
            assertEquals(0, e.httpStatus());
            Duration retryAfter = e.retryAfter().orElseThrow();
            assertTrue(retryAfter.compareTo(Duration.ofSeconds(50)) > 0, "a slot frees in about a minute: " + retryAfter);
        }
    }
}
