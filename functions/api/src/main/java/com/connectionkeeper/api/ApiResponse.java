package com.connectionkeeper.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.LinkedHashMap;
import java.util.Map;

/** An HTTP answer: status, headers, body (JSON for the API routes, HTML or a redirect for the return landing). */
public record ApiResponse(int status, Map<String, String> headers, String body) {
    private static final String JSON = "application/json";

    static ApiResponse json(int status, Object body) {
        try {
            return new ApiResponse(status, Map.of("content-type", JSON), Json.MAPPER.writeValueAsString(body));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write response", e);
        }
    }

    /** {@code {"error": message}}, with extra headers (e.g. Retry-After). */
    static ApiResponse error(int status, String message, Map<String, String> extraHeaders) {
        ObjectNode body = Json.MAPPER.createObjectNode().put("error", message);
        Map<String, String> headers = new LinkedHashMap<>(extraHeaders);
        headers.put("content-type", JSON);
        return new ApiResponse(status, headers, body.toString());
    }

    static ApiResponse html(int status, String html) {
        return new ApiResponse(status, Map.of("content-type", "text/html; charset=utf-8",
                "cache-control", "no-store"), html);
    }

    static ApiResponse redirect(String location) {
        return new ApiResponse(302, Map.of("location", location, "cache-control", "no-store"), "");
    }
}
