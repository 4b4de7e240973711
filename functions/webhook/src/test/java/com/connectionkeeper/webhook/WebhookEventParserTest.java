package com.connectionkeeper.webhook;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.connectionkeeper.core.model.EventType;
import com.connectionkeeper.core.model.WebhookEvent;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class WebhookEventParserTest {
    private final WebhookEventParser parser = new WebhookEventParser();

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

    /**
     * The history keeps the payload as Jackson's tree model wrote it before the parser moved to the streaming API:
     * the same text for numbers of every kind, NaN and infinities, repeated names, escapes and nesting.
     */
    @ParameterizedTest
    @ValueSource(strings = {
        "{\"a\":1e6,\"b\":-0.0,\"c\":0.1,\"d\":1E400,\"e\":123456789012345678901234567890,\"f\":-9223372036854775808,"
                + "\"g\":2147483648,\"h\":-0,\"i\":1.5e-7,\"j\":NaN,\"k\":-Infinity,\"l\":Infinity,\"m\":100.000}",
        "{\"x\":1,\"y\":[true,false,null,{},[]],\"x\":{\"z\":\"\\u0000\\u001f\\\"\\\\/\\u2028\\ud800 é 😀\"}}",
        "{\"n\":{\"o\":{\"p\":[[[1,[2,[3.25]]]]]}},\"webhookSecret\":\"s\",\"q\":null} trailing",
    })
    void recordsThePayloadAsJacksonsTreeModelWroteIt(String extra) throws Exception {
        String body = "{\"webhookId\":\"w\",\"userId\":\"u\",\"eventType\":\"X\",\"eventTimestamp\":\"2022-05-31T11:37:50Z\","
                + "\"extra\":" + extra.replace(" trailing", "") + "}" + (extra.endsWith(" trailing") ? " trailing" : "");
        ObjectMapper tree = JsonMapper.builder().enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS).build();
        ObjectNode expected = (ObjectNode) tree.readTree(body.getBytes(StandardCharsets.UTF_8));
        expected.remove("webhookSecret");

        WebhookEvent e = new WebhookEventParser().parse(body.getBytes(StandardCharsets.UTF_8));

        assertEquals(expected.toString(), e.recordedJson());
    }
}
