package com.connectionkeeper.core.json;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.io.StringWriter;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** JsonText writes what jackson-core's generator (with its defaults) writes: the text logs and history had before. */
class JsonTextTest {
    private static final JsonFactory JACKSON = new JsonFactory();

    @ParameterizedTest
    @ValueSource(strings = {"", "plain", "quote \" backslash \\ slash /", "\u0000\u0001\b\t\n\u000b\f\r\u001f\u007f",
        "é 😀 \u2028\u2029 \ud800 lone \udfff", "\"\"\\\\", "\u0010x\u001e"})
    void stringsAsJacksonWritesThem(String value) throws IOException {
        assertEquals(jackson(value), string(value));
    }

    @Property(tries = 2000)
    void anyStringAsJacksonWritesIt(@ForAll("anyChars") String value) throws IOException {
        assertEquals(jackson(value), string(value));
    }

    @Property(tries = 2000)
    void anyDoubleAsJacksonWritesIt(@ForAll("doubles") double value) throws IOException {
        StringWriter expected = new StringWriter();
        try (JsonGenerator g = JACKSON.createGenerator(expected)) {
            g.writeNumber(value);
        }
        StringBuilder out = new StringBuilder();
        JsonText.number(out, value);
        assertEquals(expected.toString(), out.toString());
    }

    @Provide
    Arbitrary<String> anyChars() {
        return Arbitraries.strings().withCharRange('\u0000', '\uffff').ofMaxLength(40)
                .edgeCases(c -> c.add("\u0000\"\\\u001f"));
    }

    @Provide
    Arbitrary<Double> doubles() {
        return Arbitraries.oneOf(Arbitraries.doubles(),
                Arbitraries.longs().map(Double::longBitsToDouble),
                Arbitraries.of(Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, -0.0, 1e6, 1e-7,
                        Double.MIN_VALUE, Double.MAX_VALUE, 1e23, 2e-3));
    }

    private static String string(String value) {
        StringBuilder out = new StringBuilder();
        JsonText.string(out, value);
        return out.toString();
    }

    private static String jackson(String value) throws IOException {
        StringWriter out = new StringWriter();
        try (JsonGenerator g = JACKSON.createGenerator(out)) {
            g.writeString(value);
        }
        return out.toString();
    }
}
