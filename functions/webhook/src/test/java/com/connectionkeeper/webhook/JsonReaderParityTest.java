package com.connectionkeeper.webhook;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.connectionkeeper.core.json.JsonReader;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.StringWriter;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The webhook reads JSON itself ({@link JsonReader}) where it used jackson-core's streaming parser, and must accept,
 * refuse and record exactly as that parser did. The reference here is the code the function ran before, unchanged:
 * Jackson (its defaults plus NaN and the infinities) reading the first value into maps and lists, and its generator
 * writing them back. Each text either fails in both, or gives the same recorded text in both.
 */
class JsonReaderParityTest {
    private static final JsonFactory JACKSON = JsonFactory.builder()
            .enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
            .disable(StreamReadFeature.AUTO_CLOSE_SOURCE)
            .build();
    private static final String MALFORMED = "<malformed>";
    private static final String NOTHING = "<nothing>";
    private static final Object NULL = new Object();

    @ParameterizedTest
    @ValueSource(strings = {
        "{}", "[]", "  {\"a\":1}  ", "{\"a\":1} trailing garbage {", "{\"a\":1,\"a\":[2],\"b\":3,\"a\":4}",
        "", "   ", "\t\r\n", "{", "}", "]", "[1,]", "{\"a\":1,}", "[,1]", "{,}", "{\"a\"}", "{\"a\" 1}", "{'a':1}",
        "{a:1}", "[1 2]", "[1,,2]", "[1]]", "{\"a\":1]", "[1}", "[\"a\" \"b\"]",
        "[0]", "[-0]", "[-0.0]", "[00]", "[01]", "[-01]", "[0.5]", "[.5]", "[-.5]", "[1.]", "[1.e5]", "[1e]", "[1e+]",
        "[1e-5]", "[1E+5]", "[1e5.5]", "[+1]", "[-]", "[--1]", "[0x10]", "[1_000]", "[1e400]", "[-1e400]", "[1e-400]",
        "[4.9e-324]", "[2147483647,2147483648,-2147483648,-2147483649]",
        "[9223372036854775807,9223372036854775808,-9223372036854775808,-9223372036854775809]",
        "[123456789012345678901234567890,-0.000]", "[1.0,100.000,1e6,0.1,1e23,2e-3,123456789.123456789]",
        "[NaN,Infinity,-Infinity,+Infinity,-INF,+INF]", "[nan]", "[NaNx]", "[INF]", "[+NaN]", "[-NaN]", "[Inf]",
        "[-Inf]", "[+Inf]", "[-INFINITY]", "[+]", "[+I]", "[-I]", "[Infinityx]", "[-INFx]", "[-Infinity1]",
        "[true,false,null]", "[tru]", "[truex]", "[true1]", "[true_]", "[true$]", "[true.]", "[true:]", "[nul]",
        "[nullé]", "[null€]", "[null\u00a0]", "[falsey]", "[True]", "[NULL]",
        "true", "truex", "true x", "null", "nullx", "123", "123x", "123 x", "123\tx", "1.5}", "-1", "-", "\"s\"",
        "\"s\" x", "\"s\"x", "NaN", "NaNx", "-INF", "+INF x", "[1] x", "01", "1.", "0 1",
        "[\"\\u0000\\u001f\\\"\\\\\\/\\b\\f\\n\\r\\t\"]", "[\"\\ud83d\\ude00\\ud800\\udfff x\\uDBFF\\uDFFF\"]",
        "[\"\\u12\"]", "[\"\\u12G4\"]", "[\"\\x41\"]", "[\"\\'\"]", "[\"\\ \"]", "[\"a\\\"]", "[\"\\", "[\"abc",
        "[\"tab\there\"]", "[\"nl\nhere\"]", "[\"del\u007fok\"]", "[\"é 😀 \u2028 ☃\"]",
        "{\"é\":1,\"\\u00e9\":2,\"😀\":3}", "{\"\\ud83d\\ude00\":1}", "{\"\\ud83d\":1}", "{\"\\udc00\":1}",
        "{\"\\ud83dA\":1}", "{\"\\ud83d\\u0041\":1}", "{\"\\ud83d\\ud83d\":1}", "{\"\\ud83d\\n\":1}", "{\"\\ud83d😀\":1}",
        "{\"\\ud83d", "{\"\\ud83d\\", "[\"\\ud83d\\udc00\", \"\\udc00\\ud83d\"]", "{\"\\n\":1,\"a\\u0000b\":2}", "{\"a\nb\":1}",
        "[1] ", "{\"a\":{\"b\":{\"c\":[[[[]]]]}}}", "{\"a\":[{},{\"b\":null}]}", "[[[[[[1]]]]]]",
        "\u00a0{}", "/* c */ {}", "# c\n{}", "{} // c", "{\"a\"://c\n1}", "\u000b{}", "\u000c{}", "\u0000{}",
    })
    void theSameAsJacksonOnTrickyTexts(String json) throws IOException {
        assertSame(json.getBytes(StandardCharsets.UTF_8));
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "5B 22 C3 A9 22 5D",           // é
        "5B 22 C3 22 5D",              // lead byte, then the quote
        "5B 22 C3 5C 6E 22 5D",        // lead byte, then an escape
        "5B 22 80 22 5D",              // lone continuation byte
        "5B 22 C0 80 22 5D", "5B 22 C1 BF 22 5D", "5B 22 C2 80 22 5D", // overlong, shortest 2-byte
        "5B 22 E0 9F BF 22 5D", "5B 22 E0 A0 80 22 5D",                // overlong, shortest 3-byte
        "5B 22 ED A0 80 22 5D", "5B 22 ED BF BF 22 5D", "5B 22 ED 9F BF 22 5D", "5B 22 EE 80 80 22 5D", // surrogates
        "5B 22 F0 8F BF BF 22 5D", "5B 22 F0 90 80 80 22 5D", "5B 22 F4 8F BF BF 22 5D", // 4-byte bounds
        "5B 22 F0 9F 98 80 22 5D",     // 😀
        "5B 22 F4 90 80 80 22 5D",     // beyond U+10FFFF
        "5B 22 F7 BF BF BF 22 5D",     // a 4-byte lead byte past F4
        "5B 22 F8 88 80 80 80 22 5D",  // 5-byte form
        "5B 22 FF 22 5D", "5B 22 E2 82 22 5D", "5B 22 E2 82",
        "7B 22 C3 A9 22 3A 31 7D", "7B 22 C3 22 3A 31 7D", "7B 22 ED A0 80 22 3A 31 7D", "7B 22 F0 9F 98 80 22 3A 31 7D",
        "7B 22 FF 22 3A 31 7D", "7B 22 61 C3 22 3A 31 7D",
        "5B 74 72 75 65 C3 A9 5D",     // truté
        "5B 74 72 75 65 E2 82 AC 5D",  // true€
        "5B 74 72 75 65 C2 A0 5D",     // true, no-break space
        // after a top-level word Jackson decodes the next character loosely (lead and continuation bytes only)
        "74 72 75 65 C0 A0", "4E 61 4E ED A0 80", "2B 49 4E 46 F7 BF BF BF", "74 72 75 65 ED BF BF",
        "49 6E 66 69 6E 69 74 79 C0 9F 78", "66 61 6C 73 65 C0 BF", "6E 75 6C 6C F4 90 80 80", "74 72 75 65 E0 80",
        "5B 74 72 75 65 FF 5D", "5B 74 72 75 65 C3",
        "EF BB BF 7B 7D", "EF BB BF 5B 31 5D", "EF BB BF", "EF BB BF 20", "EF BB 7B 7D", "C3 A9",
    })
    void theSameAsJacksonOnRawBytes(String hex) throws IOException {
        assertSame(bytes(hex));
    }

    /** Jackson read UTF-16 and UTF-32 too (sniffed from zero bytes or a byte order mark); the webhook reads UTF-8. */
    @ParameterizedTest
    @ValueSource(strings = {"00 7B 00 7D", "7B 00 7D 00", "FE FF 00 7B 00 7D", "FF FE 7B 00 7D 00",
        "00 00 00 7B 00 00 00 7D", "00 7B"})
    void takesUtf8Only(String hex) {
        assertEquals(MALFORMED, ours(bytes(hex)));
    }

    @Test
    void nestingUpToJacksonsLimit() throws IOException {
        for (int depth : new int[] {999, 1000, 1001}) {
            String arrays = "[".repeat(depth) + "]".repeat(depth);
            assertSame(arrays.getBytes(StandardCharsets.UTF_8));
            String objects = "{\"a\":".repeat(depth - 1) + "{}" + "}".repeat(depth - 1);
            assertSame(objects.getBytes(StandardCharsets.UTF_8));
        }
        assertEquals(MALFORMED, ours(("[".repeat(1001) + "]".repeat(1001)).getBytes(StandardCharsets.UTF_8)));
        assertTrue(ours(("[".repeat(1000) + "]".repeat(1000)).getBytes(StandardCharsets.UTF_8)).startsWith("[["));
    }

    @Test
    void numbersUpToJacksonsLimit() throws IOException {
        for (int digits : new int[] {999, 1000, 1001}) {
            String n = "9".repeat(digits);
            for (String number : new String[] {n, "-" + n, "0." + n.substring(1), n.substring(2) + ".5e7",
                "1." + n.substring(3) + "e-12", "-" + n.substring(1) + "e1", "1e" + n.substring(1)}) {
                assertSame(("[" + number + "]").getBytes(StandardCharsets.UTF_8));
                assertSame(("{\"n\":" + number + "}").getBytes(StandardCharsets.UTF_8));
            }
        }
        assertEquals(MALFORMED, ours(("[" + "1".repeat(1001) + "]").getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void namesUpToJacksonsLimit() throws IOException {
        for (int bytes : new int[] {49_999, 50_000, 50_001}) {
            assertSame(("{\"" + "a".repeat(bytes) + "\":1}").getBytes(StandardCharsets.UTF_8));
            // 2 UTF-8 bytes each, and escapes counted as the UTF-8 of what they stand for
            assertSame(("{\"" + "é".repeat(bytes / 2) + "x".repeat(bytes % 2) + "\":1}")
                    .getBytes(StandardCharsets.UTF_8));
            assertSame(("{\"" + "\\u00e9".repeat(bytes / 2) + "x".repeat(bytes % 2) + "\":1}")
                    .getBytes(StandardCharsets.UTF_8));
            assertSame(("{\"" + "\\ud83d\\ude00".repeat(bytes / 4) + "x".repeat(bytes % 4) + "\":1}")
                    .getBytes(StandardCharsets.UTF_8));
            assertSame(("{\"" + "\\u2603".repeat(bytes / 3) + "x".repeat(bytes % 3) + "\":1}")
                    .getBytes(StandardCharsets.UTF_8));
            assertSame(("{\"" + "😀".repeat(bytes / 4) + "x".repeat(bytes % 4) + "\":1}")
                    .getBytes(StandardCharsets.UTF_8));
        }
        assertEquals(MALFORMED, ours(("{\"" + "a".repeat(50_001) + "\":1}").getBytes(StandardCharsets.UTF_8)));
    }

    @Property(tries = 3000)
    void theSameAsJacksonOnGeneratedJson(@ForAll("documents") String json) throws IOException {
        assertSame(json.getBytes(StandardCharsets.UTF_8));
    }

    @Property(tries = 5000)
    void theSameAsJacksonOnDamagedJson(@ForAll("damaged") byte[] json) throws IOException {
        assertSame(json);
    }

    /** The event reader keeps its fields as the Jackson version read them: first matching header, scalars' text. */
    @Property(tries = 1000)
    void eventsReadAsJacksonReadThem(@ForAll("events") String event) throws IOException {
        byte[] bytes = event.getBytes(StandardCharsets.UTF_8);
        String expected;
        try {
            expected = jacksonEvent(bytes);
        } catch (JsonProcessingException e) {
            expected = MALFORMED;
        }
        String actual;
        try {
            actual = HttpApiEvent.read(new ByteArrayInputStream(bytes)).toString();
        } catch (JsonReader.MalformedJsonException e) {
            actual = MALFORMED;
        }
        assertEquals(expected, actual, event);
    }

    // ---- generators

    @Provide
    Arbitrary<String> documents() {
        return Combinators.combine(Arbitraries.of("", " ", "\n\t"), value(4)).as((space, v) -> space + v);
    }

    @Provide
    Arbitrary<byte[]> damaged() {
        Arbitrary<byte[]> text = value(3).map(s -> s.getBytes(StandardCharsets.UTF_8));
        Arbitrary<Integer> noise = Arbitraries.oneOf(
                Arbitraries.of((int) '"', (int) '\\', (int) ',', (int) ':', (int) '{', (int) '}', (int) '[',
                        (int) ']', (int) ' ', (int) '\t', 0x00, 0x1F, 0x7F, (int) 'x', (int) '0', (int) '1',
                        (int) '.', (int) 'e', (int) '+', (int) '-', (int) 'I', (int) 'N', (int) 'n', (int) 'u',
                        0xC3, 0xA9, 0xED, 0xA0, 0xF0, 0x9F, 0x80, 0xFF, 0xFE, 0xEF, 0xBB, 0xBF),
                Arbitraries.integers().between(0, 255));
        Arbitrary<int[]> edit = Combinators.combine(Arbitraries.integers().between(0, 2),
                Arbitraries.integers().between(0, 10_000), noise).as((kind, at, b) -> new int[] {kind, at, b});
        return Combinators.combine(text, edit.list().ofMinSize(1).ofMaxSize(3)).as((bytes, edits) -> {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            byte[] current = bytes;
            for (int[] e : edits) {
                out.reset();
                int at = current.length == 0 ? 0 : e[1] % (current.length + 1);
                out.write(current, 0, at);
                if (e[0] != 2) {
                    out.write(e[2]); // 0: insert, 1: replace
                }
                int skip = e[0] == 0 ? 0 : 1;
                if (at + skip <= current.length) {
                    out.write(current, at + skip, current.length - at - skip);
                }
                current = out.toByteArray();
            }
            return current;
        }).filter(b -> !sniffedAsUtf16Or32(b));
    }

    @Provide
    Arbitrary<String> events() {
        Arbitrary<String> scalar = Arbitraries.oneOf(string(), Arbitraries.of("1", "-2.50", "1e3", "true",
                "false", "null", "NaN", "-INF", "{}", "[1,{\"a\":2}]", "{\"requestId\":\"nested\"}"));
        Arbitrary<String> headerName = Arbitraries.of("signature", "Signature", "SIGNATURE", "content-type", "x");
        Arbitrary<String> headers = Combinators.combine(headerName, scalar).as((n, v) -> "\"" + n + "\":" + v)
                .list().ofMaxSize(4).map(l -> "{" + String.join(",", l) + "}");
        Arbitrary<String> context = Combinators.combine(Arbitraries.of("requestId", "requestid", "other"), scalar)
                .as((n, v) -> "\"" + n + "\":" + v).list().ofMaxSize(3).map(l -> "{" + String.join(",", l) + "}");
        Arbitrary<String> field = Arbitraries.oneOf(
                scalar.map(v -> "\"body\":" + v),
                scalar.map(v -> "\"isBase64Encoded\":" + v),
                Arbitraries.oneOf(headers, scalar).map(v -> "\"headers\":" + v),
                Arbitraries.oneOf(context, scalar).map(v -> "\"requestContext\":" + v),
                scalar.map(v -> "\"version\":" + v));
        return field.list().ofMaxSize(6).map(l -> "{" + String.join(",", l) + "}");
    }

    private static Arbitrary<String> value(int depth) {
        Arbitrary<String> scalar = Arbitraries.oneOf(number(), string(),
                Arbitraries.of("true", "false", "null", "NaN", "Infinity", "-Infinity", "+Infinity", "-INF", "+INF"));
        if (depth == 0) {
            return scalar;
        }
        Arbitrary<String> space = Arbitraries.of("", "", " ", "\n", "\t ", "\r\n");
        Arbitrary<String> member = Combinators.combine(Arbitraries.oneOf(string(), Arbitraries.of("\"a\"", "\"b\"")),
                space, value(depth - 1)).as((k, s, v) -> k + s + ":" + s + v);
        Arbitrary<String> object = Combinators.combine(member.list().ofMaxSize(4), space)
                .as((m, s) -> "{" + s + String.join("," + s, m) + s + "}");
        Arbitrary<String> array = Combinators.combine(value(depth - 1).list().ofMaxSize(4), space)
                .as((m, s) -> "[" + s + String.join("," + s, m) + s + "]");
        return Arbitraries.oneOf(scalar, object, array);
    }

    private static Arbitrary<String> number() {
        Arbitrary<String> digits = Arbitraries.strings().numeric().ofMinLength(1).ofMaxLength(25)
                .map(s -> s.length() > 1 && s.charAt(0) == '0' ? s.substring(1) : s);
        Arbitrary<String> made = Combinators.combine(Arbitraries.of("", "-"), digits,
                Arbitraries.of("", "", ".5", ".000", ".25", "." + "1234567890123456789"),
                Arbitraries.of("", "", "e6", "E+2", "e-7", "e400", "E-400", "e0")).as((s, d, f, e) -> s + d + f + e);
        return Arbitraries.oneOf(made, Arbitraries.of("0", "-0", "-0.0", "1e6", "4.9e-324", "2147483648",
                "-9223372036854775809", "9223372036854775807", "1e23", "0.1", "100.000"));
    }

    private static Arbitrary<String> string() {
        Arbitrary<String> piece = Arbitraries.oneOf(
                Arbitraries.strings().withCharRange('a', 'z').ofMaxLength(6),
                Arbitraries.of("\\\"", "\\\\", "\\/", "\\b", "\\f", "\\n", "\\r", "\\t", "\\u0000", "\\u001F",
                        "\\u00e9", "\\ud83d\\ude00", "\\ud800", "\\uDFFF", "\\u2028", "é", "😀", "\u2028", "☃", " ",
                        "\u007f"));
        return piece.list().ofMaxSize(5).map(l -> "\"" + String.join("", l) + "\"");
    }

    // ---- the two sides

    private static void assertSame(byte[] json) throws IOException {
        assertEquals(jackson(json), ours(json), () -> new String(json, StandardCharsets.UTF_8));
    }

    private static String ours(byte[] json) {
        try {
            Object tree = WebhookEventParser.tree(json);
            return tree == null ? NOTHING : WebhookEventParser.text(tree);
        } catch (JsonReader.MalformedJsonException e) {
            return MALFORMED;
        }
    }

    /** What the function did before: Jackson's streaming parser, its first value as maps and lists, written back. */
    private static String jackson(byte[] json) throws IOException {
        Object root;
        try (JsonParser p = JACKSON.createParser(json)) {
            JsonToken first = p.nextToken();
            if (first == null) {
                return NOTHING;
            }
            root = read(p, first);
        } catch (JsonProcessingException e) {
            return MALFORMED;
        }
        StringWriter out = new StringWriter();
        try (JsonGenerator g = JACKSON.createGenerator(out)) {
            write(g, root);
        }
        return out.toString();
    }

    private static Object read(JsonParser p, JsonToken token) throws IOException {
        switch (token) {
            case START_OBJECT -> {
                Map<String, Object> object = new LinkedHashMap<>();
                while (p.nextToken() == JsonToken.FIELD_NAME) {
                    String name = p.currentName();
                    object.put(name, read(p, p.nextToken()));
                }
                return object;
            }
            case START_ARRAY -> {
                List<Object> array = new ArrayList<>();
                for (JsonToken t = p.nextToken(); t != JsonToken.END_ARRAY; t = p.nextToken()) {
                    array.add(read(p, t));
                }
                return array;
            }
            case VALUE_STRING -> {
                return p.getText();
            }
            case VALUE_NUMBER_INT -> {
                return p.getNumberValue();
            }
            case VALUE_NUMBER_FLOAT -> {
                return p.getDoubleValue();
            }
            case VALUE_TRUE -> {
                return Boolean.TRUE;
            }
            case VALUE_FALSE -> {
                return Boolean.FALSE;
            }
            case VALUE_NULL -> {
                return NULL;
            }
            default -> throw new IllegalStateException("unexpected token " + token);
        }
    }

    private static void write(JsonGenerator g, Object value) throws IOException {
        if (value instanceof Map<?, ?> object) {
            g.writeStartObject();
            for (Map.Entry<?, ?> field : object.entrySet()) {
                g.writeFieldName((String) field.getKey());
                write(g, field.getValue());
            }
            g.writeEndObject();
        } else if (value instanceof List<?> array) {
            g.writeStartArray();
            for (Object element : array) {
                write(g, element);
            }
            g.writeEndArray();
        } else if (value instanceof String s) {
            g.writeString(s);
        } else if (value instanceof Integer i) {
            g.writeNumber(i.intValue());
        } else if (value instanceof Long l) {
            g.writeNumber(l.longValue());
        } else if (value instanceof BigInteger b) {
            g.writeNumber(b);
        } else if (value instanceof Double d) {
            g.writeNumber(d.doubleValue());
        } else if (value instanceof Boolean b) {
            g.writeBoolean(b);
        } else {
            g.writeNull();
        }
    }

    /** The event fields as the Jackson version of {@link HttpApiEvent#read} read them. */
    private static String jacksonEvent(byte[] json) throws IOException {
        String body = null;
        boolean base64 = false;
        String signature = null;
        String requestId = null;
        try (JsonParser p = JACKSON.createParser(json)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw new JsonProcessingException("expected an object") { };
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                JsonToken value = p.nextToken();
                switch (field) {
                    case "body" -> body = text(p, value);
                    case "isBase64Encoded" -> base64 = value == JsonToken.VALUE_TRUE;
                    case "headers" -> signature = first(p, value, "signature"::equalsIgnoreCase);
                    case "requestContext" -> requestId = first(p, value, "requestId"::equals);
                    default -> p.skipChildren();
                }
            }
        }
        return new HttpApiEvent(body, base64, signature, requestId).toString();
    }

    private static String first(JsonParser p, JsonToken object, Predicate<String> name) throws IOException {
        if (object != JsonToken.START_OBJECT) {
            p.skipChildren();
            return null;
        }
        String found = null;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            boolean matches = found == null && name.test(p.currentName());
            String value = text(p, p.nextToken());
            found = matches ? value : found;
        }
        return found;
    }

    private static String text(JsonParser p, JsonToken value) throws IOException {
        if (value.isScalarValue()) {
            return value == JsonToken.VALUE_NULL ? null : p.getText();
        }
        p.skipChildren();
        return null;
    }

    /** Texts Jackson decoded as UTF-16 or UTF-32: a zero byte among the first two, or a UTF-16/32 byte order mark. */
    private static boolean sniffedAsUtf16Or32(byte[] b) {
        if (b.length >= 2 && (b[0] == 0 || b[1] == 0)) {
            return true;
        }
        return b.length >= 4 && ((b[0] & 0xFF) == 0xFE && (b[1] & 0xFF) == 0xFF
                || (b[0] & 0xFF) == 0xFF && (b[1] & 0xFF) == 0xFE);
    }

    private static byte[] bytes(String hex) {
        String[] parts = hex.trim().split("\\s+");
        byte[] out = new byte[parts.length];
        for (int i = 0; i < parts.length; i++) {
            out[i] = (byte) Integer.parseInt(parts[i], 16);
        }
        return out;
    }
}
