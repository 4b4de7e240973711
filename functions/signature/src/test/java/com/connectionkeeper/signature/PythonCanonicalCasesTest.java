package com.connectionkeeper.signature;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.function.Function;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/** CanonicalJson against the table dev/tools/python_canonical_cases.py computed with the real Python 3.11. */
class PythonCanonicalCasesTest {
    private static final JsonNode TABLE = load();

    private static JsonNode load() {
        try (InputStream in = PythonCanonicalCasesTest.class.getResourceAsStream(
                "/signature/python-canonical-cases.json")) {
            return new ObjectMapper().readTree(in);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void tableIsComplete() {
        assertTrue(TABLE.get("textCases").size() >= 250, "text cases");
        assertTrue(TABLE.get("byteCases").size() >= 30, "byte cases");
        assertTrue(TABLE.get("floatCases").size() >= 5000, "float cases");
    }

    @TestFactory
    Stream<DynamicTest> textCasesMatchPython() {
        return cases("textCases", c -> c.get("input").textValue(), CanonicalJson::canonicalize);
    }

    @TestFactory
    Stream<DynamicTest> byteCasesMatchPython() {
        return cases("byteCases", c -> HexFormat.of().parseHex(c.get("inputHex").textValue()),
                CanonicalJson::canonicalize);
    }

    /** One test over thousands of doubles; it lists the first mismatches rather than stopping at one. */
    @Test
    void floatCasesMatchPython() {
        List<String> mismatches = new ArrayList<>();
        for (JsonNode c : TABLE.get("floatCases")) {
            String input = c.get(0).textValue();
            String expected = c.get(1).textValue();
            String actual = CanonicalJson.canonicalize(input);
            if (!expected.equals(actual)) {
                mismatches.add(input + " -> " + actual + ", Python: " + expected);
            }
        }
        assertEquals(List.of(), mismatches.subList(0, Math.min(20, mismatches.size())),
                mismatches.size() + " of " + TABLE.get("floatCases").size() + " floats differ");
    }

    private static <T> Stream<DynamicTest> cases(String section, Function<JsonNode, T> input,
                                                 Function<T, String> canonicalize) {
        return StreamSupport.stream(TABLE.get(section).spliterator(), false).map(c -> dynamicTest(
                c.get("name").textValue(), () -> {
                    T in = input.apply(c);
                    if (c.has("canonical")) {
                        assertEquals(c.get("canonical").textValue(), canonicalize.apply(in));
                    } else {
                        assertThrows(MalformedJsonException.class, () -> canonicalize.apply(in),
                                "Python raised " + c.get("error").textValue());
                    }
                }));
    }
}
