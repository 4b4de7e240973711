package com.connectionkeeper.webhook;

import com.connectionkeeper.core.model.EventType;
import com.connectionkeeper.core.model.Watermark;
import com.connectionkeeper.core.model.WebhookEvent;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

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

    /** A JSON {@code null} in the tree {@link #read} builds (a map value of Java null would read as absent). */
    private static final Object NULL = new Object();

    private final JsonFactory json;

    /** With Jackson's streaming API ({@link WebhookJson#FACTORY} in production); no data binding. */
    public WebhookEventParser(JsonFactory json) {
        this.json = json;
    }

    /** Parses an authentic body. */
    public WebhookEvent parse(byte[] body) {
        Object root;
        try (JsonParser p = json.createParser(body)) {
            JsonToken first = p.nextToken();
            root = first == null ? null : read(p, first); // like a tree read: the first value, whatever follows
        } catch (JsonProcessingException e) {
            throw new InvalidWebhookException("body is not valid JSON");
        } catch (IOException e) {
            throw new InvalidWebhookException("body could not be read");
        }
        if (!(root instanceof Map)) {
            throw new InvalidWebhookException("body must be a JSON object");
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> payload = (Map<String, Object>) root;
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

    /**
     * The value at the parser's current token, as maps (a repeated name keeps its first place and its last value),
     * lists, strings, numbers (integers as read, other numbers as doubles), booleans and {@link #NULL}: the values
     * Jackson's tree model would hold, so {@link #write} gives the text the tree model gave.
     */
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
                return p.getNumberValue(); // Integer, Long or BigInteger
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
            default -> throw new JsonParseException(p, "unexpected token " + token);
        }
    }

    /** JSON text of a value {@link #read} built. */
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

    private String text(Object value) {
        StringWriter out = new StringWriter(256);
        try (JsonGenerator g = json.createGenerator(out)) {
            write(g, value);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }

    private static String eventType(Map<String, Object> payload) {
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
    private String recorded(Map<String, Object> payload) {
        String text = text(payload);
        if (text.length() <= MAX_RECORDED_BYTES / 3) {
            return text; // at most 3 UTF-8 bytes per char
        }
        int bytes = text.getBytes(StandardCharsets.UTF_8).length;
        if (bytes <= MAX_RECORDED_BYTES) {
            return text;
        }
        Map<String, Object> summary = new LinkedHashMap<>();
        for (String field : new String[] {"webhookId", "clientId", "eventTimestamp", "userId", "eventType",
                "brokerageAuthorizationId", "connectionId", "brokerageId"}) {
            if (payload.get(field) instanceof String value) {
                summary.put(field, value);
            }
        }
        summary.put("payloadOmittedBytes", bytes);
        return text(summary);
    }

    private static Instant eventTime(Map<String, Object> payload) {
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

    private static String requiredText(Map<String, Object> payload, String field) {
        String value = optionalText(payload, field);
        if (value == null || value.isBlank()) {
            throw new InvalidWebhookException(field + " is required");
        }
        return value;
    }

    private static String optionalText(Map<String, Object> payload, String field) {
        Object value = payload.get(field);
        if (value == null || value == NULL) {
            return null;
        }
        if (!(value instanceof String text)) {
            throw new InvalidWebhookException(field + " must be a string");
        }
        return text;
    }

    private static String requiredId(Map<String, Object> payload, String field, int maxBytes) {
        String id = requiredText(payload, field);
        checkLength(field, id, maxBytes);
        return id;
    }

    private static String optionalId(Map<String, Object> payload, String field) {
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
