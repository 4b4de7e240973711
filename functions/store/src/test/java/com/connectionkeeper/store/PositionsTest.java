package com.connectionkeeper.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Index positions: the JSON text kept in pass items, written and read with core's JSON text and reader. */
class PositionsTest {

    @Test
    void anyTextSurvivesARoundTrip() {
        String[] values = {"", "USER#u1", "a\"b\\c", "é中🙂", "tab\tnew\nline\u0000", "#%h#0123", null};
        assertEquals(Arrays.asList(values), Positions.decode(Positions.encode(values)));
    }

    /** The same text as jackson-databind wrote before (positions stored by an earlier release still decode). */
    @Test
    void writesTheTextDatabindWrote() {
        assertEquals("[\"BROKEN\",\"2026-01-01T00:00:00Z#u\\\"1\",\"tab\\t\"]",
                Positions.encode("BROKEN", "2026-01-01T00:00:00Z#u\"1", "tab\t"));
        assertEquals(List.of("a", "b"), Positions.decode("[\"a\",\"b\"]"));
    }

    @Test
    void anythingElseIsNotAPosition() {
        for (String bad : List.of("", "{}", "\"a\"", "[1]", "[\"a\",[\"b\"]]", "[\"a\"")) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Positions.decode(bad),
                    bad);
            assertEquals("not an index position: " + bad, e.getMessage());
        }
    }
}
