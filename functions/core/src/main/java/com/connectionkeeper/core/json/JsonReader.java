package com.connectionkeeper.core.json;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A pull reader over JSON in UTF-8 (the webhook's event and payload, the sweep's index positions), so those paths
 * load no JSON library on a cold start. It accepts exactly the texts jackson-core's streaming parser accepts (its
 * defaults plus {@code ALLOW_NON_NUMERIC_NUMBERS}: {@code NaN}, {@code Infinity}, {@code -Infinity},
 * {@code +Infinity}, {@code -INF}, {@code +INF}) and reads them the same way, up to the end of the first value (what
 * follows is not read):
 * <ul>
 *   <li>strings: control characters must be escaped; only the JSON escapes; strict UTF-8 (no overlong forms,
 *       encoded surrogates or code points past U+10FFFF); in values, {@code \}{@code u} escapes of surrogates stand
 *       alone, while in names they must form pairs;</li>
 *   <li>literals must not run into a letter or digit ({@code truex}); a number at the top level must be followed by
 *       white space or the end;</li>
 *   <li>numbers: no leading zeros, plus sign, bare or trailing decimal point; Jackson's limits of 1,000 digits per
 *       number, 50,000 UTF-8 bytes per name and 1,000 levels of nesting;</li>
 *   <li>a UTF-8 byte order mark is skipped. Jackson also sniffed UTF-16 and UTF-32 from zero bytes at the start;
 *       this reader takes UTF-8 only (RFC 8259 §8.1), so such a text is malformed here.</li>
 * </ul>
 * One reader per text; not thread-safe.
 */
public final class JsonReader {
    /** Deepest nesting of objects and arrays (Jackson's {@code StreamReadConstraints} default). */
    public static final int MAX_DEPTH = 1000;
    /** Most digits in a number: integer, fraction and exponent digits together (Jackson's default). */
    public static final int MAX_NUMBER_DIGITS = 1000;
    /** Longest member name in UTF-8 bytes, escapes counted as the characters they stand for (Jackson's default). */
    public static final int MAX_NAME_BYTES = 50_000;

    /** What {@link #next} read. */
    public enum Token {
        START_OBJECT, END_OBJECT, START_ARRAY, END_ARRAY, NAME, STRING, INT, FLOAT, TRUE, FALSE, NULL;

        public boolean isScalar() {
            return ordinal() >= STRING.ordinal();
        }
    }

    /** The text is not JSON this reader accepts, or is beyond one of its limits. */
    public static final class MalformedJsonException extends IOException {
        private static final long serialVersionUID = 1L;

        public MalformedJsonException(String message, int offset) {
            super(message + " (at byte " + offset + ")");
        }
    }

    private final byte[] in;
    private final int end;
    private int pos;
    /** Per open container: an object (true) or an array. */
    private boolean[] objects = new boolean[16];
    /** Per open container: whether it has a member already, so the next one must follow a comma. */
    private boolean[] filled = new boolean[16];
    private int depth;
    /** A name and its colon were read: the member's value comes next. */
    private boolean valueNext;
    /** The first value is read to its end. */
    private boolean done;
    private Token current;
    private String text;
    private final StringBuilder chars = new StringBuilder(64);

    public JsonReader(byte[] in) {
        this.in = in;
        this.end = in.length;
        // Jackson skips a UTF-8 byte order mark when there are at least 4 bytes to sniff
        if (end >= 4 && (in[0] & 0xFF) == 0xEF && (in[1] & 0xFF) == 0xBB && (in[2] & 0xFF) == 0xBF) {
            pos = 3;
        }
    }

    /** The next token; null when the text holds nothing but white space. */
    public Token next() throws MalformedJsonException {
        if (done) {
            throw new IllegalStateException("the first value has been read to its end");
        }
        if (valueNext) {
            valueNext = false;
            return current = value(nonBlank());
        }
        int c = skipWhitespace();
        if (depth == 0) {
            if (c < 0) {
                done = true;
                return current = null;
            }
            return current = value(c);
        }
        if (c < 0) {
            throw new MalformedJsonException("unexpected end of input", pos);
        }
        boolean object = objects[depth - 1];
        if (c == '}' || c == ']') {
            if ((c == '}') != object) {
                throw new MalformedJsonException("'" + (char) c + "' does not close the open "
                        + (object ? "object" : "array"), pos);
            }
            pos++;
            done = --depth == 0;
            return current = object ? Token.END_OBJECT : Token.END_ARRAY;
        }
        if (filled[depth - 1]) {
            if (c != ',') {
                throw new MalformedJsonException("expected ',' or the end of the " + (object ? "object" : "array"),
                        pos);
            }
            pos++;
            c = nonBlank();
        }
        filled[depth - 1] = true;
        if (!object) {
            return current = value(c);
        }
        if (c != '"') {
            throw new MalformedJsonException("expected a name in double quotes", pos);
        }
        pos++;
        text = string(true);
        if (nonBlank() != ':') {
            throw new MalformedJsonException("expected ':' after a name", pos);
        }
        pos++;
        valueNext = true;
        return current = Token.NAME;
    }

    /**
     * The text of the current token: a name, a string's value, a number as written ({@code NaN}, {@code -INF} …
     * included), {@code true}, {@code false} or {@code null}; null for the structural tokens.
     */
    public String text() {
        if (current == null) {
            return null;
        }
        return switch (current) {
            case NAME, STRING, INT, FLOAT -> text;
            case TRUE -> "true";
            case FALSE -> "false";
            case NULL -> "null";
            default -> null;
        };
    }

    /** The current {@link Token#FLOAT}'s value, as Jackson read it ({@link Double#parseDouble}). */
    public double doubleValue() {
        if (current != Token.FLOAT) {
            throw new IllegalStateException("not a float: " + current);
        }
        if (text.endsWith("INF")) {
            return text.charAt(0) == '-' ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
        }
        return Double.parseDouble(text); // also NaN, Infinity, +Infinity and -Infinity
    }

    /** After a start token, reads on to its matching end; otherwise does nothing. */
    public void skipChildren() throws MalformedJsonException {
        if (current != Token.START_OBJECT && current != Token.START_ARRAY) {
            return;
        }
        int level = depth - 1;
        while (depth > level) {
            next();
        }
    }

    private Token value(int c) throws MalformedJsonException {
        Token token = switch (c) {
            case '{' -> open(true);
            case '[' -> open(false);
            case '"' -> {
                pos++;
                text = string(false);
                yield Token.STRING;
            }
            case 't' -> literal("true", Token.TRUE);
            case 'f' -> literal("false", Token.FALSE);
            case 'n' -> literal("null", Token.NULL);
            case 'N' -> literal("NaN", Token.FLOAT);
            case 'I' -> literal("Infinity", Token.FLOAT);
            case '+' -> plus();
            default -> {
                if (c == '-' || (c >= '0' && c <= '9')) {
                    yield number();
                }
                throw new MalformedJsonException("expected a value", pos);
            }
        };
        if (depth == 0 && token.isScalar()) {
            done = true;
        }
        return token;
    }

    private Token open(boolean object) throws MalformedJsonException {
        if (depth == MAX_DEPTH) {
            throw new MalformedJsonException("nesting deeper than " + MAX_DEPTH + " levels", pos);
        }
        if (depth == objects.length) {
            objects = Arrays.copyOf(objects, depth * 2);
            filled = Arrays.copyOf(filled, depth * 2);
        }
        objects[depth] = object;
        filled[depth] = false;
        depth++;
        pos++;
        return object ? Token.START_OBJECT : Token.START_ARRAY;
    }

    private Token literal(String word, Token token) throws MalformedJsonException {
        for (int i = 0; i < word.length(); i++) {
            if (pos + i >= end || in[pos + i] != word.charAt(i)) {
                throw new MalformedJsonException("unrecognized token (expected '" + word + "')", pos);
            }
        }
        pos += word.length();
        endOfWord();
        text = word;
        return token;
    }

    /** A word must not run on into an identifier character (Jackson decodes the next character to tell). */
    private void endOfWord() throws MalformedJsonException {
        if (pos >= end) {
            return;
        }
        int c = in[pos] & 0xFF;
        if (c >= '0' && c != ']' && c != '}' && Character.isJavaIdentifierPart((char) characterAt(pos))) {
            throw new MalformedJsonException("unrecognized token: a word runs into '" + (char) c + "'", pos);
        }
    }

    /** {@code +} starts a value only as {@code +INF} or {@code +Infinity}: JSON numbers take no plus sign. */
    private Token plus() throws MalformedJsonException {
        int sign = pos++;
        if (pos >= end) {
            throw new MalformedJsonException("unexpected end of input after '+'", pos);
        }
        if (in[pos] == 'I') {
            return infinity(sign);
        }
        throw new MalformedJsonException("numbers take no plus sign", sign);
    }

    /** After a sign, at the {@code I}: {@code INF} or {@code Infinity}. */
    private Token infinity(int sign) throws MalformedJsonException {
        pos++;
        if (pos >= end) {
            throw new MalformedJsonException("unexpected end of input in a number", pos);
        }
        byte second = in[pos++];
        String rest = second == 'N' ? "F" : second == 'n' ? "finity" : null;
        if (rest == null) {
            throw new MalformedJsonException("expected a digit after the sign", pos - 1);
        }
        for (int i = 0; i < rest.length(); i++) {
            if (pos >= end || in[pos] != rest.charAt(i)) {
                throw new MalformedJsonException("unrecognized token (expected INF or Infinity)", pos);
            }
            pos++;
        }
        endOfWord();
        text = new String(in, sign, pos - sign, StandardCharsets.ISO_8859_1);
        return Token.FLOAT;
    }

    private Token number() throws MalformedJsonException {
        int start = pos;
        if (in[pos] == '-') {
            pos++;
            if (pos >= end) {
                throw new MalformedJsonException("unexpected end of input after '-'", pos);
            }
            if (in[pos] == 'I') {
                return infinity(start);
            }
            if (!digit(pos)) {
                throw new MalformedJsonException("expected a digit after the minus sign", pos);
            }
        }
        int digits = pos;
        if (in[pos] == '0') {
            pos++;
            if (digit(pos)) {
                throw new MalformedJsonException("leading zeroes are not allowed", pos);
            }
        } else {
            pos = digitsFrom(pos);
        }
        int length = pos - digits;
        boolean fraction = false;
        if (pos < end && in[pos] == '.') {
            fraction = true;
            int from = ++pos;
            pos = digitsFrom(pos);
            if (pos == from) {
                throw new MalformedJsonException("decimal point not followed by a digit", pos);
            }
            length += pos - from;
        }
        if (pos < end && (in[pos] | 0x20) == 'e') {
            fraction = true;
            pos++;
            if (pos < end && (in[pos] == '+' || in[pos] == '-')) {
                pos++;
            }
            int from = pos;
            pos = digitsFrom(pos);
            if (pos == from) {
                throw new MalformedJsonException("exponent not followed by a digit", pos);
            }
            length += pos - from;
        }
        if (depth == 0 && pos < end && !whitespace(in[pos])) {
            throw new MalformedJsonException("a number at the top level must be followed by white space", pos);
        }
        if (length > MAX_NUMBER_DIGITS) {
            throw new MalformedJsonException("number longer than " + MAX_NUMBER_DIGITS + " digits", start);
        }
        text = new String(in, start, pos - start, StandardCharsets.ISO_8859_1);
        return fraction ? Token.FLOAT : Token.INT;
    }

    private int digitsFrom(int i) {
        while (digit(i)) {
            i++;
        }
        return i;
    }

    private boolean digit(int i) {
        return i < end && in[i] >= '0' && in[i] <= '9';
    }

    /** A string's value, after its opening quote; the reader is left after the closing one. */
    private String string(boolean name) throws MalformedJsonException {
        int start = pos;
        while (pos < end) {
            byte b = in[pos];
            if (b < 0x20 || b == '"' || b == '\\') { // control, quote, escape, or (negative) non-ASCII
                break;
            }
            pos++;
        }
        if (pos < end && in[pos] == '"') { // plain ASCII: no decoding
            int bytes = pos - start;
            checkName(name, bytes, start);
            pos++;
            return new String(in, start, bytes, StandardCharsets.ISO_8859_1);
        }
        chars.setLength(0);
        for (int i = start; i < pos; i++) {
            chars.append((char) in[i]);
        }
        int bytes = pos - start; // the name's length as Jackson counts it: escapes as the UTF-8 of their character
        while (true) {
            if (pos >= end) {
                throw new MalformedJsonException("unexpected end of input in a string", pos);
            }
            int c = in[pos++] & 0xFF;
            if (c == '"') {
                break;
            }
            if (c == '\\') {
                char e = escape();
                chars.append(e);
                if (name && Character.isSurrogate(e)) {
                    chars.append(lowSurrogateEscape(e));
                    bytes += 4; // the pair's character, in UTF-8
                } else {
                    bytes += e < 0x80 ? 1 : e < 0x800 ? 2 : 3;
                }
            } else if (c < 0x20) {
                throw new MalformedJsonException("control character in a string must be escaped", pos - 1);
            } else if (c < 0x80) {
                chars.append((char) c);
                bytes++;
            } else {
                int from = pos - 1;
                int cp = decode(c);
                if (from + 4 == pos) { // four bytes: a pair of surrogates, as Jackson forms it
                    int offset = cp - 0x10000;
                    chars.append((char) (0xD800 | (offset >> 10))).append((char) (0xDC00 | (offset & 0x3FF)));
                } else {
                    chars.append((char) cp);
                }
                bytes += pos - from;
            }
        }
        checkName(name, bytes, start);
        return chars.toString();
    }

    private static void checkName(boolean name, int bytes, int start) throws MalformedJsonException {
        if (name && bytes > MAX_NAME_BYTES) {
            throw new MalformedJsonException("name longer than " + MAX_NAME_BYTES + " bytes", start);
        }
    }

    /**
     * In a name, an escaped surrogate must be the high half of a pair whose low half is escaped right after it (in
     * a string's value, halves stand alone, as Jackson left them).
     */
    private char lowSurrogateEscape(char high) throws MalformedJsonException {
        if (!Character.isHighSurrogate(high)) {
            throw new MalformedJsonException("unpaired low surrogate in a name", pos);
        }
        if (pos >= end || in[pos] != '\\') {
            throw new MalformedJsonException("broken surrogate pair in a name", pos);
        }
        pos++;
        char low = escape();
        if (!Character.isLowSurrogate(low)) {
            throw new MalformedJsonException("broken surrogate pair in a name", pos);
        }
        return low;
    }

    /** After a backslash: the character it stands for. */
    private char escape() throws MalformedJsonException {
        if (pos >= end) {
            throw new MalformedJsonException("unexpected end of input in an escape", pos);
        }
        byte c = in[pos++];
        switch (c) {
            case 'b':
                return '\b';
            case 't':
                return '\t';
            case 'n':
                return '\n';
            case 'f':
                return '\f';
            case 'r':
                return '\r';
            case '"', '/', '\\':
                return (char) c;
            case 'u':
                break;
            default:
                throw new MalformedJsonException("unrecognized escape", pos - 1);
        }
        int value = 0;
        for (int i = 0; i < 4; i++) {
            if (pos >= end) {
                throw new MalformedJsonException("unexpected end of input in an escape", pos);
            }
            int digit = Character.digit(in[pos] & 0xFF, 16);
            if (digit < 0 || in[pos] < 0) {
                throw new MalformedJsonException("expected a hex digit in a \\u escape", pos);
            }
            pos++;
            value = value << 4 | digit;
        }
        return (char) value;
    }

    /**
     * A multi-byte UTF-8 character whose first byte ({@code lead}) was just read; the reader moves past it. Strict,
     * as Jackson is in strings and names: no overlong forms, no encoded surrogates, nothing beyond U+10FFFF.
     */
    private int decode(int lead) throws MalformedJsonException {
        int start = pos - 1;
        int cp = utf8(start, true);
        pos = start + 1 + ((lead & 0xE0) == 0xC0 ? 1 : (lead & 0xF0) == 0xE0 ? 2 : 3);
        return cp;
    }

    /**
     * The character at {@code i}, decoded without moving on, for the end-of-word check only: loosely, as Jackson
     * decodes it there, so a word followed by, say, an overlong form is read as the word and not refused.
     */
    private int characterAt(int i) throws MalformedJsonException {
        int lead = in[i] & 0xFF;
        return lead < 0x80 ? lead : utf8(i, false);
    }

    /**
     * The multi-byte character starting at {@code at}: the lead byte gives the length, each continuation byte must
     * be {@code 10xxxxxx}; {@code strict} also refuses overlong forms, surrogates and code points past U+10FFFF.
     */
    private int utf8(int at, boolean strict) throws MalformedJsonException {
        int lead = in[at] & 0xFF;
        int more;
        int cp;
        if ((lead & 0xE0) == 0xC0) {
            more = 1;
            cp = lead & 0x1F;
        } else if ((lead & 0xF0) == 0xE0) {
            more = 2;
            cp = lead & 0x0F;
        } else if ((lead & 0xF8) == 0xF0) {
            more = 3;
            cp = lead & 0x07;
        } else {
            throw new MalformedJsonException("invalid UTF-8 start byte", at);
        }
        for (int k = 1; k <= more; k++) {
            if (at + k >= end) {
                throw new MalformedJsonException("unexpected end of input in a UTF-8 character", at + k);
            }
            int next = in[at + k] & 0xFF;
            if ((next & 0xC0) != 0x80) {
                throw new MalformedJsonException("invalid UTF-8 continuation byte", at + k);
            }
            cp = cp << 6 | (next & 0x3F);
        }
        if (strict) {
            int least = more == 1 ? 0x80 : more == 2 ? 0x800 : 0x10000;
            if (cp < least) {
                throw new MalformedJsonException("overlong UTF-8 form", at);
            }
            if (cp > Character.MAX_CODE_POINT || (cp >= Character.MIN_SURROGATE && cp <= Character.MAX_SURROGATE)) {
                throw new MalformedJsonException("UTF-8 form of a surrogate or of a code point beyond U+10FFFF", at);
            }
        }
        return cp;
    }

    /** The next character that is not white space, which must exist. */
    private int nonBlank() throws MalformedJsonException {
        int c = skipWhitespace();
        if (c < 0) {
            throw new MalformedJsonException("unexpected end of input", pos);
        }
        return c;
    }

    /** Skips JSON white space; the next byte (unread), or -1 at the end. */
    private int skipWhitespace() {
        while (pos < end) {
            byte b = in[pos];
            if (!whitespace(b)) {
                return b & 0xFF;
            }
            pos++;
        }
        return -1;
    }

    private static boolean whitespace(byte b) {
        return b == ' ' || b == '\n' || b == '\r' || b == '\t';
    }
}
