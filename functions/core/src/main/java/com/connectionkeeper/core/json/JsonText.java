package com.connectionkeeper.core.json;

/**
 * JSON text written the way jackson-core's generator writes it with its defaults, so logs and recorded payloads read
 * the same as when Jackson wrote them, without loading Jackson: strings escape {@code "}, {@code \} and the control
 * characters (short forms for {@code \b \t \n \f \r}, otherwise {@code \}{@code u00XX} in upper-case hex) and keep
 * everything else as it is, non-ASCII and unpaired surrogates included; doubles print as {@link Double#toString},
 * with NaN and the infinities as strings.
 */
public final class JsonText {
    private static final char[] HEX = "0123456789ABCDEF".toCharArray();

    private JsonText() {
    }

    /** Appends {@code value} as a JSON string. */
    public static void string(StringBuilder out, CharSequence value) {
        out.append('"');
        int length = value.length();
        int plain = 0; // start of the run of characters that need no escape
        for (int i = 0; i < length; i++) {
            char c = value.charAt(i);
            if (c >= ' ' && c != '"' && c != '\\') {
                continue;
            }
            out.append(value, plain, i);
            plain = i + 1;
            out.append('\\');
            switch (c) {
                case '"', '\\' -> out.append(c);
                case '\b' -> out.append('b');
                case '\t' -> out.append('t');
                case '\n' -> out.append('n');
                case '\f' -> out.append('f');
                case '\r' -> out.append('r');
                default -> out.append("u00").append(HEX[c >> 4]).append(HEX[c & 0xF]);
            }
        }
        out.append(value, plain, length).append('"');
    }

    /** Appends a double: its {@link Double#toString} form, or that form as a string when it is NaN or infinite. */
    public static void number(StringBuilder out, double value) {
        if (Double.isFinite(value)) {
            out.append(Double.toString(value));
        } else {
            string(out, Double.toString(value));
        }
    }

    /** Appends a whole number. */
    public static void number(StringBuilder out, long value) {
        out.append(value);
    }
}
