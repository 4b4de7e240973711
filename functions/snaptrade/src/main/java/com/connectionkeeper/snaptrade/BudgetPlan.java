package com.connectionkeeper.snaptrade;

import com.connectionkeeper.core.config.Config;
import com.connectionkeeper.core.config.EnvironmentVariables;
import java.time.Duration;

/**
 * How the deployment shares SnapTrade's rolling limit: {@code limit} requests per {@code window} per client id, of
 * which the customer's own app keeps {@code appReserved}; the rest, the <em>budget</em>, is counted in sub-windows of
 * {@code subWindow}, each with its own cap.
 *
 * <p><b>Why the caps keep the limit.</b> Let {@code n = window / subWindow} and {@code K = n + 1 + slack}. Window
 * {@code k}'s cap is {@code floor((k+1)·B/K) − floor(k·B/K)} for the budget {@code B}, so any {@code K} consecutive
 * sub-windows hold at most {@code B} slots together. A request takes its slot in sub-window {@code k} of its own
 * process's clock and reaches SnapTrade a little later. If process clocks differ by {@code δ} and a request arrives
 * within {@code d} of taking its slot, with {@code δ + d ≤ slack · subWindow}, the requests of sub-window {@code k}
 * arrive within a span of {@code (1 + slack) · subWindow}, and any rolling {@code window} of SnapTrade's clock meets the
 * spans of at most {@code n + 1 + slack = K} sub-windows: at most {@code B} requests. The price is the utilisation,
 * {@code n / K} of the budget at most (30/32 = 0.94 with the defaults).
 *
 * <p><b>Priorities.</b> Background callers (the sweep) leave {@link #reserve()} slots of each sub-window to
 * interactive ones, until the last quarter of the sub-window, when they may take them too (unused, they would be
 * lost). So an interactive call waits at most one sub-window, and the sweep still spends nearly everything.
 *
 * @param limit               SnapTrade's limit per client id in any rolling {@code window} (250)
 * @param appReserved         what the customer's own app, which shares the client id, may send per {@code window}
 * @param interactiveReserved slots per {@code window} kept for interactive calls (spread over the sub-windows)
 * @param window              SnapTrade's rolling window (60 s)
 * @param subWindow           the counters' granularity; divides {@code window}
 * @param slack               sub-windows of clock spread plus arrival delay the caps allow for (≥ 1)
 * @param block               slots a background process takes at once (its threads share them)
 */
public record BudgetPlan(int limit, int appReserved, int interactiveReserved, Duration window, Duration subWindow,
                         int slack, int block) {
    public static final String ENV_RATE_LIMIT = "SNAPTRADE_RATE_LIMIT_PER_MINUTE";
    public static final String ENV_APP_RESERVED = "SNAPTRADE_APP_RESERVED_PER_MINUTE";
    public static final String ENV_INTERACTIVE_RESERVED = "SNAPTRADE_INTERACTIVE_RESERVED_PER_MINUTE";
    /** SnapTrade's limit per client id. */
    public static final int DEFAULT_LIMIT = 250;
    /** Kept for the customer's own app unless configured. */
    public static final int DEFAULT_APP_RESERVED = 25;
    /** Two slots every 2-s sub-window for users in a browser. */
    public static final int DEFAULT_INTERACTIVE_RESERVED = 60;
    public static final Duration DEFAULT_SUB_WINDOW = Duration.ofSeconds(2);
    public static final int DEFAULT_SLACK = 1;
    public static final int DEFAULT_BLOCK = 8;
    private static final Duration MINUTE = Duration.ofMinutes(1);

    public BudgetPlan {
        if (limit < 1 || appReserved < 0 || appReserved >= limit) {
            throw new IllegalArgumentException("the limit must be >= 1 and the app's reserve between 0 and limit - 1"
                    + " (limit " + limit + ", app reserve " + appReserved + ")");
        }
        if (interactiveReserved < 0 || slack < 1 || block < 1) {
            throw new IllegalArgumentException("interactiveReserved >= 0, slack >= 1 and block >= 1 are required");
        }
        if (subWindow.isNegative() || subWindow.isZero() || window.compareTo(subWindow) < 0
                || window.toMillis() % subWindow.toMillis() != 0 || subWindow.toMillis() * 1_000_000 != subWindow.toNanos()) {
            throw new IllegalArgumentException("the sub-window must be whole milliseconds and divide the window: "
                    + subWindow + " of " + window);
        }
    }

    /** SnapTrade's limit of 250 per minute, 25 kept for the app, 2-s sub-windows. */
    public static BudgetPlan defaults() {
        return new BudgetPlan(DEFAULT_LIMIT, DEFAULT_APP_RESERVED, DEFAULT_INTERACTIVE_RESERVED, MINUTE,
                DEFAULT_SUB_WINDOW, DEFAULT_SLACK, DEFAULT_BLOCK);
    }

    /**
     * From the function's settings: {@value #ENV_RATE_LIMIT}, {@value #ENV_APP_RESERVED} and
     * {@value #ENV_INTERACTIVE_RESERVED}; the app's reserve may be 0.
     */
    public static BudgetPlan from(Config config) {
        EnvironmentVariables env = config.settings();
        int limit = env.positiveInt(ENV_RATE_LIMIT, DEFAULT_LIMIT);
        int app = nonNegative(env, ENV_APP_RESERVED, DEFAULT_APP_RESERVED);
        if (app >= limit) {
            throw new IllegalStateException(ENV_APP_RESERVED + " (" + app + ") must be below " + ENV_RATE_LIMIT
                    + " (" + limit + ")");
        }
        return new BudgetPlan(limit, app, nonNegative(env, ENV_INTERACTIVE_RESERVED, DEFAULT_INTERACTIVE_RESERVED),
                MINUTE, DEFAULT_SUB_WINDOW, DEFAULT_SLACK, DEFAULT_BLOCK);
    }

    private static int nonNegative(EnvironmentVariables env, String name, int fallback) {
        String value = env.optional(name).orElse(null);
        if (value == null || value.isBlank()) {
            return fallback;
        }
        try {
            int n = Integer.parseInt(value.trim());
            if (n >= 0) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalStateException(name + " must be a whole number >= 0, not '" + value + "'");
    }

    /** The same plan with other sub-windows and slack (tests, benchmarks). */
    public BudgetPlan withWindows(Duration newWindow, Duration newSubWindow, int newSlack) {
        return new BudgetPlan(limit, appReserved, interactiveReserved, newWindow, newSubWindow, newSlack, block);
    }

    /** The same plan with another block size. */
    public BudgetPlan withBlock(int newBlock) {
        return new BudgetPlan(limit, appReserved, interactiveReserved, window, subWindow, slack, newBlock);
    }

    /** What the deployment may send per {@code window}: the limit less the app's reserve. */
    public int budget() {
        return limit - appReserved;
    }

    /** Sub-windows in one rolling window. */
    public int perWindow() {
        return (int) (window.toMillis() / subWindow.toMillis());
    }

    /** K: the sub-windows whose requests one rolling window of SnapTrade's clock can meet. */
    public int span() {
        return perWindow() + 1 + slack;
    }

    /** The sub-window holding the instant {@code epochMillis}. */
    public long windowAt(long epochMillis) {
        return Math.floorDiv(epochMillis, subWindow.toMillis());
    }

    /** When sub-window {@code k} begins (epoch milliseconds). */
    public long startOf(long k) {
        return k * subWindow.toMillis();
    }

    /** The cap of sub-window {@code k}: any {@link #span()} consecutive caps add up to the budget. */
    public int cap(long k) {
        long b = budget();
        long n = span();
        return (int) (Math.floorDiv((k + 1) * b, n) - Math.floorDiv(k * b, n));
    }

    /** Slots of each sub-window kept for interactive calls until its last quarter. */
    public int reserve() {
        return (int) Math.ceil(interactiveReserved * (double) subWindow.toMillis() / window.toMillis());
    }

    /** When, within sub-window {@code k}, background callers may take its reserved slots too. */
    public long lateStartOf(long k) {
        return startOf(k) + subWindow.toMillis() * 3 / 4;
    }

    /**
     * When a background process with {@code salt} takes its first slots of sub-window {@code k}: a little after the
     * sub-window begins, by an amount that differs per process and sub-window (up to an eighth of it), so that when
     * several background processes want more than there is, a different one comes first each time.
     */
    public long backgroundStartOf(long k, long salt) {
        long spread = Math.max(1, subWindow.toMillis() / 8);
        long mixed = (k + 0x9E3779B97F4A7C15L) * (salt | 1L);
        mixed ^= mixed >>> 29;
        mixed *= 0xBF58476D1CE4E5B9L;
        mixed ^= mixed >>> 32;
        return startOf(k) + Math.floorMod(mixed, spread);
    }

    /** The most any sub-window grants: fewer remaining at SnapTrade than this means our count has drifted. */
    public int lowWater() {
        return (int) Math.ceil(budget() / (double) span());
    }

    /** The share of the budget the caps can spend per window at most: {@code perWindow / span}. */
    public double ceiling() {
        return perWindow() / (double) span();
    }
}
