package com.connectionkeeper.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;

/**
 * One request the simulator received on the SnapTrade API.
 *
 * @param endpoint the operation, or null for an unknown path
 * @param method   the HTTP method
 * @param path     the raw path, including {@code /api/v1}
 * @param rawQuery the query string exactly as sent, or "" when none
 * @param body     the JSON body, or null when empty (or not JSON)
 * @param status   the status answered, or 0 when the call hung (timeout fault)
 * @param response the body answered ("" when none)
 * @param fault    the injected fault that shaped the answer, or null
 * @param received when it was answered (the simulator's clock)
 */
public record RecordedRequest(Endpoint endpoint, String method, String path, String rawQuery, JsonNode body,
                              int status, String response, Fault.Kind fault, Instant received) {

    /** The decoded value of query parameter {@code name}, or null. */
    public String queryParam(String name) {
        return QueryString.parse(rawQuery).get(name);
    }

    /** The text of a top-level body field, or null (e.g. {@code bodyField("reconnect")}). */
    public String bodyField(String name) {
        JsonNode value = body == null ? null : body.get(name);
        return value == null || value.isNull() ? null : value.asText();
    }
}
