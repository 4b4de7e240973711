package com.connectionkeeper.signature;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.TreeMap;

/**
 * Python 3's {@code json.loads} grammar (the C scanner): strict strings, NaN/Infinity/-Infinity literals, duplicate
 * keys last-wins, {@code \\uXXXX} surrogate pairs joined only when both halves are escapes.
 */
final class PythonJsonParser {
    /** Deepest nesting accepted; Python itself stops near 1000 with a RecursionError. */
    static final int MAX_DEPTH = 512;

    private final PyStr text;
    private final int end;
    private final CanonicalJson.Limits limits;
    private int pos;
    private int depth;
    private int values;
    private int floats;
    private int[] stringBuffer = new int[64];

    private PythonJsonParser(PyStr text, CanonicalJson.Limits limits) {
        this.text = text;
        this.end = text.length();
        this.limits = limits;
    }

    static PyValue parse(PyStr text, CanonicalJson.Limits limits) {
        PythonJsonParser parser = new PythonJsonParser(text, limits);
        parser.skipWhitespace();
        PyValue value = parser.value();
        parser.skipWhitespace();
        if (parser.pos != parser.end) {
            throw parser.error("Extra data", parser.pos);
        }
        return value;
    }

    private PyValue value() {
        if (pos >= end) {
            throw error("Expecting value", pos);
        }
        if (++values > limits.maxValues()) {
            throw new BoundsExceededException("more than " + limits.maxValues() + " values");
        }
        return switch (at(pos)) {
            case '"' -> string();
            case '{' -> object();
            case '[' -> array();
            case 'n' -> literal("null", PyValue.Atom.NULL);
            case 't' -> literal("true", PyValue.Atom.TRUE);
            case 'f' -> literal("false", PyValue.Atom.FALSE);
            case 'N' -> literal("NaN", PyValue.Atom.NAN);
            case 'I' -> literal("Infinity", PyValue.Atom.INFINITY);
            case '-' -> lookingAt("-Infinity") ? literal("-Infinity", PyValue.Atom.NEGATIVE_INFINITY) : number();
            default -> number();
        };
    }

    private PyValue object() {
        openNested();
        TreeMap<PyStr, PyValue> members = new TreeMap<>();
        skipWhitespace();
        if (pos < end && at(pos) == '}') {
            pos++;
        } else {
            while (true) {
                if (pos >= end || at(pos) != '"') {
                    throw error("Expecting property name enclosed in double quotes", pos);
                }
                PyStr key = string();
                skipWhitespace();
                expect(':', "Expecting ':' delimiter");
                skipWhitespace();
                members.put(key, value()); // a repeated key keeps its last value, as in a Python dict
                skipWhitespace();
                if (pos < end && at(pos) == '}') {
                    pos++;
                    break;
                }
                expect(',', "Expecting ',' delimiter");
                skipWhitespace();
            }
        }
        depth--;
        return new PyValue.Dict(members);
    }

    private PyValue array() {
        openNested();
        List<PyValue> items = new ArrayList<>();
        skipWhitespace();
        if (pos < end && at(pos) == ']') {
            pos++;
        } else {
            while (true) {
                items.add(value());
                skipWhitespace();
                if (pos < end && at(pos) == ']') {
                    pos++;
                    break;
                }
                expect(',', "Expecting ',' delimiter");
                skipWhitespace();
            }
        }
        depth--;
        return new PyValue.Array(items);
    }

    /** A string, from its opening quote at {@code pos}. */
    private PyStr string() {
        int start = pos++;
        int n = 0;
        while (true) {
            if (pos >= end) {
                throw error("Unterminated string starting", start);
            }
            int c = at(pos++);
            if (c == '"') {
                return new PyStr(Arrays.copyOf(stringBuffer, n), n);
            }
            if (c == '\\') {
                c = escape(start);
            } else if (c <= 0x1F) {
                throw error("Invalid control character", pos - 1);
            }
            if (n == stringBuffer.length) {
                stringBuffer = Arrays.copyOf(stringBuffer, n * 2);
            }
            stringBuffer[n++] = c;
        }
    }

    /** The code point of the escape whose backslash was just read. */
    private int escape(int stringStart) {
        if (pos >= end) {
            throw error("Unterminated string starting", stringStart);
        }
        int c = at(pos++);
        return switch (c) {
            case '"', '\\', '/' -> c;
            case 'b' -> '\b';
            case 'f' -> '\f';
            case 'n' -> '\n';
            case 'r' -> '\r';
            case 't' -> '\t';
            case 'u' -> unicodeEscape();
            default -> throw error("Invalid \\escape", pos - 2);
        };
    }

    /** After {@code \\u}: four hex digits, joined with a directly following {@code \\u} low surrogate. */
    private int unicodeEscape() {
        int c = hex4(pos);
        pos += 4;
        if (Character.isHighSurrogate((char) c) && pos + 6 <= end && at(pos) == '\\' && at(pos + 1) == 'u') {
            int low = hex4(pos + 2);
            if (Character.isLowSurrogate((char) low)) {
                pos += 6;
                return Character.toCodePoint((char) c, (char) low);
            }
        }
        return c;
    }

    private int hex4(int from) {
        if (from + 4 > end) {
            throw error("Invalid \\uXXXX escape", from - 1);
        }
        int value = 0;
        for (int i = from; i < from + 4; i++) {
            int c = at(i);
            int digit = c >= '0' && c <= '9' ? c - '0'
                    : c >= 'a' && c <= 'f' ? c - 'a' + 10
                    : c >= 'A' && c <= 'F' ? c - 'A' + 10
                    : -1;
            if (digit < 0) {
                throw error("Invalid \\uXXXX escape", from - 1);
            }
            value = value << 4 | digit;
        }
        return value;
    }

    /** A number as the C scanner matches it: {@code -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][-+]?[0-9]+)?}. */
    private PyValue number() {
        int start = pos;
        if (at(pos) == '-') {
            pos++;
        }
        if (pos < end && at(pos) == '0') {
            pos++;
        } else if (pos < end && at(pos) >= '1' && at(pos) <= '9') {
            skipDigits();
        } else {
            throw error("Expecting value", start);
        }
        boolean isFloat = false;
        if (pos + 1 < end && at(pos) == '.' && isDigit(at(pos + 1))) {
            pos++;
            skipDigits();
            isFloat = true;
        }
        if (pos < end && (at(pos) == 'e' || at(pos) == 'E')) {
            int exponent = pos++;
            if (pos < end && (at(pos) == '+' || at(pos) == '-')) {
                pos++;
            }
            int digits = pos;
            skipDigits();
            if (pos == digits) {
                pos = exponent; // not an exponent after all: the number ends before the 'e'
            } else {
                isFloat = true;
            }
        }
        if (pos - start > limits.maxNumberChars()) {
            throw new BoundsExceededException("a number longer than " + limits.maxNumberChars() + " characters");
        }
        if (isFloat && ++floats > limits.maxFloats()) {
            throw new BoundsExceededException("more than " + limits.maxFloats() + " floats");
        }
        String token = asciiText(start, pos);
        return new PyValue.Atom(isFloat ? PythonNumbers.floatJson(token) : PythonNumbers.intJson(token));
    }

    private PyValue literal(String word, PyValue.Atom value) {
        if (!lookingAt(word)) {
            throw error("Expecting value", pos);
        }
        pos += word.length();
        return value;
    }

    private boolean lookingAt(String word) {
        if (pos + word.length() > end) {
            return false;
        }
        for (int i = 0; i < word.length(); i++) {
            if (at(pos + i) != word.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    private void expect(char c, String message) {
        if (pos >= end || at(pos) != c) {
            throw error(message, pos);
        }
        pos++;
    }

    /** Steps over an opening bracket, one level deeper. */
    private void openNested() {
        if (++depth > limits.maxDepth()) {
            if (limits.maxDepth() < MAX_DEPTH) {
                throw new BoundsExceededException("nested deeper than " + limits.maxDepth() + " levels");
            }
            throw error("Nested deeper than " + MAX_DEPTH + " levels", pos);
        }
        pos++;
    }

    private void skipWhitespace() {
        while (pos < end) {
            int c = at(pos);
            if (c != ' ' && c != '\t' && c != '\n' && c != '\r') {
                return;
            }
            pos++;
        }
    }

    private void skipDigits() {
        while (pos < end && isDigit(at(pos))) {
            pos++;
        }
    }

    private static boolean isDigit(int c) {
        return c >= '0' && c <= '9';
    }

    private int at(int index) {
        return text.codePointAt(index);
    }

    private String asciiText(int from, int to) {
        char[] ascii = new char[to - from];
        for (int i = from; i < to; i++) {
            ascii[i - from] = (char) at(i);
        }
        return new String(ascii);
    }

    private MalformedJsonException error(String message, int index) {
        return new MalformedJsonException(message + " at char " + index);
    }
}
