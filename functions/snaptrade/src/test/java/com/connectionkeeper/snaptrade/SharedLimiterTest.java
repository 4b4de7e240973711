package com.connectionkeeper.snaptrade;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The shared limiter's rules on a clock the test moves: several limiters over one count are several processes. */
class SharedLimiterTest {
    /** 120 per minute in 2-s sub-windows: K = 32, caps of 3 or 4, one slot each kept for interactive calls. */
    private static final BudgetPlan PLAN = new BudgetPlan(120, 0, 30, Duration.ofMinutes(1), Duration.ofSeconds(2),
            1, 8);
    private static final long SALT = 7;
    /** A quarter into a sub-window: after every background start ({@link BudgetPlan#backgroundStartOf}), before late. */
    private final AtomicLong now = new AtomicLong(PLAN.startOf(900_000_000L) + PLAN.subWindow().toMillis() / 4);
    private final InMemoryRequestWindows windows = new InMemoryRequestWindows();
    private final LogCapture log = new LogCapture();

    private SharedLimiter limiter(CallPriority priority, int ownLimit) {
        return new SharedLimiter(windows, PLAN, priority, new RollingWindowLimiter(ownLimit, PLAN.window(),
                () -> now.get() * 1_000_000L), now::get, log, SALT);
    }

    private static int drain(SharedLimiter limiter) throws InterruptedException {
        int n = 0;
        Optional<Limiter.Permit> p;
        while ((p = limiter.acquire(Duration.ZERO)).isPresent()) {
            p.get().close();
            n++;
        }
        return n;
    }

    private long k() {
        return PLAN.windowAt(now.get());
    }

    @Test
    void backgroundTakesItsSlotsInOneBlockAndLeavesTheReserveUntilLate() throws Exception {
        SharedLimiter sweep = limiter(CallPriority.BACKGROUND, 1000);
        int cap = PLAN.cap(k());

        assertEquals(cap - PLAN.reserve(), drain(sweep), "all but the reserve");
        assertEquals(1, windows.requests(), "one take granted them all (asking for a block of 8, it filled the pool)");

        now.set(PLAN.lateStartOf(k()));
        assertEquals(PLAN.reserve(), drain(sweep), "late in the sub-window the reserve is the sweep's too");
        assertEquals(cap, windows.taken(k()));
    }

    @Test
    void backgroundProcessesStartEachSubWindowInAnOrderThatChanges() throws Exception {
        long k = k();
        now.set(PLAN.startOf(k));
        SharedLimiter sweep = limiter(CallPriority.BACKGROUND, 1000);
        long start = PLAN.backgroundStartOf(k, SALT);
        if (start > now.get()) {
            assertFalse(sweep.acquire(Duration.ZERO).isPresent(), "not before its start");
            assertEquals(0, windows.requests(), "nothing asked before it");
            assertEquals(start - now.get(), sweep.nextFreeIn().toMillis());
        }
        now.set(start);
        assertTrue(sweep.acquire(Duration.ZERO).isPresent());
        int first = 0;
        for (long w = k; w < k + 200; w++) {
            long a = PLAN.backgroundStartOf(w, 1) - PLAN.startOf(w);
            long b = PLAN.backgroundStartOf(w, 2) - PLAN.startOf(w);
            assertTrue(a >= 0 && a < PLAN.subWindow().toMillis() / 8 && b >= 0 && b < PLAN.subWindow().toMillis() / 8);
            first += a < b ? 1 : 0;
        }
        assertTrue(first > 60 && first < 140, "each of two processes first about half the time: " + first);
    }

    @Test
    void anInteractiveCallGetsASlotWhileTheSweepSaturatesTheBudget() throws Exception {
        SharedLimiter sweepA = limiter(CallPriority.BACKGROUND, 1000);
        SharedLimiter sweepB = limiter(CallPriority.BACKGROUND, 1000);
        SharedLimiter api = limiter(CallPriority.INTERACTIVE, 1000);
        for (int i = 0; i < 20; i++) {
            long k = k();
            drain(sweepA);
            drain(sweepB);
            Optional<Limiter.Permit> slot = api.acquire(Duration.ZERO);
            assertTrue(slot.isPresent(), "the reserve is there in sub-window " + k);
            slot.get().close();
            assertEquals(PLAN.cap(k), windows.taken(k), "the sub-window is spent, and no more");
            now.addAndGet(PLAN.subWindow().toMillis());
        }
    }

    @Test
    void anInteractiveCallerThatFoundTheSweepsPoolSpentDoesNotAskItAgainInTheNextSubWindow() throws Exception {
        SharedLimiter sweep = limiter(CallPriority.BACKGROUND, 1000);
        SharedLimiter api = limiter(CallPriority.INTERACTIVE, 1000);
        drain(sweep);
        assertEquals(PLAN.reserve(), drain(api), "the reserve, then the shared pool found spent");
        now.addAndGet(PLAN.subWindow().toMillis());
        drain(sweep);
        int before = windows.requests();
        assertEquals(PLAN.reserve(), drain(api));
        assertEquals(before + PLAN.reserve() + 1, windows.requests(),
                "the reserve's takes and the one that found it spent; the shared pool, spent a sub-window ago, not asked");
        now.addAndGet(2 * PLAN.subWindow().toMillis());
        int quiet = windows.requests();
        assertEquals(PLAN.cap(k()), drain(api), "the sweep quiet for a sub-window: the shared pool is asked again");
        assertTrue(windows.requests() > quiet);
    }

    @Test
    void whenTheSubWindowIsSpentAnInteractiveCallWaitsAtMostUntilTheNextOne() throws Exception {
        SharedLimiter api = limiter(CallPriority.INTERACTIVE, 1000);
        SharedLimiter sweep = limiter(CallPriority.BACKGROUND, 1000);
        now.set(PLAN.lateStartOf(k()) + 1);
        drain(sweep);
        drain(api);
        Duration wait = api.nextFreeIn();
        assertTrue(wait.compareTo(PLAN.subWindow()) <= 0 && !wait.isZero(), "waits " + wait);
        assertEquals(PLAN.startOf(k() + 1), now.get() + wait.toMillis(), "until the next sub-window begins");
        now.addAndGet(wait.toMillis());
        assertTrue(api.acquire(Duration.ZERO).isPresent());
    }

    @Test
    void aGrantThatComesBackAfterItsSubWindowEndedIsNotUsed() throws Exception {
        InMemoryRequestWindows slow = new InMemoryRequestWindows() {
            @Override
            public synchronized int take(long window, Pool pool, int wanted, int cap) {
                int granted = super.take(window, pool, wanted, cap);
                now.addAndGet(PLAN.subWindow().toMillis()); // the answer took a whole sub-window
                return granted;
            }
        };
        SharedLimiter api = new SharedLimiter(slow, PLAN, CallPriority.INTERACTIVE, new RollingWindowLimiter(1000,
                PLAN.window(), () -> now.get() * 1_000_000L), now::get, log, SALT);
        assertFalse(api.acquire(Duration.ZERO).isPresent(), "granted for a sub-window that is over");
        assertEquals(1, api.lateGrants());
        assertEquals(1, slow.requests(), "and the sub-window that is over is not asked again (the other pool)");
    }

    @Test
    void slotsLeftWhenTheSubWindowEndsAreDropped() throws Exception {
        SharedLimiter sweep = limiter(CallPriority.BACKGROUND, 1000);
        long first = k();
        assertTrue(sweep.acquire(Duration.ZERO).isPresent(), "took a block, used one slot");
        now.addAndGet(PLAN.subWindow().toMillis());
        int next = drain(sweep);
        assertEquals(PLAN.cap(k()) - PLAN.reserve(), next, "the next sub-window's own slots, nothing carried over");
        assertEquals(PLAN.cap(first) - PLAN.reserve(), windows.taken(first), "granted, though one was used");
    }

    @Test
    void aPauseClosesTheSubWindowsItCoversForEveryProcess() throws Exception {
        SharedLimiter one = limiter(CallPriority.BACKGROUND, 1000);
        SharedLimiter other = limiter(CallPriority.INTERACTIVE, 1000);
        long k = k();
        one.pause(Duration.ofMillis(5_000));

        for (long w = k; w <= PLAN.windowAt(now.get() + 5_000); w++) {
            assertTrue(windows.closed(w), "sub-window " + w);
        }
        assertFalse(other.acquire(Duration.ZERO).isPresent(), "the other process holds back too");
        now.addAndGet(4_000);
        assertFalse(other.acquire(Duration.ZERO).isPresent(), "still paused");
        now.set(PLAN.startOf(PLAN.windowAt(now.get() + 1_000) + 1));
        assertTrue(other.acquire(Duration.ZERO).isPresent(), "after the pause");
    }

    @Test
    void snapTradeSayingAlmostNothingRemainsHoldsEveryoneBackForItsShareOfTheReset() throws Exception {
        SharedLimiter api = limiter(CallPriority.INTERACTIVE, 1000);
        int threshold = PLAN.lowWater() / 2;
        api.remaining(threshold, Duration.ofSeconds(30));
        assertFalse(windows.closed(k()), "half a sub-window's grant left: full use, no drift");
        api.remaining(threshold - 1, Duration.ofSeconds(8));
        long hold = 8_000L / threshold; // one short: that share of the reset
        assertTrue(windows.closed(k()) && windows.closed(PLAN.windowAt(now.get() + hold)),
                "fewer: our count has drifted, nobody takes more for " + hold + " ms");
        assertFalse(windows.closed(PLAN.windowAt(now.get() + hold) + 1));

        api.remaining(1, Duration.ofSeconds(50));
        long quarter = PLAN.window().toMillis() / 4;
        assertTrue(windows.closed(PLAN.windowAt(now.get() + quarter)), "held at most a quarter of the window");
        assertFalse(windows.closed(PLAN.windowAt(now.get() + quarter) + 1));

        api.remaining(0, Duration.ofSeconds(20));
        assertTrue(windows.closed(PLAN.windowAt(now.get() + 20_000)), "none left: closed until SnapTrade's reset");
        api.remaining(0, Duration.ofDays(365));
        assertFalse(windows.closed(PLAN.windowAt(now.get() + PLAN.window().toMillis()) + 1),
                "a wait longer than a window is not believed (a reset sent as an epoch time)");
    }

    @Test
    void withTheSharedCountDownAProcessKeepsToItsOwnLimitAndComesBackLater() throws Exception {
        SharedLimiter sweep = limiter(CallPriority.BACKGROUND, 5);
        windows.down(true);

        List<Limiter.Permit> permits = new ArrayList<>();
        Optional<Limiter.Permit> p;
        while ((p = sweep.acquire(Duration.ZERO)).isPresent()) {
            permits.add(p.get());
        }
        assertEquals(5, permits.size(), "its own limit, never none");
        assertEquals(1, log.events("snaptrade_budget_unavailable").size());
        assertEquals(1, windows.requests(), "the shared count is not asked again at every call");

        permits.forEach(Limiter.Permit::close);
        windows.down(false);
        now.addAndGet(SharedLimiter.RETRY_SHARED.toMillis());
        int before = windows.requests();
        assertFalse(sweep.acquire(Duration.ZERO).isPresent(),
                "the 5 it sent on its own are not in the shared count: its own window holds it back");
        assertEquals(before, windows.requests());
        now.addAndGet(PLAN.window().toMillis());
        assertTrue(sweep.acquire(Duration.ZERO).isPresent(), "once they have left its window");
        assertEquals(1, log.events("snaptrade_budget_restored").size());
        assertEquals(before + 1, windows.requests(), "from the shared count again");
    }

    @Test
    void itsOwnRecentRequestsCountWhenItFallsBack() throws Exception {
        SharedLimiter sweep = limiter(CallPriority.BACKGROUND, 4);
        int sent = drain(sweep);
        assertTrue(sent >= 2, "sent on the shared count: " + sent);
        windows.down(true);
        now.addAndGet(PLAN.subWindow().toMillis());
        int more = drain(sweep);
        assertEquals(Math.max(0, 4 - sent), more, "its own limit of 4 per window includes what it just sent");
    }
}
