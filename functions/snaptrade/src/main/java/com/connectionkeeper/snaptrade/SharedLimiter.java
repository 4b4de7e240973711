package com.connectionkeeper.snaptrade;

import com.connectionkeeper.core.log.JsonLog;
import com.connectionkeeper.core.runtime.Entropy;
import com.connectionkeeper.core.snaptrade.RequestWindows;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * The deployment-wide limit: each slot is taken from the shared sub-window counters ({@link RequestWindows}, one
 * DynamoDB item per client id and sub-window; see {@link BudgetPlan} for why the caps keep SnapTrade's limit).
 * Interactive callers take one slot at a time; a background process takes a block and its threads share it, so the
 * shared count costs a fraction of a request per SnapTrade request. Slots are only good in their own sub-window:
 * those left when it ends are dropped, and so is a grant whose answer comes back after its sub-window ended.
 *
 * <p>A 429 closes the sub-windows its wait covers (at most one window), for every process; an answer saying fewer
 * remain at SnapTrade than half a sub-window's grant holds every process back for the shortfall's share of SnapTrade's
 * reset (at most a quarter of the window). Background processes start each sub-window at a moment that changes per process and sub-window
 * ({@link BudgetPlan#backgroundStartOf}). When the shared count cannot be reached, the process falls back to
 * its own rolling limit (never to none), which has counted its own requests all along, and tries the shared count
 * again after {@link #RETRY_SHARED}. Back on the shared count, it keeps to its own limit as well for one window, until
 * the requests it sent on its own have left it.
 */
final class SharedLimiter implements Limiter {
    /** How long a process keeps to its own limit after the shared count failed, before trying it again. */
    static final Duration RETRY_SHARED = Duration.ofSeconds(15);
    private static final long NONE = Long.MIN_VALUE;

    private final RequestWindows windows;
    private final BudgetPlan plan;
    private final CallPriority priority;
    private final RollingWindowLimiter own;
    private final LongSupplier wallMillis;
    private final Consumer<String> log;
    /** This process's own order among background processes at the start of each sub-window. */
    private final long salt;
    private final ReentrantLock lock = new ReentrantLock();
    private final AtomicLong sharedTakes = new AtomicLong();
    private final AtomicLong fallbacks = new AtomicLong();
    private final AtomicLong lateGrants = new AtomicLong();
    /** The sub-window whose slots this process holds, and how many are left. */
    private long held = NONE;
    private int left;
    /** The last sub-window whose shared pool, and whose reserved pool, this process knows to be spent. */
    private final long[] fullShared = {NONE};
    private final long[] fullReserved = {NONE};
    /** Nothing is taken from the shared count before this sub-window (closed by us, after a 429 or a low count). */
    private long closedThrough = NONE;
    /** While the shared count is unreachable: until when this process keeps to its own limit. */
    private long ownUntil = NONE;
    /** After the shared count came back: until when this process also keeps to its own limit. */
    private long ownCheckUntil = NONE;

    /**
     * @param own        this process's rolling limit: the fallback, and meanwhile the record of its own requests
     * @param wallMillis the wall clock (sub-windows are numbered on it, alike in every process)
     */
    SharedLimiter(RequestWindows windows, BudgetPlan plan, CallPriority priority, RollingWindowLimiter own,
                  LongSupplier wallMillis, Consumer<String> log) {
        this(windows, plan, priority, own, wallMillis, log, Double.doubleToLongBits(Entropy.unit()));
    }

    /** @param salt this process's order among background processes ({@link BudgetPlan#backgroundStartOf}) */
    SharedLimiter(RequestWindows windows, BudgetPlan plan, CallPriority priority, RollingWindowLimiter own,
                  LongSupplier wallMillis, Consumer<String> log, long salt) {
        this.windows = windows;
        this.plan = plan;
        this.priority = priority;
        this.own = own;
        this.wallMillis = wallMillis;
        this.log = log;
        this.salt = salt;
    }

    @Override
    public Optional<Permit> acquire(Duration maxWait) throws InterruptedException {
        long deadline = wallMillis.getAsLong() + Math.max(0, maxWait.toMillis());
        while (true) {
            long now;
            long wakeAt;
            lock.lockInterruptibly();
            try {
                now = wallMillis.getAsLong(); // read under the lock: a slot is handed out in the sub-window it is for
                if (ownUntil != NONE && now < ownUntil) {
                    wakeAt = NONE;
                } else {
                    Optional<Permit> slot = takeShared(now);
                    if (slot.isPresent()) {
                        return slot;
                    }
                    wakeAt = ownUntil != NONE && now < ownUntil ? NONE : nextChance(now);
                }
            } finally {
                lock.unlock();
            }
            if (wakeAt == NONE) { // the shared count is down: this process's own limit, for what is left of the wait
                return own.acquire(Duration.ofMillis(Math.max(0, deadline - now)));
            }
            if (wakeAt > deadline) {
                return Optional.empty();
            }
            Thread.sleep(Math.max(1, wakeAt - now));
        }
    }

    /**
     * A slot of the current sub-window: one held, or taken from the shared count now; empty if none. Interactive
     * callers take the reserved pool first, then the shared one; background callers the shared pool, and the reserved
     * one too in the last quarter of the sub-window.
     */
    private Optional<Permit> takeShared(long now) {
        long k = plan.windowAt(now);
        if (held == k && left > 0) {
            left--;
            return Optional.of(own.admit());
        }
        if (k <= closedThrough || ownWindowFull(now)) {
            return Optional.empty();
        }
        if (priority == CallPriority.BACKGROUND && now < plan.backgroundStartOf(k, salt)) {
            return Optional.empty(); // background processes start a sub-window in an order that changes each time
        }
        boolean late = now >= plan.lateStartOf(k);
        int shared = plan.cap(k) - plan.reserve();
        int reserved = Math.min(plan.reserve(), plan.cap(k));
        if (priority == CallPriority.INTERACTIVE) {
            // the shared pool, found spent in the last sub-window too, is most likely the sweep's again: not asked
            boolean sweepBusy = fullShared[0] == k - 1;
            return take(k, RequestWindows.Pool.RESERVED, reserved, 1, now)
                    .or(() -> sweepBusy ? Optional.empty() : take(k, RequestWindows.Pool.SHARED, shared, 1, now));
        }
        Optional<Permit> slot = take(k, RequestWindows.Pool.SHARED, shared, plan.block(), now);
        return slot.isPresent() || !late ? slot : take(k, RequestWindows.Pool.RESERVED, reserved, plan.block(), now);
    }

    /**
     * After the shared count came back, for one window: this process's own requests sent on its own limit meanwhile
     * are not in the shared count, so it also keeps to its own limit until they have left the window.
     */
    private boolean ownWindowFull(long now) {
        boolean checking = ownUntil != NONE || ownCheckUntil != NONE && now < ownCheckUntil;
        return checking && !own.nextFreeIn().isZero();
    }

    private Optional<Permit> take(long k, RequestWindows.Pool pool, int cap, int wanted, long now) {
        long[] full = pool == RequestWindows.Pool.SHARED ? fullShared : fullReserved;
        if (cap < 1 || full[0] == k || ownUntil != NONE && now < ownUntil
                || plan.windowAt(wallMillis.getAsLong()) != k) { // the last take's answer came after k ended
            return Optional.empty();
        }
        int granted;
        try {
            sharedTakes.incrementAndGet();
            granted = windows.take(k, pool, wanted, cap);
        } catch (RequestWindows.Unavailable e) {
            fallBack(now, e);
            return Optional.empty();
        }
        if (ownUntil != NONE) {
            ownUntil = NONE;
            ownCheckUntil = now + plan.window().toMillis();
            log.accept(JsonLog.line("INFO", "snaptrade_budget_restored", "priority", priority.name()));
        }
        if (granted < wanted) {
            full[0] = k;
        }
        if (granted == 0) {
            return Optional.empty();
        }
        if (plan.windowAt(wallMillis.getAsLong()) != k) {
            lateGrants.incrementAndGet();
            return Optional.empty(); // the answer came after its sub-window ended: its slots are no good any more
        }
        held = k;
        left = granted - 1;
        return Optional.of(own.admit());
    }

    /**
     * When a slot may be had next: when this process's own limit frees one (just after the shared count came back),
     * the late part of this sub-window (background, reserve not known spent), or the next sub-window.
     */
    private long nextChance(long now) {
        long k = plan.windowAt(now);
        if (k > closedThrough && ownWindowFull(now)) {
            return now + Math.max(1, own.nextFreeIn().toMillis());
        }
        if (priority == CallPriority.BACKGROUND && k > closedThrough && now < plan.backgroundStartOf(k, salt)) {
            return plan.backgroundStartOf(k, salt);
        }
        long nextWindow = Math.max(k, closedThrough) + 1;
        long next = priority == CallPriority.BACKGROUND ? plan.backgroundStartOf(nextWindow, salt)
                : plan.startOf(nextWindow);
        if (priority == CallPriority.BACKGROUND && k > closedThrough && plan.reserve() > 0 && fullReserved[0] != k
                && now < plan.lateStartOf(k)) {
            return plan.lateStartOf(k);
        }
        return next;
    }

    private void fallBack(long now, RuntimeException e) {
        if (ownUntil == NONE) {
            fallbacks.incrementAndGet();
            log.accept(JsonLog.line("WARN", "snaptrade_budget_unavailable", "priority", priority.name(),
                    "reason", e.getMessage(), "fallback", "this process's own limit for "
                            + RETRY_SHARED.toSeconds() + " s"));
        }
        ownUntil = now + RETRY_SHARED.toMillis();
    }

    /** Holds every process back for {@code delay}, at most one window (a wait longer than that is not believed). */
    @Override
    public void pause(Duration delay) {
        Duration bounded = delay.isNegative() ? Duration.ZERO
                : delay.compareTo(plan.window()) > 0 ? plan.window() : delay;
        own.pause(bounded);
        long now = wallMillis.getAsLong();
        close(plan.windowAt(now), plan.windowAt(now + bounded.toMillis()));
    }

    /**
     * SnapTrade's count is ahead of ours when fewer remain than half of what one sub-window grants (at full use, with
     * the app's reserve spent too, a few less than a sub-window's grant may remain without any drift): every process
     * holds back for the shortfall's share of SnapTrade's reset, at most a quarter of the window (a hold never
     * outlasts a caller's retry budget by much; a 429 pauses for longer). None left: the whole reset, as a 429.
     */
    @Override
    public void remaining(int remaining, Duration reset) {
        if (remaining <= 0) {
            pause(reset);
            return;
        }
        int threshold = Math.max(1, plan.lowWater() / 2);
        if (remaining >= threshold) {
            return;
        }
        long hold = Math.min(reset.toMillis() * (threshold - remaining) / threshold, plan.window().toMillis() / 4);
        pause(Duration.ofMillis(Math.max(hold, 1)));
    }

    /** Closes the sub-windows for every process, once each (the shared count being down, for this one only). */
    private void close(long from, long to) {
        lock.lock();
        try {
            if (to <= closedThrough) {
                return;
            }
            long first = Math.max(from, closedThrough + 1);
            closedThrough = to;
            if (held >= first) {
                left = 0;
            }
            if (ownUntil != NONE && wallMillis.getAsLong() < ownUntil) {
                return;
            }
            try {
                windows.close(first, to);
            } catch (RequestWindows.Unavailable e) {
                fallBack(wallMillis.getAsLong(), e);
            }
        } finally {
            lock.unlock();
        }
    }

    @Override
    public Duration nextFreeIn() {
        long now = wallMillis.getAsLong();
        lock.lock();
        try {
            if (ownUntil != NONE && now < ownUntil) {
                return own.nextFreeIn();
            }
            if (held == plan.windowAt(now) && left > 0 && held > closedThrough) {
                return Duration.ZERO;
            }
            return Duration.ofMillis(Math.max(0, nextChance(now) - now));
        } finally {
            lock.unlock();
        }
    }

    /** Takes tried at the shared count so far (each one request to it). */
    long sharedTakes() {
        return sharedTakes.get();
    }

    /** Grants that came back after their sub-window had ended, and were not used. */
    long lateGrants() {
        return lateGrants.get();
    }

    /** Times this process fell back to its own limit. */
    long fallbacks() {
        return fallbacks.get();
    }
}
