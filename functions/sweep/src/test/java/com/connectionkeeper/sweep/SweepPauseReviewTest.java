package com.connectionkeeper.sweep;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.connectionkeeper.simulator.Endpoint;
import com.connectionkeeper.simulator.Fault;
import com.connectionkeeper.snaptrade.BudgetPlan;
import com.connectionkeeper.testkit.Integration;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * Review of issue 15: one 429 whose reset is longer than the retry budget closes the sub-windows ahead; every check the
 * run starts meanwhile then fails at once with RATE_LIMITED (no slot can come within the budget), without a request.
 * The run should wait for the pause, not run through its plan marking each user a transient failure (retry backoff,
 * its due time dropped, its last check moved to now).
 */
@Integration
class SweepPauseReviewTest {
    private static final Duration WINDOW = Duration.ofSeconds(6);
    private static final BudgetPlan PLAN = new BudgetPlan(250, 0, 30, WINDOW, Duration.ofMillis(200), 2, 8);

    @Test
    void oneLong429DoesNotFailTheUsersTheRunStartsDuringThePause() throws Exception {
        try (LocalSweep sweep = new LocalSweep(250, WINDOW, PLAN)) {
            for (int i = 0; i < 200; i++) {
                sweep.seedUser("pause-" + i);
            }
            sweep.simulator.faults().inject(Endpoint.LIST_AUTHORIZATIONS, Fault.rateLimited(Duration.ofSeconds(5))
                    .times(1));
            SweepSummary summary = sweep.run(new SweepSettings(5000, SweepSettings.DEFAULT_CONCURRENCY,
                    SweepSettings.marginFor(sweep.settings.retryBudget()))).run(LocalSweep.runId(),
                    LocalSweep.PLENTY_OF_TIME);
            int failed = summary.failures("RATE_LIMITED");
            assertTrue(failed <= SweepSettings.DEFAULT_CONCURRENCY, "one 429 (reset 5 s) failed " + failed
                    + " users without a request: " + summary);
        }
    }
}
