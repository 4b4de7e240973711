package com.connectionkeeper.snaptrade;

import java.time.Duration;
import java.util.Optional;
import java.util.function.DoubleSupplier;

/** Exponential backoff with full jitter; a server's "retry after" is honoured, with jitter on top. */
final class Backoff {
    private final long initialNanos;
    private final long maxNanos;
    private final DoubleSupplier random;

    /** {@code random} yields values in [0, 1]. */
    Backoff(Duration initial, Duration max, DoubleSupplier random) {
        this.initialNanos = initial.toNanos();
        this.maxNanos = max.toNanos();
        this.random = random;
    }

    /** The wait before retry number {@code retry} (1 for the first retry). */
    Duration delay(int retry, Optional<Duration> retryAfter) {
        long jitter = (long) (random.getAsDouble() * cap(retry));
        return retryAfter.map(after -> after.plusNanos(Math.min(jitter, initialNanos))).orElse(Duration.ofNanos(jitter));
    }

    /** min(max, initial × 2^(retry−1)). */
    private long cap(int retry) {
        int doublings = Math.min(Math.max(retry - 1, 0), 62);
        long cap = initialNanos << doublings;
        return cap <= 0 || cap >> doublings != initialNanos ? maxNanos : Math.min(cap, maxNanos);
    }
}
