package com.connectionkeeper.snaptrade;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Full jitter under a doubling cap; a server's retry-after is waited in full. */
class BackoffTest {
    private static final Duration INITIAL = Duration.ofMillis(100);
    private static final Duration MAX = Duration.ofSeconds(1);

    @Test
    void theCapDoublesPerRetryUpToTheMaximum() {
        Backoff top = new Backoff(INITIAL, MAX, () -> 1.0);
        assertEquals(Duration.ofMillis(100), top.delay(1, Optional.empty()));
        assertEquals(Duration.ofMillis(200), top.delay(2, Optional.empty()));
        assertEquals(Duration.ofMillis(400), top.delay(3, Optional.empty()));
        assertEquals(Duration.ofMillis(800), top.delay(4, Optional.empty()));
        assertEquals(MAX, top.delay(5, Optional.empty()));
        assertEquals(MAX, top.delay(500, Optional.empty()));
    }

    @Test
    void theDelayIsAUniformFractionOfTheCap() {
        assertEquals(Duration.ZERO, new Backoff(INITIAL, MAX, () -> 0.0).delay(3, Optional.empty()));
        assertEquals(Duration.ofMillis(100), new Backoff(INITIAL, MAX, () -> 0.25).delay(3, Optional.empty()));
    }

    @Test
    void aRetryAfterIsWaitedInFullWithAtMostTheFirstJitterOnTop() {
        Backoff top = new Backoff(INITIAL, MAX, () -> 1.0);
        assertEquals(Duration.ofMillis(7100), top.delay(4, Optional.of(Duration.ofSeconds(7))));
        Backoff none = new Backoff(INITIAL, MAX, () -> 0.0);
        assertEquals(Duration.ofSeconds(7), none.delay(4, Optional.of(Duration.ofSeconds(7))));
    }
}
