package com.connectionkeeper.webhook;

import com.connectionkeeper.core.model.EventType;
import com.connectionkeeper.core.model.Watermark;
import com.connectionkeeper.core.model.WebhookEvent;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;

/**
 * Reads a SnapTrade webhook payload into a {@link WebhookEvent}. Every field is optional at SnapTrade, but we need
 * webhookId, userId, eventType and eventTimestamp to place the event; ids must fit DynamoDB's key limits.
 */
public final class WebhookEventParser {
    /** Longest user id we accept, in UTF-8 bytes (the partition key allows 2048). */
    static final int MAX_USER_ID_BYTES = 1024;
    /** Longest connection or webhook id, in UTF-8 bytes (both go into a sort key, which allows 1024). */
    static final int MAX_ID_BYTES = 256;
    /**
     * Longest event type: SnapTrade's types are UPPER_SNAKE_CASE words (the longest today has 35 characters). The
     * type goes into the history item's sort key; unknown types that match are accepted and recorded as ignored.
     */
    static final int MAX_EVENT_TYPE_CHARS = 128;
    /**
     * Largest payload kept in a history item, in UTF-8 bytes. The body is at most 256 KB, but Jackson writes some
     * numbers longer than they came ({@code 1e6} becomes {@code 1000000.0}), and a DynamoDB item holds at most
     * 400 KB: a payload over this is replaced by its identifying fields and its size.
     */
    static final int MAX_RECORDED_BYTES = 256 * 1024;

    private final ObjectMapper json;

    public WebhookEventParser(ObjectMapper json) {
        this.json = json;
    }

    /** Parses an authentic body. */
    public WebhookEvent parse(byte[] body) {
        JsonNode root;
        try {
            root = json.readTree(body);
        } catch (JsonProcessingException e) {
            throw new InvalidWebhookException("body is not valid JSON");
        } catch (java.io.IOException e) {
            throw new InvalidWebhookException("body could not be read");
        }
        if (root == null || !root.isObject()) {
            throw new InvalidWebhookException("body must be a JSON object");
        }
        ObjectNode payload = (ObjectNode) root;
        String webhookId = requiredId(payload, "webhookId", MAX_ID_BYTES);
        String userId = requiredId(payload, "userId", MAX_USER_ID_BYTES);
        String wireType = eventType(payload);
        Instant eventTime = eventTime(payload);
        String connectionId = optionalId(payload, "brokerageAuthorizationId");
        if (connectionId == null) {
            connectionId = optionalId(payload, "connectionId"); // OAuth apps (schemaVersion oauth_v1)
        }
        payload.remove("webhookSecret");
        return new WebhookEvent(webhookId, userId, EventType.fromWire(wireType), wireType, eventTime, connectionId,
                optionalText(payload, "brokerageId"), optionalText(payload, "connectionAttemptedResult"),
                recorded(payload));
    }

    private static String eventType(ObjectNode payload) {
        String type = requiredText(payload, "eventType");
        if (type.length() > MAX_EVENT_TYPE_CHARS) {
            throw new InvalidWebhookException("eventType is longer than " + MAX_EVENT_TYPE_CHARS + " characters");
        }
        for (int i = 0; i < type.length(); i++) {
            char c = type.charAt(i);
            if (c <= ' ' || c > '~') {
                // printable ASCII only: a new type SnapTrade may send (say "ACCOUNT.UPDATED") is still recorded,
                // while nothing an authentic type cannot hold (spaces, controls, non-ASCII) reaches keys or logs
                throw new InvalidWebhookException("eventType may contain only printable ASCII without spaces");
            }
        }
        return type;
    }

    /** The payload for history: as received (webhookSecret removed), or, when too large, what identifies it. */
    private String recorded(ObjectNode payload) {
        String text = payload.toString();
        if (text.length() <= MAX_RECORDED_BYTES / 3) {
            return text; // at most 3 UTF-8 bytes per char
        }
        int bytes = text.getBytes(StandardCharsets.UTF_8).length;
        if (bytes <= MAX_RECORDED_BYTES) {
            return text;
        }
        ObjectNode summary = json.createObjectNode();
        for (String field : new String[] {"webhookId", "clientId", "eventTimestamp", "userId", "eventType",
                "brokerageAuthorizationId", "connectionId", "brokerageId"}) {
            JsonNode value = payload.get(field);
            if (value != null && value.isTextual()) {
                summary.set(field, value);
            }
        }
        summary.put("payloadOmittedBytes", bytes);
        return summary.toString();
    }

    private static Instant eventTime(ObjectNode payload) {
        String text = requiredText(payload, "eventTimestamp");
        Instant t;
        try {
            t = OffsetDateTime.parse(text).toInstant();
        } catch (DateTimeParseException e) {
            throw new InvalidWebhookException("eventTimestamp must be an ISO-8601 date-time with offset");
        }
        if (t.isBefore(Watermark.MIN_TIME) || t.isAfter(Watermark.MAX_TIME)) {
            throw new InvalidWebhookException("eventTimestamp out of range");
        }
        return t;
    }

    private static String requiredText(ObjectNode payload, String field) {
        String value = optionalText(payload, field);
        if (value == null || value.isBlank()) {
            throw new InvalidWebhookException(field + " is required");
        }
        return value;
    }

    private static String optionalText(ObjectNode payload, String field) {
        JsonNode node = payload.get(field);
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isTextual()) {
            throw new InvalidWebhookException(field + " must be a string");
        }
        return node.textValue();
    }

    private static String requiredId(ObjectNode payload, String field, int maxBytes) {
        String id = requiredText(payload, field);
        checkLength(field, id, maxBytes);
        return id;
    }

    private static String optionalId(ObjectNode payload, String field) {
        String id = optionalText(payload, field);
        if (id == null || id.isEmpty()) {
            return null;
        }
        checkLength(field, id, MAX_ID_BYTES);
        return id;
    }

    private static void checkLength(String field, String id, int maxBytes) {
        if (id.getBytes(StandardCharsets.UTF_8).length > maxBytes) {
            throw new InvalidWebhookException(field + " is longer than " + maxBytes + " bytes");
        }
    }
}
