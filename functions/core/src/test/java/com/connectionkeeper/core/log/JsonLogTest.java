package com.connectionkeeper.core.log;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

class JsonLogTest {
    @Test
    void oneJsonObjectPerLineWithTypedFieldsAndNoNulls() throws Exception {
        String line = JsonLog.line("INFO", "webhook_handled", "userId", "u\n\"x\"", "ms", 12L, "ok", true,
                "connectionId", null);
        assertFalse(line.contains("\n"), "one line, even with a newline in a value");
        JsonNode json = new ObjectMapper().readTree(line);
        assertEquals("webhook_handled", json.get("event").asText());
        assertEquals("INFO", json.get("level").asText());
        assertEquals("u\n\"x\"", json.get("userId").asText());
        assertEquals(12, json.get("ms").asInt());
        assertEquals(true, json.get("ok").asBoolean());
        assertFalse(json.has("connectionId"));
    }

    @Test
    void keyValuesMustPair() {
        assertThrows(IllegalArgumentException.class, () -> JsonLog.line("INFO", "e", "lonely"));
    }
}
