package com.connectionkeeper.api;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/** User and connection ids as they arrive in paths and bodies: decoded and checked before anything uses them. */
final class Ids {
    static final int MAX_LENGTH = 255;

    private Ids() {
    }

    /** A path segment, percent-decoded as UTF-8 ('+' stays '+'); 400 when malformed. */
    static String decodeSegment(String raw, String what) {
        if (raw.indexOf('%') < 0) {
            return check(raw, what);
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        for (int i = 0; i < raw.length(); i++) {
            char c = raw.charAt(i);
            if (c == '%') {
                if (i + 2 >= raw.length() || Character.digit(raw.charAt(i + 1), 16) < 0
                        || Character.digit(raw.charAt(i + 2), 16) < 0) {
                    throw ApiException.badRequest(what + " has a malformed percent-escape");
                }
                bytes.write(Integer.parseInt(raw.substring(i + 1, i + 3), 16));
                i += 2;
            } else if (c < 0x80) {
                bytes.write(c);
            } else {
                byte[] utf8 = String.valueOf(c).getBytes(StandardCharsets.UTF_8);
                bytes.write(utf8, 0, utf8.length);
            }
        }
        try {
            return check(StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes.toByteArray())).toString(), what);
        } catch (CharacterCodingException e) {
            throw ApiException.badRequest(what + " is not valid UTF-8");
        }
    }

    /** 1..255 characters, not only whitespace, no control characters, no '/'. */
    static String check(String id, String what) {
        if (id == null || id.isEmpty()) {
            throw ApiException.badRequest(what + " is required");
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
