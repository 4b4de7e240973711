package com.connectionkeeper.sweep;

import com.connectionkeeper.core.config.Config;
import com.connectionkeeper.core.config.EnvironmentVariables;
import com.connectionkeeper.core.model.RetryBackoff;
import com.connectionkeeper.core.sweep.CheckSchedule;
import java.time.Duration;

/**
 * A sweep run's budgets: SnapTrade requests it may spend, users it checks at once, and how much remaining Lambda
 * time it keeps in hand (no new user starts below it, so every started user finishes before the timeout).
 */
public record SweepSettings(int requestsPerRun, int concurrency, Duration safetyMargin, int suspectStreak, int chunk) {
    public static final String ENV_REQUESTS_PER_RUN = "SWEEP_REQUESTS_PER_RUN";
    public static final String ENV_CONCURRENCY = "SWEEP_CONCURRENCY";
    /**
     * A cap on one run, not its pace: the deployment's shared SnapTrade budget paces the sweep (about 210 a minute
     * with the defaults), so a 15-minute run spends some 3,000.
     */
    public static final int DEFAULT_REQUESTS_PER_RUN = 5000;
    /** Users planned at a time within a run: each plan is read afresh. */
    public static final int DEFAULT_CHUNK = 100;
    public static final int DEFAULT_CONCURRENCY = 8;
    public static final String ENV_RETRY_BASE_SECONDS = "SWEEP_RETRY_BASE_SECONDS";
    public static final String ENV_RETRY_MAX_SECONDS = "SWEEP_RETRY_MAX_SECONDS";
    public static final String ENV_SUSPECT_STREAK = "SWEEP_SUSPECT_STREAK";
    public static final int DEFAULT_SUSPECT_STREAK = 5;
    public static final String ENV_MAX_INTERVAL_HOURS = "SWEEP_MAX_INTERVAL_HOURS";
    public static final String ENV_MIN_INTERVAL_MINUTES = "SWEEP_MIN_INTERVAL_MINUTES";
    public static final String ENV_RISK_PERCENT = "SWEEP_RISK_PERCENT";
    /** How often a sweep process reads the lifetime history again. */
    public static final Duration LIFETIMES_REFRESH = Duration.ofMinutes(10);

    /**
     * @param chunk         users planned at a time within a run (each plan read afresh: new breaks and flags come first)
     * @param suspectStreak users blamed by SnapTrade in a row (rejected secret, unknown user) with no user verified in
     *                      between, after which the run stops and reports our client as suspect instead of flagging
     *                      them all
     */
    public SweepSettings {
        if (requestsPerRun < 1 || concurrency < 1 || safetyMargin.isNegative() || suspectStreak < 1 || chunk < 1) {
            throw new IllegalArgumentException(
                    "requestsPerRun, concurrency, suspectStreak and chunk must be >= 1, safetyMargin >= 0");
        }
    }

    public SweepSettings(int requestsPerRun, int concurrency, Duration safetyMargin, int suspectStreak) {
        this(requestsPerRun, concurrency, safetyMargin, suspectStreak, DEFAULT_CHUNK);
    }

    public SweepSettings(int requestsPerRun, int concurrency, Duration safetyMargin) {
        this(requestsPerRun, concurrency, safetyMargin, DEFAULT_SUSPECT_STREAK);
    }

    /** The margin for a gateway whose calls retry for at most {@code retryBudget}: twice that, plus 5 s. */
    public static Duration marginFor(Duration retryBudget) {
        return retryBudget.multipliedBy(2).plusSeconds(5);
    }

    /**
     * The sweep's settings from the function's configuration: {@value #ENV_REQUESTS_PER_RUN},
     * {@value #ENV_CONCURRENCY} and {@value #ENV_SUSPECT_STREAK}, with the margin for the gateway's retries.
     */
    public static SweepSettings from(Config config, Duration retryBudget) {
        EnvironmentVariables env = config.settings();
        return new SweepSettings(env.positiveInt(ENV_REQUESTS_PER_RUN, DEFAULT_REQUESTS_PER_RUN),
                env.positiveInt(ENV_CONCURRENCY, DEFAULT_CONCURRENCY), marginFor(retryBudget),
                env.positiveInt(ENV_SUSPECT_STREAK, DEFAULT_SUSPECT_STREAK));
    }

    /**
     * The likely-to-break-first schedule's settings: {@value #ENV_MAX_INTERVAL_HOURS} (default 24; every user is
     * checked at least this often), {@value #ENV_MIN_INTERVAL_MINUTES} (default 10; never more often) and
     * {@value #ENV_RISK_PERCENT} (default 5: a user is due when its connections have probably broken with this
     * chance since its last check). A user without a model is due after the maximum interval, so with no history the
     * order is least recently checked. A minimum not below the maximum stops the function at start, naming both.
     */
    public static CheckSchedule.Settings schedule(Config config) {
        EnvironmentVariables env = config.settings();
        Duration max = Duration.ofHours(env.positiveInt(ENV_MAX_INTERVAL_HOURS, 24));
        Duration min = Duration.ofMinutes(env.positiveInt(ENV_MIN_INTERVAL_MINUTES, 10));
        int risk = env.positiveInt(ENV_RISK_PERCENT, 5);
        if (min.compareTo(max) >= 0 || risk >= 100) {
            throw new IllegalStateException(ENV_MIN_INTERVAL_MINUTES + " must be below " + ENV_MAX_INTERVAL_HOURS
                    + " and " + ENV_RISK_PERCENT + " below 100");
        }
        return CheckSchedule.Settings.of(min, max, risk / 100.0);
    }

    /**
     * How long a user that failed with 429/5xx is left alone: {@value #ENV_RETRY_BASE_SECONDS} (default 60) doubled
     * per consecutive failure, at most {@value #ENV_RETRY_MAX_SECONDS} (default 3600; a max below the base is read
     * as the base, so a slip in the parameters never stops the sweep).
     */
    public static RetryBackoff retryBackoff(Config config) {
        EnvironmentVariables env = config.settings();
        RetryBackoff defaults = RetryBackoff.DEFAULT;
        Duration base = Duration.ofSeconds(env.positiveInt(ENV_RETRY_BASE_SECONDS, (int) defaults.base().toSeconds()));
        Duration max = Duration.ofSeconds(env.positiveInt(ENV_RETRY_MAX_SECONDS, (int) defaults.max().toSeconds()));
        return new RetryBackoff(base, max.compareTo(base) < 0 ? base : max);
    }
}
