package com.connectionkeeper.signature;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.MathContext;
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
    void theStoredPowersOfTenAreTheirDefinition() {
        List<String> wrong = new ArrayList<>();
        BigInteger mask63 = BigInteger.ONE.shiftLeft(63).subtract(BigInteger.ONE);
        for (int k = PowersOfTen.K_MIN; k <= PowersOfTen.K_MAX; k++) {
            int shift = 125 - PythonFloatRepr.flog2pow10(-k); // 2^125 <= 10^-k * 2^shift < 2^126
            BigInteger numerator = BigInteger.TEN.pow(Math.max(-k, 0));
            BigInteger denominator = BigInteger.TEN.pow(Math.max(k, 0));
            if (shift >= 0) {
                numerator = numerator.shiftLeft(shift);
            } else {
                denominator = denominator.shiftLeft(-shift);
            }
            BigInteger g = numerator.divide(denominator).add(BigInteger.ONE);
            int at = 2 * (k - PowersOfTen.K_MIN);
            if (g.bitLength() != 126 || PowersOfTen.G[at] != g.shiftRight(63).longValueExact()
                    || PowersOfTen.G[at + 1] != g.and(mask63).longValueExact()) {
                wrong.add("k = " + k);
            }
        }
        assertEquals(List.of(), wrong);
        assertEquals(2 * (PowersOfTen.K_MAX - PowersOfTen.K_MIN + 1), PowersOfTen.G.length);
    }

    @Test
    void theFloorLogarithmsAreExactOverTheirRange() {
        for (int q = -1100; q <= 1100; q++) {
            assertEquals(floorLog10(BigDecimal.valueOf(2).pow(Math.abs(q), MathContext.UNLIMITED), q < 0),
                    PythonFloatRepr.flog10pow2(q), "q = " + q);
        }
        for (int e = -400; e <= 400; e++) {
            // floor(e * log2(10)) = bit length of 10^|e| - 1 for e >= 0; for e < 0, -(bit length of 10^-e) ... exact:
            BigInteger ten = BigInteger.TEN.pow(Math.abs(e));
            int expected = e >= 0 ? ten.bitLength() - 1 : -(ten.bitLength() - (ten.bitCount() == 1 ? 1 : 0));
            assertEquals(expected, PythonFloatRepr.flog2pow10(e), "e = " + e);
        }
    }

    /** floor(log10(x)) or, when {@code reciprocal}, floor(log10(1 / x)), for x >= 1. */
    private static int floorLog10(BigDecimal x, boolean reciprocal) {
        int digits = x.toBigInteger().toString().length() - 1; // floor(log10(x)) for x >= 1 an integer
        if (!reciprocal) {
            return digits;
        }
        boolean powerOfTen = x.stripTrailingZeros().unscaledValue().equals(BigInteger.ONE);
        return powerOfTen ? -digits : -digits - 1;
    }

    @Test
    void agreesWithTheReferenceOnRandomBitPatterns() {
        SplittableRandom random = new SplittableRandom(20261129);
        for (int i = 0; i < 50_000; i++) {
            check(Double.longBitsToDouble(random.nextLong()));
        }
        assertEquals(List.of(), mismatches, "of " + checked);
    }

    @Test
    void agreesOnShortDecimalsAndTheirNeighbours() {
        SplittableRandom random = new SplittableRandom(7);
        for (int i = 0; i < 20_000; i++) {
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
