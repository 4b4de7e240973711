package com.connectionkeeper.simulator;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;

/** SnapTrade's rolling-window limit: at most {@code limit} accepted requests per key in any {@code window}. */
final class RateLimiter {
    private static final long SECOND = 1_000_000_000L;

    private final int limit;
    private final long windowNanos;
    private final Map<String, Deque<Long>> accepted = new HashMap<>();

    RateLimiter(int limit, Duration window) {
        this.limit = limit;
        this.windowNanos = window.toNanos();
    }

    /** Counts a request for {@code key} unless the window is full; throttled requests are not counted. */
    synchronized Decision acquire(String key) {
        long now = System.nanoTime();
        Deque<Long> times = accepted.computeIfAbsent(key, k -> new ArrayDeque<>());
        while (!times.isEmpty() && now - times.peekFirst() >= windowNanos) {
            times.pollFirst();
        }
        boolean allowed = times.size() < limit;
        if (allowed) {
            times.addLast(now);
        }
        long resetNanos = times.isEmpty() ? windowNanos : times.peekFirst() + windowNanos - now;
        return new Decision(allowed, limit, limit - times.size(), Math.max(1, (resetNanos + SECOND - 1) / SECOND));
    }

    /**
     * One request's outcome, as the {@code X-RateLimit-*} headers tell it.
     *
     * @param resetSeconds seconds until the oldest counted request leaves the window (a slot frees)
     */
    record Decision(boolean allowed, int limit, int remaining, long resetSeconds) {
    }
}
