package com.connectionkeeper.signature;

import java.util.Arrays;

/**
 * A Python {@code str}: a sequence of code points, where a lone surrogate is a code point of its own and two
 * surrogates side by side need not form a pair. Ordered by code point, as Python compares strings.
 */
final class PyStr implements PyValue, Comparable<PyStr> {
    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private final int[] codePoints;
    private final int length;

    PyStr(int[] codePoints, int length) {
        this.codePoints = codePoints;
        this.length = length;
    }

    /** The code points of a Java string: a valid surrogate pair is one code point, a lone surrogate stays alone. */
    static PyStr of(String text) {
        int[] codePoints = new int[text.length()];
        int n = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                codePoints[n++] = Character.toCodePoint(c, text.charAt(++i));
            } else {
                codePoints[n++] = c;
            }
        }
        return new PyStr(codePoints, n);
    }

    int length() {
        return length;
    }

    int codePointAt(int index) {
        return codePoints[index];
    }

    /** Python's {@code ensure_ascii} string form: lower-case {@code \\uXXXX}, surrogate pairs above U+FFFF. */
    @Override
    public void dumpTo(StringBuilder out) {
        out.append('"');
        for (int i = 0; i < length; i++) {
            int c = codePoints[i];
            if (c >= ' ' && c <= '~') {
                if (c == '"' || c == '\\') {
                    out.append('\\');
                }
                out.append((char) c);
            } else {
                switch (c) {
                    case '\b' -> out.append("\\b");
                    case '\f' -> out.append("\\f");
                    case '\n' -> out.append("\\n");
                    case '\r' -> out.append("\\r");
                    case '\t' -> out.append("\\t");
                    default -> {
                        if (c > 0xFFFF) {
                            appendEscape(Character.highSurrogate(c), out);
                            appendEscape(Character.lowSurrogate(c), out);
                        } else {
                            appendEscape(c, out);
                        }
                    }
                }
            }
        }
        out.append('"');
    }

    private static void appendEscape(int unit, StringBuilder out) {
        out.append("\\u")
                .append(HEX[unit >> 12 & 0xF]).append(HEX[unit >> 8 & 0xF])
                .append(HEX[unit >> 4 & 0xF]).append(HEX[unit & 0xF]);
    }

    @Override
    public int compareTo(PyStr other) {
        return Arrays.compare(codePoints, 0, length, other.codePoints, 0, other.length);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof PyStr s && Arrays.equals(codePoints, 0, length, s.codePoints, 0, s.length);
    }

    @Override
    public int hashCode() {
        int hash = 1;
        for (int i = 0; i < length; i++) {
            hash = 31 * hash + codePoints[i];
        }
        return hash;
    }
}
