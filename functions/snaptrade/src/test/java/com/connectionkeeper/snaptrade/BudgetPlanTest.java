package com.connectionkeeper.snaptrade;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.connectionkeeper.core.config.Config;
import com.connectionkeeper.core.config.EnvironmentConfig;
import java.time.Duration;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class BudgetPlanTest {

    @Test
    void anySpanOfConsecutiveCapsAddsUpToTheBudgetExactly() {
        for (int limit : new int[] {1, 7, 31, 250, 1000}) {
            BudgetPlan plan = new BudgetPlan(limit, 0, 30, Duration.ofMinutes(1), Duration.ofSeconds(2), 1, 8);
            long start = plan.windowAt(System.currentTimeMillis());
            for (long k = start; k < start + 200; k++) {
                int sum = 0;
                for (long j = k; j < k + plan.span(); j++) {
                    sum += plan.cap(j);
                    assertTrue(plan.cap(j) >= 0 && plan.cap(j) <= plan.lowWater());
                }
                assertEquals(limit, sum, "limit " + limit + " from sub-window " + k);
            }
        }
    }

    /**
     * The guarantee itself: requests spread at random over the sub-windows' caps, each arriving up to one sub-window
     * late (clock spread plus arrival delay), never put more than the budget into a rolling window.
     */
    @Test
    void noRollingWindowHoldsMoreThanTheBudgetWithinTheSlack() {
        BudgetPlan plan = new BudgetPlan(250, 25, 30, Duration.ofMinutes(1), Duration.ofSeconds(2), 1, 8);
        Random random = new Random(15);
        long sub = plan.subWindow().toMillis();
        long first = plan.windowAt(1_700_000_000_000L);
        int windows = 400;
        long[] arrivals = new long[windows * plan.lowWater()];
        int n = 0;
        for (long k = first; k < first + windows; k++) {
            for (int i = 0; i < plan.cap(k); i++) {
                long taken = plan.startOf(k) + (long) (random.nextDouble() * sub);
                arrivals[n++] = taken + (long) (random.nextDouble() * sub); // skew + arrival <= one sub-window
            }
        }
        long[] sorted = java.util.Arrays.copyOf(arrivals, n);
        java.util.Arrays.sort(sorted);
        int busiest = 0;
        int lo = 0;
        for (int hi = 0; hi < n; hi++) {
            while (sorted[hi] - sorted[lo] >= plan.window().toMillis()) {
                lo++;
            }
            busiest = Math.max(busiest, hi - lo + 1);
        }
        assertTrue(busiest <= plan.budget(), "busiest rolling window " + busiest + " > " + plan.budget());
        assertTrue(busiest >= plan.budget() * plan.ceiling() - plan.lowWater(), "and it spends it: " + busiest);
    }

    @Test
    void theDefaultsSpendUpToFifteenSixteenthsOfWhatTheAppLeaves() {
        BudgetPlan plan = BudgetPlan.defaults();
        assertEquals(225, plan.budget());
        assertEquals(30, plan.perWindow());
        assertEquals(32, plan.span());
        assertEquals(0.9375, plan.ceiling(), 1e-9);
        assertEquals(2, plan.reserve(), "two slots in every 2-s sub-window for users in a browser");
        assertEquals(8, plan.lowWater());
    }

    @Test
    void readsTheFunctionsSettings() {
        BudgetPlan plan = BudgetPlan.from(config(Map.of(BudgetPlan.ENV_RATE_LIMIT, "500",
                BudgetPlan.ENV_APP_RESERVED, "0", BudgetPlan.ENV_INTERACTIVE_RESERVED, "90")));
        assertEquals(500, plan.budget());
        assertEquals(3, plan.reserve());
        assertEquals(BudgetPlan.defaults(), BudgetPlan.from(config(Map.of())));
    }

    @Test
    void refusesSettingsThatLeaveNothingOrCannotBeRead() {
        IllegalStateException all = assertThrows(IllegalStateException.class, () -> BudgetPlan.from(config(Map.of(
                BudgetPlan.ENV_RATE_LIMIT, "100", BudgetPlan.ENV_APP_RESERVED, "100"))));
        assertTrue(all.getMessage().contains(BudgetPlan.ENV_APP_RESERVED), all.getMessage());
        IllegalStateException negative = assertThrows(IllegalStateException.class, () -> BudgetPlan.from(config(
                Map.of(BudgetPlan.ENV_APP_RESERVED, "-1"))));
        assertTrue(negative.getMessage().contains(BudgetPlan.ENV_APP_RESERVED), negative.getMessage());
        assertThrows(IllegalStateException.class, () -> BudgetPlan.from(config(Map.of(BudgetPlan.ENV_RATE_LIMIT,
                "lots"))));
        assertThrows(IllegalArgumentException.class, () -> BudgetPlan.defaults().withWindows(Duration.ofMinutes(1),
                Duration.ofSeconds(7), 1), "7 s does not divide a minute");
        assertThrows(IllegalArgumentException.class, () -> BudgetPlan.defaults().withWindows(Duration.ofMinutes(1),
                Duration.ofSeconds(2), 0), "no slack");
    }

    private static Config config(Map<String, String> env) {
        return new EnvironmentConfig(env);
    }
}
