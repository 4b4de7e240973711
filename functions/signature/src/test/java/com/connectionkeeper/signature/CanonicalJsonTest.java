package com.connectionkeeper.signature;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** CanonicalJson examples worth reading, and the limits the Python table cannot show. */
class CanonicalJsonTest {

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
            "150.50 | 150.5", "1E16 | 1e+16", "100.0 | 100.0", "-0.0 | -0.0", "-0 | 0", "1e-7 | 1e-07",
            "0.0001 | 0.0001", "1e400 | Infinity", "-1e400 | -Infinity", "5e-324 | 5e-324",
            "123456789012345678901234567890 | 123456789012345678901234567890",
            "`{\"b\": 1, \"a\": {\"d\": [true, null], \"c\": \"/\"}}`"
                    + " | `{\"a\":{\"c\":\"/\",\"d\":[true,null]},\"b\":1}`",
            "`\"\u00e9\u007f\\u00C9\"` | `\"\\u00e9\\u007f\\u00c9\"`",
            "`{\"\uD83D\uDE00\": 1, \"\uFFFF\": 2}` | `{\"\\uffff\":2,\"\\ud83d\\ude00\":1}`",
    })
    void canonicalizes(String json, String canonical) {
        assertEquals(canonical, CanonicalJson.canonicalize(json));
        assertEquals(canonical, CanonicalJson.canonicalize(json.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void errorsAreShortAndNeverQuoteTheInput() {
        MalformedJsonException e = assertThrows(MalformedJsonException.class,
                () -> CanonicalJson.canonicalize("{\"webhookSecret\": \"s3cr3t-value\" \"x\"}"));
        assertEquals("Expecting ',' delimiter at char 33", e.getMessage());
        assertFalse(e.getMessage().contains("s3cr3t"));
        assertEquals(0, e.getStackTrace().length, "no stack trace is captured for a routine rejection");
    }

    /** Python 3.11 gives up near depth 1000 (RecursionError); a fixed, lower limit keeps the stack safe. */
    @Test
    void nestingIsLimited() {
        int limit = PythonJsonParser.MAX_DEPTH;
        String deepest = "[".repeat(limit) + "]".repeat(limit);
        assertEquals(deepest, CanonicalJson.canonicalize(deepest));
        assertThrows(MalformedJsonException.class,
                () -> CanonicalJson.canonicalize("[".repeat(limit + 1) + "]".repeat(limit + 1)));
        assertThrows(MalformedJsonException.class, () -> CanonicalJson.canonicalize("{\"a\":".repeat(100_000)));
    }

    @Test
    void aLargeBodyOfWorstCaseNumbersStaysCheap() {
        String body = "[" + "4.9406564584124654e-324,".repeat(10_000) + "0]";
        long started = System.nanoTime();
        String canonical = CanonicalJson.canonicalize(body);
        long millis = (System.nanoTime() - started) / 1_000_000;
        assertTrue(canonical.startsWith("[5e-324,5e-324,"), canonical.substring(0, 20));
        assertTrue(millis < 10_000, "took " + millis + " ms");
    }
}
