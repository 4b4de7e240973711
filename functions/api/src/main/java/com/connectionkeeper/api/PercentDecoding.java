package com.connectionkeeper.api;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * Strict percent-decoding of anonymous input (never {@link java.net.URLDecoder}, which throws
 * IllegalArgumentException on a stray '%' and silently replaces invalid UTF-8): a malformed escape or invalid UTF-8
 * is "not decodable", never an exception.
 */
final class PercentDecoding {
    private PercentDecoding() {
    }

    /**
     * A query component ({@code application/x-www-form-urlencoded}: '+' is a space); empty when an escape is
     * malformed (a '%' not followed by two hex digits) or the bytes are not valid UTF-8.
     */
    static Optional<String> queryComponent(String text) {
        if (text.indexOf('%') < 0 && text.indexOf('+') < 0) {
            return Optional.of(text);
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '%') {
                if (i + 2 >= text.length() || Character.digit(text.charAt(i + 1), 16) < 0
                        || Character.digit(text.charAt(i + 2), 16) < 0) {
                    return Optional.empty();
                }
                bytes.write(Character.digit(text.charAt(i + 1), 16) * 16 + Character.digit(text.charAt(i + 2), 16));
                i += 2;
            } else if (c == '+') {
                bytes.write(' ');
            } else if (c < 0x80) {
                bytes.write(c);
            } else {
                int end = Character.isHighSurrogate(c) && i + 1 < text.length()
                        && Character.isLowSurrogate(text.charAt(i + 1)) ? i + 2 : i + 1;
                if (end == i + 1 && Character.isSurrogate(c)) {
                    return Optional.empty();
                }
                byte[] utf8 = text.substring(i, end).getBytes(StandardCharsets.UTF_8);
                bytes.write(utf8, 0, utf8.length);
                i = end - 1;
            }
        }
        return utf8(bytes.toByteArray());
    }

    /** The bytes as UTF-8 text; empty when they are not valid UTF-8. */
    static Optional<String> utf8(byte[] bytes) {
        try {
            return Optional.of(StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes)).toString());
        } catch (CharacterCodingException e) {
            return Optional.empty();
        }
    }
}
