package com.connectionkeeper.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;

/**
 * How to answer a SnapTrade API call: a status and JSON text, or (status 0) no answer at all for {@code hang}.
 *
 * @param retryAfterSeconds for a 429, the seconds its body and {@code X-RateLimit-Reset} announce; else 0
 * @param fault             the injected fault that produced it, or null
 */
record ApiResponse(int status, String body, long retryAfterSeconds, Duration hang, Fault.Kind fault) {

    static ApiResponse ok(JsonNode body) {
        return raw(200, Json.write(body));
    }

    static ApiResponse raw(int status, String body) {
        return new ApiResponse(status, body, 0, Duration.ZERO, null);
    }

    /** SnapTrade's error shape: {@code {"detail": …, "status_code": …, "code": "…"}}. */
    static ApiResponse error(int status, String detail, String code) {
        return raw(status, errorBody(status, detail, code));
    }

    static ApiResponse badSignature() {
        return error(401, "Unable to verify signature sent", "1076");
    }

    static ApiResponse badUser() {
        return error(401, "Invalid userID or userSecret provided", "1083");
    }

    static ApiResponse notFound() {
        return error(404, "The requested resource does not exist.", "1011");
    }

    static ApiResponse throttled(long seconds) {
        return new ApiResponse(429,
                errorBody(429, "Request was throttled. Expected available in " + seconds + " seconds.", "0000"),
                seconds, Duration.ZERO, null);
    }

    static ApiResponse serverError(int status) {
        return error(status, "Encountered an unexpected exception.", "1000");
    }

    /** No answer: the connection is held for {@code duration}, then closed. */
    static ApiResponse hang(Duration duration) {
        return new ApiResponse(0, "", 0, duration, null);
    }

    /** This answer, marked as produced by an injected fault. */
    ApiResponse byFault(Fault.Kind kind) {
        return new ApiResponse(status, body, retryAfterSeconds, hang, kind);
    }

    private static String errorBody(int status, String detail, String code) {
        return Json.write(Json.object().put("detail", detail).put("status_code", status).put("code", code));
    }
}
