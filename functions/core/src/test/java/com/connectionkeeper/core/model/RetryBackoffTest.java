package com.connectionkeeper.core.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class RetryBackoffTest {
    @Test
    void doublesPerConsecutiveFailureUpToTheMaximum() {
        RetryBackoff backoff = new RetryBackoff(Duration.ofMinutes(1), Duration.ofMinutes(10));
        assertEquals(List.of(1L, 2L, 4L, 8L, 10L, 10L),
                IntStream.rangeClosed(1, 6).mapToObj(n -> backoff.delayAfter(n).toMinutes()).toList());
        assertEquals(Duration.ofMinutes(10), backoff.delayAfter(Integer.MAX_VALUE), "no overflow");
    }

    @Test
    void refusesNonsense() {
        assertThrows(IllegalArgumentException.class, () -> new RetryBackoff(Duration.ZERO, Duration.ofMinutes(1)));
        assertThrows(IllegalArgumentException.class,
                () -> new RetryBackoff(Duration.ofMinutes(2), Duration.ofMinutes(1)));
        assertThrows(IllegalArgumentException.class, () -> RetryBackoff.DEFAULT.delayAfter(0));
    }
}
