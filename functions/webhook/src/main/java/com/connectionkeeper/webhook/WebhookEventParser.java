package com.connectionkeeper.webhook;

import com.connectionkeeper.core.json.JsonReader;
import com.connectionkeeper.core.json.JsonText;
import com.connectionkeeper.core.model.EventType;
import com.connectionkeeper.core.model.Watermark;
import com.connectionkeeper.core.model.WebhookEvent;
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
     * numbers longer than they came ({@code 1e6} becomes {@code 1000000.0}, as Jackson wrote it), and a DynamoDB item holds at most
     * 400 KB: a payload over this is replaced by its identifying fields and its size.
     */
    static final int MAX_RECORDED_BYTES = 256 * 1024;

    /** A JSON {@code null} in the tree {@link #read} builds (a map value of Java null would read as absent). */
    private static final Object NULL = new Object();

    /** An integer as written: Jackson wrote integers back as the value they hold, which is the same text. */
    private record Int(String text) {
        String json() {
            return text.equals("-0") ? "0" : text; // no leading zeros to drop: only "-0" changes
        }
    }

    /** Parses an authentic body. */
    public WebhookEvent parse(byte[] body) {
        Object root;
        try {
            root = tree(body);
        } catch (JsonReader.MalformedJsonException e) {
            throw new InvalidWebhookException("body is not valid JSON");
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

    /** The first value in a text, as {@link #read} builds it (null for none), like Jackson's tree read. */
    static Object tree(byte[] json) throws JsonReader.MalformedJsonException {
        JsonReader p = new JsonReader(json);
        JsonReader.Token first = p.next();
        return first == null ? null : read(p, first); // whatever follows the first value is not read
    }

    /**
     * The value at the reader's current token, as maps (a repeated name keeps its first place and its last value),
     * lists, strings, integers as written, other numbers as doubles, booleans and {@link #NULL}: the values Jackson's
     * tree model held, so {@link #write} gives the text the tree model gave.
     */
    private static Object read(JsonReader p, JsonReader.Token token) throws JsonReader.MalformedJsonException {
        switch (token) {
            case START_OBJECT -> {
                Map<String, Object> object = new LinkedHashMap<>();
                while (p.next() == JsonReader.Token.NAME) {
                    String name = p.text();
                    object.put(name, read(p, p.next()));
                }
                return object;
            }
            case START_ARRAY -> {
                List<Object> array = new ArrayList<>();
                for (JsonReader.Token t = p.next(); t != JsonReader.Token.END_ARRAY; t = p.next()) {
                    array.add(read(p, t));
                }
                return array;
            }
            case STRING -> {
                return p.text();
            }
            case INT -> {
                return new Int(p.text());
            }
            case FLOAT -> {
                return p.doubleValue();
            }
            case TRUE -> {
                return Boolean.TRUE;
            }
            case FALSE -> {
                return Boolean.FALSE;
            }
            case NULL -> {
                return NULL;
            }
            default -> throw new IllegalStateException("unexpected token " + token);
        }
    }

    /** Appends the JSON text of a value {@link #read} built, as Jackson's generator wrote it. */
    private static void write(StringBuilder out, Object value) {
        if (value instanceof Map<?, ?> object) {
            out.append('{');
            boolean first = true;
            for (Map.Entry<?, ?> field : object.entrySet()) {
                if (!first) {
                    out.append(',');
                }
                first = false;
                JsonText.string(out, (String) field.getKey());
                out.append(':');
                write(out, field.getValue());
            }
            out.append('}');
        } else if (value instanceof List<?> array) {
            out.append('[');
            for (int i = 0; i < array.size(); i++) {
                if (i > 0) {
                    out.append(',');
                }
                write(out, array.get(i));
            }
            out.append(']');
        } else if (value instanceof String s) {
            JsonText.string(out, s);
        } else if (value instanceof Int i) {
            out.append(i.json());
        } else if (value instanceof Integer i) {
            JsonText.number(out, i.longValue());
        } else if (value instanceof Double d) {
            JsonText.number(out, d.doubleValue());
        } else if (value instanceof Boolean b) {
            out.append(b.booleanValue());
        } else {
            out.append("null");
        }
    }

    /** The JSON text of a value {@link #tree} built. */
    static String text(Object value) {
        StringBuilder out = new StringBuilder(256);
        write(out, value);
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
    private static String recorded(Map<String, Object> payload) {
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
