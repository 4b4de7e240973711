package com.connectionkeeper.signature;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;

/**
 * The BigDecimal implementation that {@link PythonFloatRepr} replaced (issue 9, item 1: up to ~30 µs per double),
 * kept as the oracle of {@code PythonFloatReprTest}. Python's {@code repr(float)} for finite doubles: the shortest digit string that reads back as the same double
 * (nearest one if several), fixed notation for decimal exponents in [-4, 16), else {@code 1e-07} style.
 */
final class PythonFloatReprReference {
    private static final int MAX_DIGITS = 17; // always enough to tell doubles apart
    /** DBL_DIG: every decimal of this many significant digits survives decimal -> double -> decimal. */
    private static final int SAFE_DIGITS = 15;
    private static final MathContext WORKING = new MathContext(MAX_DIGITS + 4, RoundingMode.DOWN);

    private PythonFloatReprReference() {
    }

    /**
     * The repr of {@code value}, which the JSON float text {@code writtenAs} reads as. A text of at most 15
     * significant digits in the normal range is the shortest form itself (no shorter decimal can read as the same
     * double, or 15 digits would not survive the round trip), which spares the search.
     */
    static String repr(double value, String writtenAs) {
        if (Math.abs(value) >= Double.MIN_NORMAL && writtenAs.length() <= 32) {
            BigDecimal written = new BigDecimal(writtenAs).stripTrailingZeros();
            if (written.precision() <= SAFE_DIGITS) {
                return format(written);
            }
        }
        return repr(value);
    }

    static String repr(double value) {
        if (value == 0) {
            return Double.doubleToRawLongBits(value) < 0 ? "-0.0" : "0.0";
        }
        BigDecimal shortest = shortest(Math.abs(value)).stripTrailingZeros();
        return format(value < 0 ? shortest.negate() : shortest);
    }

    /**
     * The shortest decimal that round-trips to {@code value}. Whether some p-digit decimal round-trips only ever
     * turns from false to true as p grows, so p is found by bisection; at each p only the two p-digit decimals
     * around the exact value can round-trip (both may, at a power of two the interval below is narrower).
     */
    private static BigDecimal shortest(double value) {
        BigDecimal exact = working(new BigDecimal(value));
        BigDecimal found = roundTripping(exact, MAX_DIGITS, value);
        int low = 1;
        int high = MAX_DIGITS;
        while (low < high) {
            int mid = (low + high) >>> 1;
            BigDecimal candidate = roundTripping(exact, mid, value);
            if (candidate != null) {
                found = candidate;
                high = mid;
            } else {
                low = mid + 1;
            }
        }
        return found;
    }

    /**
     * A short stand-in for the exact value (up to ~770 digits): its first 21 digits, plus a trailing 5 if any digit
     * was dropped. No decimal of 21 digits or fewer, nor a midpoint between two of 17 or fewer, lies strictly
     * between the two, so rounding to at most 17 digits gives the same result from either.
     */
    private static BigDecimal working(BigDecimal exact) {
        BigDecimal head = exact.round(WORKING);
        return head.compareTo(exact) == 0 ? head : head.add(head.ulp().divide(BigDecimal.valueOf(2)));
    }

    /** The p-digit decimal nearest to {@code exact} among those that read back as {@code value}, or null. */
    private static BigDecimal roundTripping(BigDecimal exact, int digits, double value) {
        BigDecimal down = exact.round(new MathContext(digits, RoundingMode.DOWN));
        BigDecimal up = exact.round(new MathContext(digits, RoundingMode.UP));
        boolean downReadsBack = down.doubleValue() == value;
        boolean upReadsBack = up.doubleValue() == value;
        if (downReadsBack && upReadsBack) {
            return exact.round(new MathContext(digits, RoundingMode.HALF_EVEN));
        }
        return downReadsBack ? down : upReadsBack ? up : null;
    }

    /** Python's layout of a nonzero decimal without trailing zeros. */
    private static String format(BigDecimal decimal) {
        String digits = decimal.unscaledValue().abs().toString();
        int exponent = digits.length() - decimal.scale() - 1; // value = d.ddd * 10^exponent
        StringBuilder out = new StringBuilder(digits.length() + 8);
        if (decimal.signum() < 0) {
            out.append('-');
        }
        PythonFloatRepr.layout(digits, exponent, out); // the layout is shared; the digits are what is checked
        return out.toString();
    }
}
