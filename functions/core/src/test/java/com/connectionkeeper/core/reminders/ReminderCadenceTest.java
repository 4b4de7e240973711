package com.connectionkeeper.core.reminders;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ReminderCadenceTest {
    private static final Instant T = Instant.parse("2026-03-01T10:00:00Z");

    @Test
    void offsetsThenTheRepeatUpToTheMaximum() {
        ReminderCadence c = ReminderCadence.parse("1d, 3d,7d,14d,+14d", 7);
        List<Duration> offsets = new ArrayList<>();
        for (int step = 1; step <= c.maxSteps(); step++) {
            offsets.add(c.offset(step));
        }
        assertEquals(List.of(Duration.ofDays(1), Duration.ofDays(3), Duration.ofDays(7), Duration.ofDays(14),
                Duration.ofDays(28), Duration.ofDays(42), Duration.ofDays(56)), offsets);
        assertThrows(IllegalArgumentException.class, () -> c.offset(8));
        assertEquals(0, c.dueStep(T, T.plus(Duration.ofHours(23))));
        assertEquals(1, c.dueStep(T, T.plus(Duration.ofDays(1))));
        assertEquals(4, c.dueStep(T, T.plus(Duration.ofDays(20))));
        assertEquals(7, c.dueStep(T, T.plus(Duration.ofDays(400))));
    }

    @Test
    void withoutARepeatTheOffsetsAreAll() {
        ReminderCadence c = ReminderCadence.parse("12h,2d", 10);
        assertEquals(2, c.maxSteps());
        assertEquals(T.plus(Duration.ofHours(12)), c.dueAt(T, 1));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "1d,1d", "3d,1d", "0d", "-1d", "1w", "d", "1d,+7d,14d", "+7d", "1.5d", "1d,+0d",
        "99999999999d"})
    void badCadencesAreRefusedSayingWhich(String text) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ReminderCadence.parse(text, 5));
        assertTrue(e.getMessage().contains(text), e.getMessage());
    }

    @Test
    void theMaximumIsBounded() {
        assertThrows(IllegalArgumentException.class, () -> ReminderCadence.parse("1d,+1d", 0));
        assertThrows(IllegalArgumentException.class, () -> ReminderCadence.parse("1d,+1d", 101));
    }
}
