package com.connectionkeeper.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;

/**
 * How to answer a SnapTrade API call: a status and JSON text, or (status 0) no answer at all for {@code hang}.
 *
 * @param retryAfterSeconds for a 429, the seconds its body and {@code X-RateLimit-Reset} announce; else 0
 * @param fault             the injected fault that produced it, or null
 */
record SnapTradeApiResponse(int status, String body, long retryAfterSeconds, Duration hang, Fault.Kind fault) {

    static SnapTradeApiResponse ok(JsonNode body) {
        return raw(200, Json.write(body));
    }

    static SnapTradeApiResponse raw(int status, String body) {
        return new SnapTradeApiResponse(status, body, 0, Duration.ZERO, null);
    }

    /** SnapTrade's error shape: {@code {"detail": …, "status_code": …, "code": "…"}}. */
    static SnapTradeApiResponse error(int status, String detail, String code) {
        return raw(status, errorBody(status, detail, code));
    }

    static SnapTradeApiResponse badSignature() {
        return error(401, "Unable to verify signature sent", "1076");
    }

    static SnapTradeApiResponse badUser() {
        return error(401, "Invalid userID or userSecret provided", "1083");
    }

    static SnapTradeApiResponse notFound() {
        return error(404, "The requested resource does not exist.", "1011");
    }

    static SnapTradeApiResponse throttled(long seconds) {
        return new SnapTradeApiResponse(429,
                errorBody(429, "Request was throttled. Expected available in " + seconds + " seconds.", "0000"),
                seconds, Duration.ZERO, null);
    }

    static SnapTradeApiResponse serverError(int status) {
        return error(status, "Encountered an unexpected exception.", "1000");
    }

    /** No answer: the connection is held for {@code duration}, then closed. */
    static SnapTradeApiResponse hang(Duration duration) {
        return new SnapTradeApiResponse(0, "", 0, duration, null);
    }

    /** This answer, marked as produced by an injected fault. */
    SnapTradeApiResponse byFault(Fault.Kind kind) {
        return new SnapTradeApiResponse(status, body, retryAfterSeconds, hang, kind);
    }

    private static String errorBody(int status, String detail, String code) {
        return Json.write(Json.object().put("detail", detail).put("status_code", status).put("code", code));
    }
}
