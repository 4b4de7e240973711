package com.connectionkeeper.simulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.connectionkeeper.testkit.Integration;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Token lifetime distributions: their text form, their errors, and what they draw with a fixed seed. */
@Integration
class LifetimeDistributionTest {
    private static final int DRAWS = 20_000;

    @Test
    void durationsAreWrittenInDaysHoursMinutesSecondsOrMilliseconds() {
        assertEquals(Duration.ofDays(14), DurationText.parse("14d"));
        assertEquals(Duration.ofHours(12), DurationText.parse("12h"));
        assertEquals(Duration.ofMinutes(30), DurationText.parse("30m"));
        assertEquals(Duration.ofSeconds(45), DurationText.parse("45s"));
        assertEquals(Duration.ofMillis(1500), DurationText.parse("1500ms"));
        assertEquals(Duration.ofHours(36), DurationText.parse("1d12h"));
        assertEquals("14d", DurationText.format(Duration.ofDays(14)));
        assertEquals("36h", DurationText.format(Duration.ofHours(36)));
        assertEquals("1500ms", DurationText.format(Duration.ofMillis(1500)));
        for (String bad : List.of("", "14", "d", "14w", "-3d", "1.5d", "14 d")) {
            Refusals.assertRefused(() -> DurationText.parse(bad), "\"" + bad + "\"");
        }
    }

    @Test
    void everyFormIsParsedAndPrintedBackTheSame() {
        for (String text : List.of("none", "fixed(7d)", "uniform(1d,3d)", "normal(14d,12h)", "lognormal(14d,0.5)",
                "exponential(30d)")) {
            assertEquals(text, LifetimeDistribution.parse(text).toString());
        }
        assertEquals(LifetimeDistribution.normal(Duration.ofDays(14), Duration.ofHours(12)),
                LifetimeDistribution.parse(" Normal( 14d , 12h ) "));
    }

    @Test
    void badDistributionsNameTheBadPart() {
        assertError("fixd(7d)", "fixd");
        assertError("fixed(7x)", "7x");
        assertError("normal(14d)", "normal needs 2 arguments");
        assertError("uniform(3d,1d)", "min 3d");
        assertError("lognormal(14d,abc)", "abc");
        assertError("lognormal(14d,-1)", "sigma");
        assertError("exponential(0s)", "0s");
        assertError("fixed 7d", "fixed 7d");
        assertError("normal(30s,1s)", "at least 1m");
    }

    @Test
    void fixedAlwaysDrawsItsValueAndNoneNeverExpires() {
        SplittableRandom random = new SplittableRandom(1);
        assertEquals(Duration.ofDays(7), LifetimeDistribution.parse("fixed(7d)").draw(random).orElseThrow());
        assertTrue(LifetimeDistribution.never().draw(random).isEmpty());
    }

    @Test
    void uniformDrawsStayInTheirRangeAndAverageItsMiddle() {
        double[] days = draws("uniform(1d,3d)");
        assertTrue(Arrays.stream(days).allMatch(d -> d >= 1 && d <= 3));
        assertEquals(2.0, mean(days), 0.03);
    }

    @Test
    void normalDrawsHaveItsMeanAndSpreadAndAreTruncatedAtTheMinimum() {
        double[] days = draws("normal(14d,12h)");
        assertEquals(14.0, mean(days), 0.03);
        assertEquals(0.5, sd(days), 0.02);
        double[] wide = draws("normal(1d,2d)");
        double minimumDays = LifetimeDistribution.MINIMUM.toMillis() / 86_400_000.0;
        assertTrue(Arrays.stream(wide).allMatch(d -> d >= minimumDays), "truncated at 1m");
        assertTrue(mean(wide) > 1.5, "truncation moves the mean up: " + mean(wide));
    }

    @Test
    void lognormalDrawsHaveItsMedianAndExponentialDrawsItsMean() {
        double[] lognormal = draws("lognormal(14d,0.5)");
        Arrays.sort(lognormal);
        assertEquals(14.0, lognormal[DRAWS / 2], 0.3);
        assertEquals(30.0, mean(draws("exponential(30d)")), 0.9);
    }

    @Test
    void theSameSeedDrawsTheSameLifetimes() {
        assertEquals(Arrays.toString(draws("exponential(30d)")), Arrays.toString(draws("exponential(30d)")));
    }

    private static void assertError(String text, String part) {
        Refusals.assertRefused(() -> LifetimeDistribution.parse(text), part);
    }

    /** {@link #DRAWS} lifetimes in days, seed 42. */
    private static double[] draws(String text) {
        LifetimeDistribution distribution = LifetimeDistribution.parse(text);
        SplittableRandom random = new SplittableRandom(42);
        double[] days = new double[DRAWS];
        for (int i = 0; i < DRAWS; i++) {
            days[i] = distribution.draw(random).orElseThrow().toMillis() / 86_400_000.0;
        }
        return days;
    }

    private static double mean(double[] values) {
        return Arrays.stream(values).average().orElseThrow();
    }

    private static double sd(double[] values) {
        double mean = mean(values);
        return Math.sqrt(Arrays.stream(values).map(v -> (v - mean) * (v - mean)).sum() / (values.length - 1));
    }
}
