package com.connectionkeeper.sweep;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.connectionkeeper.core.snaptrade.UserCredentials;
import com.connectionkeeper.simulator.RecordedRequest;
import com.connectionkeeper.snaptrade.BudgetPlan;
import com.connectionkeeper.snaptrade.CallPriority;
import com.connectionkeeper.snaptrade.SnapTradeSdkGateway;
import com.connectionkeeper.testkit.Integration;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/**
 * The sweep spends what the API leaves of the deployment's shared budget, continuously: on a minute compressed to
 * 6 s (sub-windows of 200 ms) against the simulator's rolling window at the limit, a run with the default chunk and
 * concurrency, next to an API instance calling all the time.
 */
@Integration
class SweepBudgetTest {
    private static final int LIMIT = 250;
    private static final Duration WINDOW = Duration.ofSeconds(6);
    private static final BudgetPlan PLAN = new BudgetPlan(LIMIT, 0, 30, WINDOW, Duration.ofMillis(200), 2, 8);
    // slack 2: the minute is compressed tenfold, a loaded machine's scheduling delays are not (see BudgetProcess)

    @Test
    void theSweepSpendsAtLeastSixtyPercentOfTheBudgetAndTheApiWaitsAtMostASubWindow() throws Exception {
        try (LocalSweep sweep = new LocalSweep(LIMIT, WINDOW, PLAN)) {
            for (int i = 0; i < 700; i++) {
                sweep.seedUser("budget-" + i);
            }
            String apiUser = "api-user"; // known to SnapTrade only: the sweep does not check it
            UserCredentials credentials = new UserCredentials(apiUser, sweep.simulator.control().seedUser(apiUser));
            SnapTradeSdkGateway api = sweep.gateway(PLAN, CallPriority.INTERACTIVE);
            sweep.simulator.requests().clear();

            AtomicBoolean running = new AtomicBoolean(true);
            List<Long> apiMillis = Collections.synchronizedList(new ArrayList<>());
            Thread caller = new Thread(() -> {
                while (running.get()) {
                    long start = System.nanoTime();
                    api.listConnections(credentials);
                    apiMillis.add((System.nanoTime() - start) / 1_000_000);
                    sleep(150);
                }
            });
            caller.start();
            SweepSummary summary = sweep.run(new SweepSettings(5000, SweepSettings.DEFAULT_CONCURRENCY,
                    SweepSettings.marginFor(sweep.settings.retryBudget()))).run(LocalSweep.runId(),
                    LocalSweep.PLENTY_OF_TIME);
            running.set(false);
            caller.join();

            assertEquals(700, summary.usersChecked(), summary.toString());
            List<RecordedRequest> requests = sweep.allRequests();
            assertEquals(0, requests.stream().filter(r -> r.status() == 429).count(), "SnapTrade's limit held");
            Instant first = requests.stream().map(RecordedRequest::received).min(Instant::compareTo).orElseThrow();
            Instant from = first.plus(Duration.ofSeconds(1));
            long sweepInWindow = requests.stream().filter(r -> !r.received().isBefore(from)
                    && r.received().isBefore(from.plus(WINDOW)) && !apiUser.equals(r.queryParam("userId"))).count();
            assertTrue(sweepInWindow >= 0.6 * LIMIT, "the sweep's requests in a full window: " + sweepInWindow);
            List<Long> sorted = apiMillis.stream().sorted().toList();
            long p95 = sorted.get((int) (sorted.size() * 0.95));
            // at most one sub-window of waiting, plus the request itself (dynalite and the simulator on a loaded
            // 2-core machine: up to a sub-window more); SharedLimiterTest holds the wait itself to the sub-window
            assertTrue(p95 <= 2 * PLAN.subWindow().toMillis() + 200, "the API's calls, p95 " + p95 + " ms: " + sorted);
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
