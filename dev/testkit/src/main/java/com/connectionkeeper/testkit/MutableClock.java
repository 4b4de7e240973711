package com.connectionkeeper.testkit;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/**
 * System time plus an offset that a test moves forward (e.g. past a token's expiry); or, built with a start, a time
 * that moves only when the test moves it.
 */
public final class MutableClock extends Clock {
    private final Instant start;
    private volatile Duration offset = Duration.ZERO;

    /** System time, moved forward by {@link #advance}. */
    public MutableClock() {
        this(null);
    }

    /** {@code start}, and only what {@link #advance} adds to it. */
    public MutableClock(Instant start) {
        this.start = start;
    }

    public void advance(Duration by) {
        offset = offset.plus(by);
    }

    @Override
    public Instant instant() {
        return (start == null ? Instant.now() : start).plus(offset);
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        throw new UnsupportedOperationException("UTC only");
    }
}
