package com.connectionkeeper.webhook;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.io.InputStream;
import java.util.function.Predicate;

/**
 * The fields of an API Gateway HTTP API event (payload format 2.0) the webhook reads: body, isBase64Encoded, the
 * {@code signature} header and requestContext.requestId. Everything else in the event is skipped unread.
 */
record HttpApiEvent(String body, boolean isBase64Encoded, String signature, String requestId) {
    private static final String SIGNATURE = "signature";

    /** Reads an event from the stream Lambda's runtime hands the function. */
    static HttpApiEvent read(JsonFactory json, InputStream in) throws IOException {
        String body = null;
        boolean base64 = false;
        String signature = null;
        String requestId = null;
        try (JsonParser p = json.createParser(in)) {
            expect(p, p.nextToken(), JsonToken.START_OBJECT);
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                JsonToken value = p.nextToken();
                switch (field) {
                    case "body" -> body = text(p, value);
                    case "isBase64Encoded" -> base64 = value == JsonToken.VALUE_TRUE;
                    // API Gateway lower-cases header names, other callers may not
                    case "headers" -> signature = first(p, value, SIGNATURE::equalsIgnoreCase);
                    case "requestContext" -> requestId = first(p, value, "requestId"::equals);
                    default -> p.skipChildren();
                }
            }
        }
        return new HttpApiEvent(body, base64, signature, requestId);
    }

    /**
     * The text of the first field of an object whose name matches, the object read to its end; null if none, or if
     * the value is not an object.
     */
    private static String first(JsonParser p, JsonToken object, Predicate<String> name) throws IOException {
        if (object != JsonToken.START_OBJECT) {
            p.skipChildren();
            return null;
        }
        String found = null;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            boolean matches = found == null && name.test(p.currentName());
            String value = text(p, p.nextToken());
            found = matches ? value : found;
        }
        return found;
    }

    /** A string or scalar's text; null for JSON null, an object or an array (skipped). */
    private static String text(JsonParser p, JsonToken value) throws IOException {
        if (value.isScalarValue()) {
            return value == JsonToken.VALUE_NULL ? null : p.getText();
        }
        p.skipChildren();
        return null;
    }

    private static void expect(JsonParser p, JsonToken actual, JsonToken expected) throws JsonParseException {
        if (actual != expected) {
            throw new JsonParseException(p, "API Gateway event: expected " + expected + ", found " + actual);
        }
    }
}
