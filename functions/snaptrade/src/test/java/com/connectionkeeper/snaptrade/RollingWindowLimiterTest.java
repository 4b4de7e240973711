package com.connectionkeeper.snaptrade;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The limiter's bookkeeping on a hand-moved clock (no call here waits). */
class RollingWindowLimiterTest {
    private static final Duration WINDOW = Duration.ofSeconds(60);
    private final AtomicLong now = new AtomicLong(1_000);
    private final RollingWindowLimiter limiter = new RollingWindowLimiter(2, WINDOW, now::get);

    @Test
    void grantsUpToTheLimitThenNothing() throws InterruptedException {
        assertTrue(limiter.acquire(Duration.ZERO).isPresent());
        assertTrue(limiter.acquire(Duration.ZERO).isPresent());
        assertTrue(limiter.acquire(Duration.ZERO).isEmpty());
    }

    @Test
    void aSlotFreesOneWindowAfterItsRequestCompletedNotAfterItStarted() throws InterruptedException {
        Limiter.Permit first = limiter.acquire(Duration.ZERO).orElseThrow();
        limiter.acquire(Duration.ZERO).orElseThrow().close();
        advance(Duration.ofSeconds(5));
        first.close(); // a slow request: its window starts now
        advance(WINDOW.minusSeconds(5));
        assertTrue(limiter.acquire(Duration.ZERO).isPresent(), "the fast request's slot is free");
        assertTrue(limiter.acquire(Duration.ZERO).isEmpty(), "the slow one's is not yet");
        assertEquals(Duration.ofSeconds(5), limiter.nextFreeIn());
        advance(Duration.ofSeconds(5));
        assertTrue(limiter.acquire(Duration.ZERO).isPresent());
    }

    @Test
    void givesUpAtOnceWhenTheNextSlotFreesAfterTheWait() throws InterruptedException {
        limiter.acquire(Duration.ZERO).orElseThrow().close();
        limiter.acquire(Duration.ZERO).orElseThrow().close();
        long before = System.nanoTime();
        assertTrue(limiter.acquire(Duration.ofSeconds(30)).isEmpty());
        assertTrue(System.nanoTime() - before < Duration.ofSeconds(1).toNanos(), "did not wait in vain");
    }

    @Test
    void aPauseHoldsBackEveryoneEvenWithFreeSlots() throws InterruptedException {
        limiter.pause(Duration.ofSeconds(7));
        assertTrue(limiter.acquire(Duration.ZERO).isEmpty());
        assertEquals(Duration.ofSeconds(7), limiter.nextFreeIn());
        advance(Duration.ofSeconds(7));
        assertTrue(limiter.acquire(Duration.ZERO).isPresent());
    }

    @Test
    void aShorterPauseDoesNotShortenALongerOne() throws InterruptedException {
        limiter.pause(Duration.ofSeconds(7));
        limiter.pause(Duration.ofSeconds(1));
        advance(Duration.ofSeconds(2));
        assertTrue(limiter.acquire(Duration.ZERO).isEmpty());
    }

    @Test
    void closingAPermitTwiceFreesOneSlot() throws InterruptedException {
        Limiter.Permit permit = limiter.acquire(Duration.ZERO).orElseThrow();
        permit.close();
        permit.close();
        assertTrue(limiter.acquire(Duration.ZERO).isPresent());
        assertTrue(limiter.acquire(Duration.ZERO).isEmpty());
    }

    @Test
    void aWaitingCallerGetsTheSlotWhenItFrees() throws InterruptedException {
        RollingWindowLimiter real = new RollingWindowLimiter(1, Duration.ofMillis(200));
        real.acquire(Duration.ZERO).orElseThrow().close();
        long before = System.nanoTime();
        Optional<Limiter.Permit> next = real.acquire(Duration.ofSeconds(2));
        long waited = System.nanoTime() - before;
        assertTrue(next.isPresent());
        assertTrue(waited >= Duration.ofMillis(150).toNanos() && waited < Duration.ofSeconds(1).toNanos(),
                "waited " + waited / 1_000_000 + " ms");
    }

    @Test
    void whenEverySlotIsInFlightACallerWaitsForOneToComplete() throws Exception {
        RollingWindowLimiter real = new RollingWindowLimiter(1, Duration.ofMillis(100));
        Limiter.Permit busy = real.acquire(Duration.ZERO).orElseThrow();
        Thread completer = new Thread(() -> {
            sleep(100);
            busy.close();
        });
        completer.start();
        long before = System.nanoTime();
        assertTrue(real.acquire(Duration.ofSeconds(2)).isPresent(), "the in-flight slot freed in time");
        long waited = System.nanoTime() - before;
        assertTrue(waited >= Duration.ofMillis(150).toNanos(), "completion + window: " + waited / 1_000_000 + " ms");
        completer.join();
    }

    @Test
    void whenEverySlotIsInFlightACallerGivesUpAtItsDeadline() throws InterruptedException {
        RollingWindowLimiter real = new RollingWindowLimiter(1, Duration.ofMillis(100));
        real.acquire(Duration.ZERO).orElseThrow();
        long before = System.nanoTime();
        assertTrue(real.acquire(Duration.ofMillis(200)).isEmpty());
        assertTrue(System.nanoTime() - before >= Duration.ofMillis(190).toNanos(), "waited until its deadline");
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void advance(Duration by) {
        now.addAndGet(by.toNanos());
    }
}
