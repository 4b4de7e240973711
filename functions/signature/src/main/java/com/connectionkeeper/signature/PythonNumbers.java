package com.connectionkeeper.signature;

/** What {@code json.dumps} writes for a number token {@code json.loads} read: an int or a float. */
final class PythonNumbers {
    /** Python 3.11+ refuses to convert longer digit strings to int (sys.get_int_max_str_digits()). */
    static final int MAX_INT_DIGITS = 4300;
    /** Test hook: told of every float formatted (null, the default, costs one volatile read per float). */
    static volatile Runnable onFloatFormatted;

    private PythonNumbers() {
    }

    /** An integer token ({@code -?(0|[1-9][0-9]*)}) is already in Python's form, except that -0 is 0. */
    static String intJson(String token) {
        int digits = token.startsWith("-") ? token.length() - 1 : token.length();
        if (digits > MAX_INT_DIGITS) {
            throw new MalformedJsonException("Integer longer than " + MAX_INT_DIGITS + " digits");
        }
        return token.equals("-0") ? "0" : token;
    }

    /** A token with a fraction or exponent is a double (correctly rounded; too large is infinite) in repr form. */
    static String floatJson(String token) {
        Runnable hook = onFloatFormatted;
        if (hook != null) {
            hook.run();
        }
        double value = Double.parseDouble(token);
        if (Double.isInfinite(value)) {
            return value > 0 ? "Infinity" : "-Infinity";
        }
        return PythonFloatRepr.repr(value);
    }
}
