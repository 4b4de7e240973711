package com.connectionkeeper.snaptrade;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** Review of issue 15: the shared limiter's sub-window bound and its X-RateLimit-Remaining correction. */
class SharedLimiterReviewTest {
    private static final BudgetPlan PLAN = new BudgetPlan(120, 0, 30, Duration.ofMinutes(1), Duration.ofSeconds(2),
            1, 8);
    /** A quarter into a sub-window: after any background start ({@link BudgetPlan#backgroundStartOf}). */
    private final AtomicLong now = new AtomicLong(PLAN.startOf(900_000_000L) + 500);
    private final LogCapture log = new LogCapture();

    /**
     * The sweep's threads take a whole block at the start of a sub-window and send it before any answer is back, so
     * an answer saying fewer remain than a sub-window grants closes a sub-window whose slots are already spent. A
     * sweep told again and again that 1 request remains at SnapTrade keeps sending its full share every sub-window.
     */
    @Test
    void aSweepToldThatAlmostNothingRemainsHoldsBack() throws Exception {
        InMemoryRequestWindows windows = new InMemoryRequestWindows();
        SharedLimiter sweep = new SharedLimiter(windows, PLAN, CallPriority.BACKGROUND,
                new RollingWindowLimiter(1000, PLAN.window(), () -> now.get() * 1_000_000L), now::get, log);
        int sentAfterFirstAnswer = 0;
        boolean answered = false;
        for (int subWindow = 0; subWindow < 5; subWindow++) {
            List<Limiter.Permit> inFlight = new ArrayList<>(); // the sweep's 8 threads, all waiting for a slot
            Optional<Limiter.Permit> p;
            while (inFlight.size() < 8 && (p = sweep.acquire(Duration.ZERO)).isPresent()) {
                inFlight.add(p.get());
            }
            if (answered) {
                sentAfterFirstAnswer += inFlight.size();
            }
            for (Limiter.Permit permit : inFlight) { // the answers come back: "1 remaining"
                permit.close();
                sweep.remaining(1, Duration.ofSeconds(30));
                answered = true;
            }
            now.addAndGet(PLAN.subWindow().toMillis());
        }
        assertTrue(sentAfterFirstAnswer <= 1, "SnapTrade said 1 remains, yet the sweep sent " + sentAfterFirstAnswer
                + " more in the next 8 s (drift is not corrected for the sweep; only API calls are shut out)");
    }

    /**
     * A caller reads the clock before it waits for the limiter's lock. While another thread holds the lock in a slow
     * DynamoDB take (SDK retries on throttling), the sub-window ends; the waiting caller then gets a held slot of the
     * sub-window that is over, and sends it seconds late, outside the span the caps allow for.
     */
    @Test
    void aHeldSlotIsNotHandedOutAfterItsSubWindowEnded() throws Exception {
        long k = PLAN.windowAt(now.get());
        CountDownLatch inTake = new CountDownLatch(1);
        CountDownLatch releaseTake = new CountDownLatch(1);
        AtomicReference<Thread> slowTaker = new AtomicReference<>();
        InMemoryRequestWindows windows = new InMemoryRequestWindows() {
            @Override
            public int take(long window, Pool pool, int wanted, int cap) {
                if (Thread.currentThread() == slowTaker.get()) {
                    inTake.countDown();
                    try {
                        releaseTake.await(10, TimeUnit.SECONDS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
                return super.take(window, pool, wanted, cap);
            }
        };
        AtomicReference<Thread> lateReader = new AtomicReference<>();
        AtomicInteger lateReads = new AtomicInteger();
        long endOfK = PLAN.startOf(k + 1) - 1;
        SharedLimiter sweep = new SharedLimiter(windows, PLAN, CallPriority.BACKGROUND,
                new RollingWindowLimiter(1000, PLAN.window(), () -> now.get() * 1_000_000L),
                // the late reader's clock: the very end of k while the slow taker holds the lock (a read then is
                // stale by the time the lock is had), the true time once the take is over
                () -> Thread.currentThread() == lateReader.get() && releaseTake.getCount() > 0
                        && lateReads.incrementAndGet() > 0 ? endOfK : now.get(), log);

        Limiter.Permit first = sweep.acquire(Duration.ZERO).orElseThrow(); // takes a block in k, one slot used
        now.set(PLAN.startOf(k + 1) + 500);
        Thread a = new Thread(() -> {
            try {
                sweep.acquire(Duration.ZERO);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        slowTaker.set(a);
        a.start();
        assertTrue(inTake.await(5, TimeUnit.SECONDS), "the slow taker holds the lock in its DynamoDB take");

        AtomicReference<Optional<Limiter.Permit>> got = new AtomicReference<>();
        Thread b = new Thread(() -> {
            try {
                got.set(sweep.acquire(Duration.ZERO));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        lateReader.set(b);
        b.start();
        Thread.sleep(300); // b has read the clock and waits for the lock
        now.set(PLAN.startOf(k + 2) + 500); // the take took 2.5 s
        releaseTake.countDown();
        a.join(5_000);
        b.join(5_000);
        first.close();

        // b may have a slot, but only one taken for the sub-window it runs in, never one left over from k
        assertTrue(got.get().isEmpty() || windows.taken(PLAN.windowAt(now.get())) > 0, "a slot of sub-window " + k
                + " handed out at " + (now.get() - PLAN.startOf(k + 1)) + " ms after it ended");
        assertEquals(PLAN.cap(k) - PLAN.reserve(), windows.taken(k), "k's pool was granted once, nothing since");
    }
}
