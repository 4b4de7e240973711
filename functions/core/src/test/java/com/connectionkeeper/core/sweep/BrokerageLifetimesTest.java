package com.connectionkeeper.core.sweep;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class BrokerageLifetimesTest {
    private static final double EPS = 1e-9;

    /** 100 lifetimes: 10 in [5 h, 6 h), 30 in [10 h, 11 h), 60 in [20 h, 21 h). */
    private static final LifetimeHistogram KNOWN = LifetimeHistogram.of(Map.of(5, 10L, 10, 30L, 20, 60L));

    @Test
    void survivalIsTheObservedShareAtBucketBoundsAndExponentialWithin() {
        BrokerageLifetimes.Curve curve = BrokerageLifetimes.learn(Map.of("A", KNOWN)).curve("A").orElseThrow();
        assertEquals(100, curve.samples());
        assertEquals(1.0, curve.ownWeight(), EPS);
        assertEquals(1.0, curve.survival(Duration.ZERO), EPS);
        assertEquals(1.0, curve.survival(Duration.ofHours(5)), EPS);
        assertEquals(Math.sqrt(0.9), curve.survival(Duration.ofMinutes(330)), EPS, "constant hazard in a bucket");
        assertEquals(0.9, curve.survival(Duration.ofHours(6)), EPS);
        assertEquals(0.9, curve.survival(Duration.ofHours(10)), EPS);
        assertEquals(0.6, curve.survival(Duration.ofHours(11)), EPS);
        assertEquals(0.6, curve.survival(Duration.ofHours(20)), EPS);
        assertEquals(0.6 * Math.exp(-2), curve.survival(Duration.ofHours(21)), EPS,
                "the last observed bucket: the actuarial hazard 2 / width, not a drop to 0");
        assertEquals(1.0 / 3, curve.breakProbability(Duration.ofHours(10), Duration.ofHours(1)), EPS,
                "alive at 10 h: a third of the 90 % left break in the next hour");
        assertEquals(0.0, curve.breakProbability(Duration.ofHours(1), Duration.ofHours(3)), EPS, "nobody breaks early");
        assertEquals(-Math.log(0.6), curve.cumulativeHazard(Duration.ofHours(15)), EPS);
    }

    @Test
    void anOverdueTokenHasTheConstantHazardOfOnePerMedianLifetime() {
        BrokerageLifetimes.Curve curve = BrokerageLifetimes.learn(Map.of("A", KNOWN)).curve("A").orElseThrow();
        assertEquals(Duration.ofHours(20).plusMinutes(10), curve.median(), "0.4 before, a sixth into [20 h, 21 h)");
        assertEquals(Duration.ofHours(21), curve.overdueFrom());
        assertEquals(24 / (20 + 1 / 6.0), curve.overdueHazardPerDay(), 1e-6);
        double perSecond = 1.0 / Duration.ofHours(20).plusMinutes(10).getSeconds();
        assertEquals(-Math.expm1(-perSecond * 3600), curve.breakProbability(Duration.ofDays(30), Duration.ofHours(1)),
                EPS, "memoryless, whatever the age");
        assertEquals(0.6 * Math.exp(-2) * Math.exp(-perSecond * 7200), curve.survival(Duration.ofHours(23)), EPS);
    }

    @Test
    void aBrokerageWithFewLifetimesBlendsItsOwnWithThePooledOnesBySampleCount() {
        LifetimeHistogram longLived = LifetimeHistogram.of(Map.of(100, 94L)); // about 290 days
        LifetimeHistogram few = LifetimeHistogram.of(Map.of(10, 6L)); // 6 lifetimes in [10 h, 11 h)
        BrokerageLifetimes model = BrokerageLifetimes.learn(Map.of("LONG", longLived, "FEW", few), 30);
        assertEquals(100, model.pooledSamples());
        BrokerageLifetimes.Curve curve = model.curve("FEW").orElseThrow();
        assertEquals(6, curve.samples());
        assertEquals(0.2, curve.ownWeight(), EPS);
        // its own 20 % all break in [10 h, 11 h); of the pooled 80 %, 6 % do (its own, pooled), 94 % last ~290 days
        double breakEarly = 0.2 + 0.8 * 0.06;
        assertEquals(1 - breakEarly, curve.survival(Duration.ofHours(11)), EPS);
        assertEquals(1 - breakEarly, curve.survival(Duration.ofDays(100)), EPS);
        assertEquals(100, LifetimeHistogram.bucketOf(curve.median()), "the median is borrowed: in the pooled bucket");

        BrokerageLifetimes.Curve enough = BrokerageLifetimes.learn(Map.of("LONG", longLived,
                "ENOUGH", LifetimeHistogram.of(Map.of(10, 30L))), 30).curve("ENOUGH").orElseThrow();
        assertEquals(1.0, enough.ownWeight(), EPS);
        assertEquals(Math.exp(-2), enough.survival(Duration.ofHours(11)), EPS, "its own data only");
        assertEquals(Duration.ofHours(11), enough.overdueFrom(), "nothing borrowed from the long-lived brokerage");
    }

    @Test
    void aNewBrokerageHasNoCurveAndNoHistoryAnywhereIsNoModel() {
        BrokerageLifetimes model = BrokerageLifetimes.learn(Map.of("A", KNOWN, "NEW", LifetimeHistogram.EMPTY));
        assertEquals(Optional.empty(), model.curve("NEW"));
        assertEquals(Optional.empty(), model.curve("NEVER_SEEN"));
        assertEquals(Optional.empty(), model.curve(null));
        assertTrue(model.curve("A").isPresent());
        assertTrue(model.pooled().isPresent());

        BrokerageLifetimes none = BrokerageLifetimes.learn(Map.of("NEW", LifetimeHistogram.EMPTY));
        assertTrue(none.isEmpty());
        assertEquals(Optional.empty(), none.curve("NEW"));
        assertEquals(Optional.empty(), none.pooled());
        assertTrue(BrokerageLifetimes.NONE.isEmpty());
        assertTrue(BrokerageLifetimes.learn(Map.of()).isEmpty());
    }

    @Test
    void lifetimesInTheOverflowBucketMakeTokensOverdueFrom400Days() {
        BrokerageLifetimes.Curve curve = BrokerageLifetimes.learn(
                Map.of("A", LifetimeHistogram.of(Map.of(LifetimeHistogram.OVERFLOW, 10L)))).curve("A").orElseThrow();
        assertEquals(Duration.ofDays(400), curve.overdueFrom());
        assertEquals(Duration.ofDays(400), curve.median());
        assertEquals(1.0, curve.survival(Duration.ofDays(399)), EPS);
        assertTrue(curve.breakProbability(Duration.ofDays(500), Duration.ofDays(1)) > 0);
    }

    @Test
    void refusesAMinimumBelowOneSample() {
        assertThrows(IllegalArgumentException.class, () -> BrokerageLifetimes.learn(Map.of("A", KNOWN), 0));
    }
}
