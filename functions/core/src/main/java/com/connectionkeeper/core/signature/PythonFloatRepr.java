package com.connectionkeeper.core.signature;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;

/**
 * Python's {@code repr(float)} for finite doubles: the shortest digit string that reads back as the same double
 * (nearest one if several), fixed notation for decimal exponents in [-4, 16), else {@code 1e-07} style.
 */
final class PythonFloatRepr {
    private static final int MAX_DIGITS = 17; // always enough to tell doubles apart

    private PythonFloatRepr() {
    }

    static String repr(double value) {
        if (value == 0) {
            return Double.doubleToRawLongBits(value) < 0 ? "-0.0" : "0.0";
        }
        BigDecimal shortest = shortest(Math.abs(value)).stripTrailingZeros();
        String digits = shortest.unscaledValue().toString();
        int exponent = digits.length() - shortest.scale() - 1; // value = d.ddd * 10^exponent
        StringBuilder out = new StringBuilder(digits.length() + 8);
        if (value < 0) {
            out.append('-');
        }
        if (exponent >= -4 && exponent < 16) {
            appendFixed(digits, exponent + 1, out);
        } else {
            appendScientific(digits, exponent, out);
        }
        return out.toString();
    }

    /**
     * The shortest decimal that round-trips to {@code value}. Whether some p-digit decimal round-trips only ever
     * turns from false to true as p grows, so p is found by bisection; at each p only the two p-digit decimals
     * around the exact value can round-trip (both may, at a power of two the interval below is narrower).
     */
    private static BigDecimal shortest(double value) {
        BigDecimal exact = new BigDecimal(value);
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

    /** {@code decimalPoint} digits before the point (zero or negative: leading zeros after it); never ends in '.'. */
    private static void appendFixed(String digits, int decimalPoint, StringBuilder out) {
        if (decimalPoint <= 0) {
            out.append("0.").append("0".repeat(-decimalPoint)).append(digits);
        } else if (decimalPoint >= digits.length()) {
            out.append(digits).append("0".repeat(decimalPoint - digits.length())).append(".0");
        } else {
            out.append(digits, 0, decimalPoint).append('.').append(digits, decimalPoint, digits.length());
        }
    }

    private static void appendScientific(String digits, int exponent, StringBuilder out) {
        out.append(digits.charAt(0));
        if (digits.length() > 1) {
            out.append('.').append(digits, 1, digits.length());
        }
        out.append('e').append(exponent < 0 ? '-' : '+');
        int magnitude = Math.abs(exponent);
        if (magnitude < 10) {
            out.append('0');
        }
        out.append(magnitude);
    }
}
