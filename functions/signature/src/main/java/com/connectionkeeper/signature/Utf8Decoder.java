package com.connectionkeeper.signature;

/**
 * Decodes UTF-8 as Python's {@code json.loads(bytes)} does: strict UTF-8 with the {@code surrogatepass} handler (an
 * encoded surrogate becomes that lone code point) and a leading byte order mark dropped ({@code utf-8-sig}).
 */
final class Utf8Decoder {
    private Utf8Decoder() {
    }

    static PyStr decode(byte[] bytes) {
        int[] codePoints = new int[bytes.length];
        int n = 0;
        int i = hasByteOrderMark(bytes) ? 3 : 0;
        while (i < bytes.length) {
            int lead = bytes[i] & 0xFF;
            if (lead < 0x80) {
                codePoints[n++] = lead;
                i++;
            } else if (lead >= 0xC2 && lead <= 0xDF) {
                codePoints[n++] = (lead & 0x1F) << 6 | continuation(bytes, i, 1, 0x80, 0xBF);
                i += 2;
            } else if (lead >= 0xE0 && lead <= 0xEF) {
                int low = lead == 0xE0 ? 0xA0 : 0x80; // no overlong forms; ED A0..BF are surrogates, passed through
                codePoints[n++] = (lead & 0x0F) << 12 | continuation(bytes, i, 1, low, 0xBF) << 6
                        | continuation(bytes, i, 2, 0x80, 0xBF);
                i += 3;
            } else if (lead >= 0xF0 && lead <= 0xF4) {
                int low = lead == 0xF0 ? 0x90 : 0x80; // no overlong forms
                int high = lead == 0xF4 ? 0x8F : 0xBF; // nothing above U+10FFFF
                codePoints[n++] = (lead & 0x07) << 18 | continuation(bytes, i, 1, low, high) << 12
                        | continuation(bytes, i, 2, 0x80, 0xBF) << 6 | continuation(bytes, i, 3, 0x80, 0xBF);
                i += 4;
            } else {
                throw invalid(i);
            }
        }
        return new PyStr(codePoints, n);
    }

    private static boolean hasByteOrderMark(byte[] bytes) {
        return bytes.length >= 3 && (bytes[0] & 0xFF) == 0xEF && (bytes[1] & 0xFF) == 0xBB && (bytes[2] & 0xFF) == 0xBF;
    }

    /** The six payload bits of the continuation byte at {@code start + offset}, which must lie in [low, high]. */
    private static int continuation(byte[] bytes, int start, int offset, int low, int high) {
        int at = start + offset;
        if (at >= bytes.length) {
            throw invalid(start);
        }
        int b = bytes[at] & 0xFF;
        if (b < low || b > high) {
            throw invalid(start);
        }
        return b & 0x3F;
    }

    private static MalformedJsonException invalid(int index) {
        return new MalformedJsonException("Invalid UTF-8 at byte " + index);
    }
}
