package com.connectionkeeper.core.webhook;

import com.connectionkeeper.core.domain.EventType;
import com.connectionkeeper.core.domain.Watermark;
import com.connectionkeeper.core.domain.WebhookEvent;
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
        String wireType = requiredText(payload, "eventType");
        Instant eventTime = eventTime(payload);
        String connectionId = optionalId(payload, "brokerageAuthorizationId");
        if (connectionId == null) {
            connectionId = optionalId(payload, "connectionId"); // OAuth apps (schemaVersion oauth_v1)
        }
        payload.remove("webhookSecret");
        return new WebhookEvent(webhookId, userId, EventType.fromWire(wireType), wireType, eventTime, connectionId,
                optionalText(payload, "brokerageId"), optionalText(payload, "connectionAttemptedResult"),
                payload.toString());
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
