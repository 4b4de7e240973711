package com.connectionkeeper.webhook;

import com.connectionkeeper.core.json.JsonReader;
import java.io.IOException;
import java.io.InputStream;
import java.util.function.Predicate;

/**
 * The fields of an API Gateway HTTP API event (payload format 2.0) the webhook reads: body, isBase64Encoded, the
 * {@code signature} header and requestContext.requestId. Everything else in the event is skipped unread.
 */
record HttpApiEvent(String body, boolean isBase64Encoded, String signature, String requestId) {
    private static final String SIGNATURE = "signature";

    /** Reads an event from the stream Lambda's runtime hands the function (which stays open: the runtime owns it). */
    static HttpApiEvent read(InputStream in) throws IOException {
        String body = null;
        boolean base64 = false;
        String signature = null;
        String requestId = null;
        JsonReader p = new JsonReader(in.readAllBytes());
        JsonReader.Token start = p.next();
        if (start != JsonReader.Token.START_OBJECT) {
            throw new JsonReader.MalformedJsonException("API Gateway event: expected an object, found " + start, 0);
        }
        while (p.next() == JsonReader.Token.NAME) {
            String field = p.text();
            JsonReader.Token value = p.next();
            switch (field) {
                case "body" -> body = text(p, value);
                case "isBase64Encoded" -> base64 = value == JsonReader.Token.TRUE;
                // API Gateway lower-cases header names, other callers may not
                case "headers" -> signature = first(p, value, SIGNATURE::equalsIgnoreCase);
                case "requestContext" -> requestId = first(p, value, "requestId"::equals);
                default -> p.skipChildren();
            }
        }
        return new HttpApiEvent(body, base64, signature, requestId);
    }

    /**
     * The text of the first field of an object whose name matches, the object read to its end; null if none, or if
     * the value is not an object.
     */
    private static String first(JsonReader p, JsonReader.Token object, Predicate<String> name) throws IOException {
        if (object != JsonReader.Token.START_OBJECT) {
            p.skipChildren();
            return null;
        }
        String found = null;
        while (p.next() == JsonReader.Token.NAME) {
            boolean matches = found == null && name.test(p.text());
            String value = text(p, p.next());
            found = matches ? value : found;
        }
        return found;
    }

    /** A string or scalar's text; null for JSON null, an object or an array (skipped). */
    private static String text(JsonReader p, JsonReader.Token value) throws IOException {
        if (value.isScalar()) {
            return value == JsonReader.Token.NULL ? null : p.text();
        }
        p.skipChildren();
        return null;
    }
}
