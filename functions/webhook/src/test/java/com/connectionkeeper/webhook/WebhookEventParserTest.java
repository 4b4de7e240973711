package com.connectionkeeper.webhook;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.connectionkeeper.core.model.EventType;
import com.connectionkeeper.core.model.WebhookEvent;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class WebhookEventParserTest {
    private final WebhookEventParser parser = new WebhookEventParser(new ObjectMapper());

    private WebhookEvent parse(String json) {
        return parser.parse(json.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void readsTheFieldsAndDropsTheWebhookSecret() {
        WebhookEvent e = parse("""
                {"webhookId":"w","userId":"u","eventType":"CONNECTION_ADDED","brokerageId":"b",
                 "eventTimestamp":"2022-05-31T13:37:50.590720+02:00","brokerageAuthorizationId":"c",
                 "webhookSecret":"s3cr3t"}""");
        assertEquals("w", e.webhookId());
        assertEquals(EventType.CONNECTION_ADDED, e.type());
        assertEquals(Instant.parse("2022-05-31T11:37:50.590720Z"), e.eventTime());
        assertEquals("c", e.connectionId());
        assertEquals("b", e.brokerageId());
        assertFalse(e.recordedJson().contains("s3cr3t"));
    }

    @Test
    void oauthAppsNameTheConnectionConnectionId() {
        WebhookEvent e = parse("""
                {"webhookId":"w","userId":"u","eventType":"CONNECTION_BROKEN","schemaVersion":"oauth_v1",
                 "eventTimestamp":"2022-05-31T11:37:50Z","connectionId":"c9"}""");
        assertEquals("c9", e.connectionId());
    }

    @Test
    void unknownTypesAreKeptVerbatim() {
        WebhookEvent e = parse("""
                {"webhookId":"w","userId":"u","eventType":"BRAND_NEW","eventTimestamp":"2022-05-31T11:37:50Z"}""");
        assertEquals(EventType.UNKNOWN, e.type());
        assertEquals("BRAND_NEW", e.wireType());
        assertNull(e.connectionId());
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "{\"userId\":\"u\",\"eventType\":\"X\",\"eventTimestamp\":\"2022-05-31T11:37:50Z\"}",
        "{\"webhookId\":\"w\",\"eventType\":\"X\",\"eventTimestamp\":\"2022-05-31T11:37:50Z\"}",
        "{\"webhookId\":\"w\",\"userId\":\"u\",\"eventTimestamp\":\"2022-05-31T11:37:50Z\"}",
        "{\"webhookId\":\"w\",\"userId\":\"u\",\"eventType\":\"X\"}",
        "{\"webhookId\":\"w\",\"userId\":\"u\",\"eventType\":\"X\",\"eventTimestamp\":\"2022-05-31\"}",
        "{\"webhookId\":\"w\",\"userId\":\"u\",\"eventType\":\"X\",\"eventTimestamp\":\"+10000-05-31T11:37:50Z\"}",
        "{\"webhookId\":\" \",\"userId\":\"u\",\"eventType\":\"X\",\"eventTimestamp\":\"2022-05-31T11:37:50Z\"}",
        "[]", "\"text\"", "{", "",
    })
    void rejectsWhatCannotBePlaced(String json) {
        assertThrows(InvalidWebhookException.class, () -> parse(json));
    }
}
