package com.connectionkeeper.signature;

/**
 * Python's {@code repr(float)} for finite doubles: the shortest digit string that reads back as the same double
 * (the nearest one if several, an even last digit on an exact tie), fixed notation for decimal exponents in
 * [-4, 16), else {@code 1e-07} style.
 *
 * <p>The digits come from Raffaello Giulietti's Schubfach algorithm ("The Schubfach way to render doubles", 2020;
 * the algorithm of {@code Double.toString} since Java 19, which we cannot call: we compile for release 17), written
 * here from the paper, in {@code long} arithmetic with a 617-entry table of 126-bit powers of ten
 * ({@link PowersOfTen}). Two differences from Java 19's
 * {@code Double.toString} make it Python's: a one-digit result is allowed (Java renders at least two digits:
 * {@code 4.9E-324} where Python has {@code 5e-324}), and the two smallest subnormals, the only doubles whose
 * rounding interval holds two one-digit decimals, are given directly. A few hundred nanoseconds per double, against
 * up to ~30 µs for the BigDecimal search this replaced (kept in the tests as the oracle it is checked against).
 */
final class PythonFloatRepr {
    private static final int P = 53;               // precision of a double, hidden bit included
    private static final int Q_MIN = -1074;        // exponent of the smallest subnormal's unit
    private static final long C_MIN = 1L << (P - 1);
    private static final int BQ_MASK = 0x7FF;
    private static final long T_MASK = (1L << (P - 1)) - 1;
    private static final long MASK_63 = (1L << 63) - 1;

    private PythonFloatRepr() {
    }

    static String repr(double value) {
        long bits = Double.doubleToRawLongBits(value);
        boolean negative = bits < 0;
        long t = bits & T_MASK;
        int bq = (int) (bits >>> (P - 1)) & BQ_MASK;
        if (bq == BQ_MASK) {
            throw new IllegalArgumentException("not finite");
        }
        StringBuilder out = new StringBuilder(26);
        if (negative) {
            out.append('-');
        }
        if (bq == 0 && t == 0) {
            return out.append("0.0").toString();
        }
        if (bq == 0 && t <= 2) {
            // 2^-1074 and 2^-1073: their intervals hold two or more one-digit decimals; Python picks the nearest
            return out.append(t == 1 ? "5e-324" : "1e-323").toString();
        }
        long c;
        int q;
        if (bq != 0) {
            c = C_MIN | t;
            q = bq - 1 + Q_MIN; // value = c * 2^q
            int mq = -q;
            if (0 < mq && mq < P) {
                long f = c >> mq;
                if (f << mq == c) {
                    return format(f, 0, out); // an integer below 2^53: its own digits are the shortest
                }
            }
        } else {
            c = t;
            q = Q_MIN;
        }
        return toDecimal(q, c, out);
    }

    /** Schubfach: the shortest decimal in the rounding interval of c * 2^q, nearest on a choice. */
    private static String toDecimal(int q, long c, StringBuilder out) {
        int odd = (int) c & 1; // an odd c's interval excludes its ends (they round to the even neighbours)
        long cb = c << 2;
        long cbr = cb + 2;
        long cbl;
        int k;
        if (c != C_MIN || q == Q_MIN) {
            cbl = cb - 2;
            k = flog10pow2(q);
        } else {
            cbl = cb - 1; // at a power of two the interval below is half as wide
            k = flog10threeQuartersPow2(q);
        }
        int h = q + flog2pow10(-k) + 2;
        long g1 = PowersOfTen.G[2 * (k - PowersOfTen.K_MIN)];
        long g0 = PowersOfTen.G[2 * (k - PowersOfTen.K_MIN) + 1];
        long vb = rop(g1, g0, cb << h);
        long vbl = rop(g1, g0, cbl << h);
        long vbr = rop(g1, g0, cbr << h);
        long s = vb >> 2;
        if (s >= 10) {
            // one digit fewer: the multiples of 10 around s; at most one lies in the interval (narrower than 10)
            long sp10 = 10 * Math.multiplyHigh(s, 115_292_150_460_684_698L << 4);
            long tp10 = sp10 + 10;
            boolean upin = vbl + odd <= sp10 << 2;
            boolean wpin = (tp10 << 2) + odd <= vbr;
            if (upin != wpin) {
                return format(upin ? sp10 : tp10, k, out);
            }
        }
        long u = s + 1;
        boolean uin = vbl + odd <= s << 2;
        boolean win = (u << 2) + odd <= vbr;
        if (uin != win) {
            return format(uin ? s : u, k, out);
        }
        long cmp = vb - (s + u << 1);
        return format(cmp < 0 || cmp == 0 && (s & 1) == 0 ? s : u, k, out);
    }

    /** (g * cp) / 2^127, g = g1 * 2^63 + g0, rounded to odd. */
    private static long rop(long g1, long g0, long cp) {
        long x1 = Math.multiplyHigh(g0, cp);
        long y0 = g1 * cp;
        long y1 = Math.multiplyHigh(g1, cp);
        long z = (y0 >>> 1) + x1;
        long vbp = y1 + (z >>> 63);
        return vbp | (z & MASK_63) + MASK_63 >>> 63;
    }

    /** floor(q * log10(2)), for |q| <= 5,456,721. */
    static int flog10pow2(int q) {
        return (int) (q * 661_971_961_083L >> 41);
    }

    /** floor(log10(3/4 * 2^q)). */
    static int flog10threeQuartersPow2(int q) {
        return (int) (q * 661_971_961_083L + -274_743_187_321L >> 41);
    }

    /** floor(e * log2(10)), for |e| <= 1,838,394. */
    static int flog2pow10(int e) {
        return (int) (e * 913_124_641_741L >> 38);
    }

    /** Python's layout of f * 10^e (f > 0, trailing zeros allowed). */
    private static String format(long f, int e, StringBuilder out) {
        while (f % 10 == 0) {
            f /= 10;
            e++;
        }
        String digits = Long.toString(f);
        layout(digits, e + digits.length() - 1, out);
        return out.toString();
    }

    /**
     * Python's repr layout of the shortest digits {@code digits} with value d.ddd × 10^{@code exponent}: fixed
     * notation from 1e-4 up to 1e16, scientific outside (the test's reference implementation shares it).
     */
    static void layout(String digits, int exponent, StringBuilder out) {
        if (exponent >= -4 && exponent < 16) {
            appendFixed(digits, exponent + 1, out);
        } else {
            appendScientific(digits, exponent, out);
        }
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
