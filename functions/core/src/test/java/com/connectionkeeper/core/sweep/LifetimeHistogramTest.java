package com.connectionkeeper.core.sweep;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class LifetimeHistogramTest {
    @Test
    void theLayoutIsHourlyToTwoDaysThenTenPercentWiderUpTo400DaysThenOverflow() {
        assertEquals(105, LifetimeHistogram.BUCKETS, "the stored format: one attribute per bucket");
        assertEquals(104, LifetimeHistogram.OVERFLOW);
        assertEquals(Duration.ZERO, LifetimeHistogram.lowerBound(0));
        assertEquals(Duration.ofHours(1), LifetimeHistogram.lowerBound(1));
        assertEquals(Duration.ofHours(47), LifetimeHistogram.lowerBound(47));
        assertEquals(Duration.ofHours(48), LifetimeHistogram.lowerBound(48));
        assertEquals(Duration.ofMinutes(3168), LifetimeHistogram.lowerBound(49), "48 h × 1.1 = 52.8 h");
        assertEquals(Duration.ofDays(400), LifetimeHistogram.lowerBound(LifetimeHistogram.OVERFLOW));
        assertEquals(Optional.empty(), LifetimeHistogram.upperBound(LifetimeHistogram.OVERFLOW));
    }

    @Test
    void boundsAreMonotoneContiguousAndCoverEveryLifetime() {
        for (int k = 0; k < LifetimeHistogram.OVERFLOW; k++) {
            Duration lower = LifetimeHistogram.lowerBound(k);
            Duration upper = LifetimeHistogram.upperBound(k).orElseThrow();
            assertTrue(upper.compareTo(lower) > 0, "bucket " + k + " is not empty");
            assertEquals(upper, LifetimeHistogram.lowerBound(k + 1), "no gap after bucket " + k);
            assertEquals(k, LifetimeHistogram.bucketOf(lower), "the lower bound is in the bucket");
            assertEquals(k, LifetimeHistogram.bucketOf(upper.minusSeconds(1)), "the end is not");
            double growth = (double) upper.getSeconds() / lower.getSeconds();
            if (k >= 48) {
                assertTrue(growth > 1.04 && growth < 1.11, "about 10 % wider: bucket " + k + " " + growth);
            } else {
                assertEquals(Duration.ofHours(1), upper.minus(lower));
            }
        }
        assertEquals(LifetimeHistogram.OVERFLOW, LifetimeHistogram.bucketOf(Duration.ofDays(400)));
        assertEquals(LifetimeHistogram.OVERFLOW, LifetimeHistogram.bucketOf(Duration.ofDays(100_000)));
        assertEquals(0, LifetimeHistogram.bucketOf(Duration.ZERO));
        assertEquals(7, LifetimeHistogram.bucketOf(Duration.ofMinutes(7 * 60 + 59)));
    }

    @Test
    void roundTripsThroughItsBucketCounts() {
        LifetimeHistogram h = LifetimeHistogram.EMPTY.plus(Duration.ofDays(7)).plus(Duration.ofDays(7).plusHours(1))
                .plus(Duration.ofMinutes(30)).plus(Duration.ofDays(500));
        assertEquals(4, h.samples());
        int week = LifetimeHistogram.bucketOf(Duration.ofDays(7));
        assertEquals(Map.of(0, 1L, week, 2L, LifetimeHistogram.OVERFLOW, 1L), h.counts());
        assertEquals(h, LifetimeHistogram.of(h.counts()));
        assertEquals(2, LifetimeHistogram.of(h.counts()).count(week));
        assertEquals(LifetimeHistogram.EMPTY, LifetimeHistogram.of(Map.of()));
        assertEquals(LifetimeHistogram.EMPTY, LifetimeHistogram.of(Map.of(3, 0L)));
    }

    @Test
    void mergesCounts() {
        LifetimeHistogram a = LifetimeHistogram.of(Map.of(1, 2L, 60, 5L));
        LifetimeHistogram b = LifetimeHistogram.of(Map.of(60, 1L, 104, 3L));
        assertEquals(LifetimeHistogram.of(Map.of(1, 2L, 60, 6L, 104, 3L)), a.merge(b));
        assertEquals(11, a.merge(b).samples());
        assertEquals(a, a.merge(LifetimeHistogram.EMPTY));
    }

    @Test
    void rejectsNegativeLifetimesBadBucketsAndNegativeCounts() {
        IllegalArgumentException negative = assertThrows(IllegalArgumentException.class,
                () -> LifetimeHistogram.EMPTY.plus(Duration.ofSeconds(-1)));
        assertTrue(negative.getMessage().contains("negative"), negative.getMessage());
        IllegalArgumentException bucket = assertThrows(IllegalArgumentException.class,
                () -> LifetimeHistogram.of(Map.of(105, 1L)));
        assertTrue(bucket.getMessage().contains("105"), bucket.getMessage());
        assertThrows(IllegalArgumentException.class, () -> LifetimeHistogram.of(Map.of(-1, 1L)));
        assertThrows(IllegalArgumentException.class, () -> LifetimeHistogram.of(Map.of(2, -1L)));
        assertThrows(IllegalArgumentException.class, () -> LifetimeHistogram.lowerBound(105));
        assertThrows(IllegalArgumentException.class, () -> LifetimeHistogram.EMPTY.count(-1));
    }
}
