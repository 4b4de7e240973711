package com.connectionkeeper.core.model;

import java.time.Duration;

/**
 * How long the sweep leaves a user alone after consecutive transient failures (rate limited, SnapTrade unavailable,
 * after the gateway's own retries): {@code base × 2^(failures − 1)}, at most {@code max}. With a base no longer than
 * the schedule's interval the first retry is the next run; a user that keeps failing costs ever fewer requests.
 */
public record RetryBackoff(Duration base, Duration max) {
    public static final RetryBackoff DEFAULT = new RetryBackoff(Duration.ofMinutes(1), Duration.ofHours(1));
    /**
     * When a user whose secret SnapTrade rejected (or that SnapTrade did not know) is checked again: an hour after the
     * first rejection, doubling per consecutive rejection, at most a day — a flag is never for good, and a secret
     * that stays rejected costs at most one request a day.
     */
    public static final RetryBackoff FLAGGED_RECHECK = new RetryBackoff(Duration.ofHours(1), Duration.ofDays(1));

    public RetryBackoff {
        if (base.isNegative() || base.isZero() || max.compareTo(base) < 0) {
            throw new IllegalArgumentException("retry backoff needs 0 < base <= max, got " + base + " and " + max);
        }
    }

    /** The wait after the {@code failures}-th consecutive failure (1 = the first). */
    public Duration delayAfter(int failures) {
        if (failures < 1) {
            throw new IllegalArgumentException("failures must be >= 1: " + failures);
        }
        int doublings = Math.min(failures - 1, 40);
        Duration delay = base;
        for (int i = 0; i < doublings && delay.compareTo(max) < 0; i++) {
            delay = delay.multipliedBy(2);
        }
        return delay.compareTo(max) > 0 ? max : delay;
    }
}
