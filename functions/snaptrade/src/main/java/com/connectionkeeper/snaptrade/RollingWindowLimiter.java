package com.connectionkeeper.snaptrade;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.Optional;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongSupplier;

/**
 * The client-wide rolling-window limit, shared by every thread, first come first served: a request holds one of
 * {@code limit} slots from the moment it starts until one window after it <em>completes</em>. The server sees a
 * request at some instant between the two, so no window of the server's clock ever holds more than {@code limit}
 * requests, whatever the latency. A 429 pauses every caller ({@link #pause}).
 */
final class RollingWindowLimiter implements Limiter {
    private static final long UNKNOWN = Long.MAX_VALUE;

    private final int limit;
    private final long windowNanos;
    private final LongSupplier nanoTime;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    /** When each completed request's slot frees, oldest first (completion order, so already sorted). */
    private final ArrayDeque<Long> freesAt = new ArrayDeque<>();
    /** Callers waiting for a slot, in arrival order. */
    private final ArrayDeque<Object> queue = new ArrayDeque<>();
    private int inFlight;
    private long pausedUntil;

    RollingWindowLimiter(int limit, Duration window) {
        this(limit, window, System::nanoTime);
    }

    RollingWindowLimiter(int limit, Duration window, LongSupplier nanoTime) {
        this.limit = limit;
        this.windowNanos = window.toNanos();
        this.nanoTime = nanoTime;
        this.pausedUntil = nanoTime.getAsLong();
    }

    /**
     * A slot, after every caller that came earlier has had one, waiting at most {@code maxWait}; empty when none is
     * had in time (known at once when the slot's time is already known to be too late). Close the permit as soon as
     * the request has completed.
     */
    @Override
    public Optional<Limiter.Permit> acquire(Duration maxWait) throws InterruptedException {
        lock.lockInterruptibly();
        Object ticket = new Object();
        queue.addLast(ticket);
        try {
            long deadline = nanoTime.getAsLong() + Math.max(0, maxWait.toNanos());
            while (true) {
                long now = nanoTime.getAsLong();
                long at = slotTime(now, position(ticket));
                if (at - now <= 0) {
                    inFlight++;
                    return Optional.of(new Permit());
                }
                if (deadline - now <= 0 || at != UNKNOWN && at - deadline > 0) {
                    return Optional.empty();
                }
                changed.awaitNanos(at == UNKNOWN ? deadline - now : Math.min(at, deadline) - now);
            }
        } finally {
            queue.remove(ticket);
            changed.signalAll();
            lock.unlock();
        }
    }

    /**
     * Counts a request that took its slot elsewhere (the shared budget) as in flight here, without waiting: should this
     * process fall back to its own limit, its own recent requests are in its window already.
     */
    Limiter.Permit admit() {
        lock.lock();
        try {
            inFlight++;
            return new Permit();
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void pause(Duration delay) {
        lock.lock();
        try {
            long until = nanoTime.getAsLong() + delay.toNanos();
            if (until - pausedUntil > 0) {
                pausedUntil = until;
            }
        } finally {
            lock.unlock();
        }
    }

    /** How long a caller arriving now would wait at least (a window when only in-flight requests could free one). */
    @Override
    public Duration nextFreeIn() {
        lock.lock();
        try {
            long now = nanoTime.getAsLong();
            long at = slotTime(now, queue.size());
            return Duration.ofNanos(at == UNKNOWN ? windowNanos : Math.max(0, at - now));
        } finally {
            lock.unlock();
        }
    }

    /**
     * The earliest instant the caller with {@code ahead} callers before it can have a slot: the slots free now go
     * first, then those completed requests free in turn; {@link #UNKNOWN} when it must wait for an in-flight one.
     */
    private long slotTime(long now, int ahead) {
        while (!freesAt.isEmpty() && freesAt.peekFirst() - now <= 0) {
            freesAt.pollFirst();
        }
        int freeNow = limit - inFlight - freesAt.size();
        long at;
        if (ahead < freeNow) {
            at = now;
        } else if (ahead - freeNow < freesAt.size()) {
            Iterator<Long> frees = freesAt.iterator();
            for (int i = 0; i < ahead - freeNow; i++) {
                frees.next();
            }
            at = frees.next();
        } else {
            return UNKNOWN;
        }
        return pausedUntil - at > 0 ? pausedUntil : at;
    }

    private int position(Object ticket) {
        int position = 0;
        for (Object waiting : queue) {
            if (waiting == ticket) {
                return position;
            }
            position++;
        }
        throw new IllegalStateException("ticket not queued");
    }

    private void complete() {
        lock.lock();
        try {
            inFlight--;
            freesAt.addLast(nanoTime.getAsLong() + windowNanos);
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** One request's slot; closing it (once) starts the slot's window. */
    final class Permit implements Limiter.Permit {
        private boolean closed;

        @Override
        public void close() {
            if (!closed) {
                closed = true;
                complete();
            }
        }
    }
}
