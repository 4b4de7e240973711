package com.connectionkeeper.api;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/** User and connection ids as they arrive in paths and bodies: decoded and checked before anything uses them. */
final class Ids {
    static final int MAX_LENGTH = 255;
    static final String NOT_CANONICAL = " is not in its canonical form: percent-encode exactly the characters other "
            + "than A-Z a-z 0-9 - . _ ~ (UTF-8 bytes, upper-case hex, e.g. %2B for +)";

    private Ids() {
    }

    /**
     * A path segment in its one canonical form (RFC 3986: the unreserved characters {@code A-Z a-z 0-9 - . _ ~}
     * literally, every other UTF-8 byte as {@code %XX} with upper-case hex — what SigV4 signs and
     * {@code encodeURIComponent} produces but for {@code !'()*}), decoded; 400 for a malformed escape, any other
     * spelling (an escaped unreserved character, lower-case hex, a literal sub-delimiter or non-ASCII character), or
     * bytes that are not UTF-8. So every id has exactly one accepted spelling and a path-based control in front of the
     * API (an IAM resource, a WAF rule) cannot be bypassed by spelling the same id differently.
     */
    static String decodeSegment(String raw, String what) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(raw.length());
        boolean canonical = true;
        for (int i = 0; i < raw.length(); i++) {
            char c = raw.charAt(i);
            if (c == '%') {
                if (i + 2 >= raw.length() || Character.digit(raw.charAt(i + 1), 16) < 0
                        || Character.digit(raw.charAt(i + 2), 16) < 0) {
                    throw ApiException.badRequest(what + " has a malformed percent-escape");
                }
                int b = Character.digit(raw.charAt(i + 1), 16) * 16 + Character.digit(raw.charAt(i + 2), 16);
                canonical &= upperHex(raw.charAt(i + 1)) && upperHex(raw.charAt(i + 2)) && !unreserved(b);
                bytes.write(b);
                i += 2;
            } else {
                canonical &= unreserved(c);
                byte[] utf8 = String.valueOf(c).getBytes(StandardCharsets.UTF_8);
                bytes.write(utf8, 0, utf8.length);
            }
        }
        if (!canonical) {
            throw ApiException.badRequest(what + NOT_CANONICAL);
        }
        return check(PercentDecoding.utf8(bytes.toByteArray())
                .orElseThrow(() -> ApiException.badRequest(what + " is not valid UTF-8")), what);
    }

    /** RFC 3986's unreserved characters: the only ones a canonical segment holds literally. */
    static boolean unreserved(int c) {
        return c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-' || c == '.'
                || c == '_' || c == '~';
    }

    private static boolean upperHex(char c) {
        return c >= '0' && c <= '9' || c >= 'A' && c <= 'F';
    }

    /**
     * 1..255 characters, not only whitespace, no control characters, no '/', and not {@code .} or {@code ..}: as a
     * path segment those are removed by clients, proxies and SigV4 ({@code /users/../connections} is
     * {@code /connections}), so such a user's routes could never be reached, and a path-based control would see
     * another path.
     */
    static String check(String id, String what) {
        if (id == null || id.isEmpty()) {
            throw ApiException.badRequest(what + " is required");
        }
        if (id.equals(".") || id.equals("..")) {
            throw ApiException.badRequest(what + " must not be '.' or '..': clients and SigV4 remove such path "
                    + "segments, so its routes could never be reached as such");
        }
        if (id.isBlank()) {
            throw ApiException.badRequest(what + " must not be only whitespace");
        }
        if (id.length() > MAX_LENGTH) {
            throw ApiException.badRequest(what + " is longer than " + MAX_LENGTH + " characters");
        }
        for (int i = 0; i < id.length(); i++) {
            char c = id.charAt(i);
            if (c < 0x20 || c == 0x7f || c == '/' || Character.isSurrogate(c) && !validSurrogate(id, i)) {
                throw ApiException.badRequest(what + " contains a character that is not allowed (control, '/')");
            }
        }
        return id;
    }

    private static boolean validSurrogate(String s, int i) {
        char c = s.charAt(i);
        if (Character.isHighSurrogate(c)) {
            return i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1));
        }
        return i > 0 && Character.isHighSurrogate(s.charAt(i - 1));
    }
}
