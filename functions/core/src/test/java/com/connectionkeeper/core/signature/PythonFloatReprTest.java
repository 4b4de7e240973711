package com.connectionkeeper.core.signature;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The Schubfach-based {@link PythonFloatRepr} against the BigDecimal search it replaced
 * ({@link PythonFloatReprReference}, itself checked against Python by {@code PythonCanonicalCasesTest}): random
 * bit patterns over every exponent, short decimals, the edges (subnormals, powers of two, the largest doubles).
 */
class PythonFloatReprTest {
    private final List<String> mismatches = new ArrayList<>();
    private int checked;

    private void check(double d) {
        if (Double.isNaN(d) || Double.isInfinite(d)) {
            return;
        }
        checked++;
        String expected = PythonFloatReprReference.repr(d);
        String actual = PythonFloatRepr.repr(d);
        if (!expected.equals(actual) && mismatches.size() < 20) {
            mismatches.add(Double.doubleToRawLongBits(d) + ": " + actual + ", reference " + expected);
        }
    }

    @Test
    void agreesWithTheReferenceOnRandomBitPatterns() {
        SplittableRandom random = new SplittableRandom(20261129);
        for (int i = 0; i < 100_000; i++) {
            check(Double.longBitsToDouble(random.nextLong()));
        }
        assertEquals(List.of(), mismatches, "of " + checked);
    }

    @Test
    void agreesOnShortDecimalsAndTheirNeighbours() {
        SplittableRandom random = new SplittableRandom(7);
        for (int i = 0; i < 30_000; i++) {
            int digits = 1 + random.nextInt(17);
            long mantissa = random.nextLong((long) Math.pow(10, Math.min(digits, 18)));
            int exponent = random.nextInt(-330, 310);
            double d = Double.parseDouble(mantissa + "e" + exponent);
            check(d);
            check(Math.nextUp(d));
            check(Math.nextDown(d));
        }
        assertEquals(List.of(), mismatches, "of " + checked);
    }

    @Test
    void agreesOnTheEdges() {
        for (long t = 0; t < 2_000; t++) {
            check(Double.longBitsToDouble(t)); // the smallest subnormals
            check(-Double.longBitsToDouble(t));
        }
        for (int e = -1074; e <= 1023; e++) {
            double p = Math.scalb(1.0, e);
            check(p);
            check(Math.nextUp(p));
            check(Math.nextDown(p));
            check(3 * p);
        }
        for (double d : new double[] {0.0, -0.0, Double.MIN_VALUE, Double.MIN_NORMAL, Double.MAX_VALUE,
                Math.nextDown(Double.MIN_NORMAL), 1e16, 9007199254740992.0, 9007199254740993.0, 1e-5, 1e-4,
                0.1, 0.2, 0.3, 0.30000000000000004, 100.0, 150.5, 1e22, 1e23, 2.82879384806159E17,
                1.0E-323, 5e-324, 123456789012345678.0}) {
            check(d);
            check(-d);
        }
        assertEquals(List.of(), mismatches, "of " + checked);
        assertEquals("5e-324", PythonFloatRepr.repr(Double.MIN_VALUE));
        assertEquals("1e-323", PythonFloatRepr.repr(2 * Double.MIN_VALUE));
        assertEquals("1.5e-323", PythonFloatRepr.repr(3 * Double.MIN_VALUE));
        assertEquals("-0.0", PythonFloatRepr.repr(-0.0));
        assertEquals("1e+16", PythonFloatRepr.repr(1e16));
        assertEquals("1e-05", PythonFloatRepr.repr(1e-5));
        assertEquals("0.0001", PythonFloatRepr.repr(1e-4));
    }
}
