package com.connectionkeeper.snaptrade;

import com.connectionkeeper.core.snaptrade.SnapTradeException.Kind;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.snaptrade.client.ApiException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Turns what the SDK threw into a {@link Failure}: SnapTrade's error codes first, then the HTTP status. */
final class FailureClassifier {
    /** The user's id or secret (1083): that user's problem, not ours. */
    private static final Set<String> CREDENTIAL_CODES = Set.of("1083");
    /** Our client's signature (1076: consumer key or clock) and permission (1066): every call fails alike. */
    private static final Set<String> CLIENT_CODES = Set.of("1076", "1066");
    /** The requested resource does not exist. */
    private static final Set<String> NOT_FOUND_CODES = Set.of("1011");
    private static final Pattern EXPECTED_IN = Pattern.compile("Expected available in (\\d+) seconds?");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int MAX_DETAIL = 200;

    private FailureClassifier() {
    }

    /** An exception from {@code execute()}: an HTTP answer we do not want, or no answer at all. */
    static Failure classify(ApiException e, Operation operation) {
        int status = e.getStatusCode();
        if (status == 0) {
            return noAnswer(e, operation);
        }
        ErrorBody body = ErrorBody.parse(e.getResponseBody());
        String reason = "HTTP " + status + (body.code == null ? "" : " code " + body.code)
                + (body.detail == null ? "" : ": " + body.detail);
        if (status == 429) {
            return new Failure(Kind.RATE_LIMITED, status, body.code, true, retryAfter(e, body), reason, e);
        }
        if (status == 404 && body.code == null) {
            // Not SnapTrade's own "does not exist" (its error body always carries a code): a load balancer, a CDN or
            // a wrong base URL answered. Nobody is unknown; the path to SnapTrade is broken. Not retried at once: a
            // wrong path does not heal in seconds, and the callers back off (sweep) or answer 502 (API).
            return new Failure(Kind.UNAVAILABLE, status, null, false, Optional.empty(),
                    reason + " (not SnapTrade's error body)", e);
        }
        Kind kind = kindOf(status, body.code);
        boolean retryable = status >= 500 || status == 408;
        return new Failure(kind, status, body.code, retryable, Optional.empty(), reason, e);
    }

    /** The SDK could not read a 2xx answer (its raw NullPointerException, IllegalArgumentException, Gson errors). */
    static Failure unreadable(RuntimeException e) {
        return new Failure(Kind.BAD_RESPONSE, 200, null, false, Optional.empty(),
                "unreadable answer: " + e.getClass().getSimpleName(), e);
    }

    private static Failure noAnswer(ApiException e, Operation operation) {
        Throwable cause = e.getCause() == null ? e : e.getCause();
        boolean neverSent = cause instanceof ConnectException || cause instanceof UnknownHostException;
        boolean retryable = cause instanceof IOException && (neverSent || operation.idempotent());
        return new Failure(Kind.UNAVAILABLE, 0, null, retryable, Optional.empty(),
                "no answer: " + cause.getClass().getSimpleName(), e);
    }

    /** SnapTrade's code for "User with the given userId already exists" (400) on registerUser. */
    static final String USER_EXISTS_CODE = "1010";

    private static Kind kindOf(int status, String code) {
        if (code != null && CREDENTIAL_CODES.contains(code)) {
            return Kind.CREDENTIALS_REJECTED;
        }
        if (code != null && CLIENT_CODES.contains(code)) {
            return Kind.CLIENT_REJECTED;
        }
        if (code != null && NOT_FOUND_CODES.contains(code)) {
            return Kind.NOT_FOUND;
        }
        if (status == 409 || (status == 400 && USER_EXISTS_CODE.equals(code))) {
            return Kind.CONFLICT;
        }
        if (status == 401 || status == 403) {
            // without a code we cannot tell whose credentials: not blaming (and flagging) the user is the safe side
            return Kind.CLIENT_REJECTED;
        }
        if (status == 404) {
            return Kind.NOT_FOUND;
        }
        return status >= 500 || status == 408 ? Kind.UNAVAILABLE : Kind.BAD_RESPONSE;
    }

    /** X-RateLimit-Reset (seconds) or the body's "Expected available in N seconds", whichever is longer. */
    private static Optional<Duration> retryAfter(ApiException e, ErrorBody body) {
        Optional<Long> header = header(e.getResponseHeaders(), "x-ratelimit-reset").flatMap(FailureClassifier::seconds);
        Optional<Long> text = Optional.ofNullable(body.detail).map(EXPECTED_IN::matcher).filter(Matcher::find)
                .flatMap(m -> seconds(m.group(1)));
        return header.map(h -> Math.max(h, text.orElse(0L))).or(() -> text).map(Duration::ofSeconds);
    }

    private static Optional<String> header(Map<String, List<String>> headers, String name) {
        if (headers == null) {
            return Optional.empty();
        }
        return headers.entrySet().stream().filter(h -> name.equalsIgnoreCase(h.getKey()))
                .flatMap(h -> h.getValue().stream()).findFirst();
    }

    private static Optional<Long> seconds(String text) {
        try {
            long n = Long.parseLong(text.trim());
            return n >= 0 ? Optional.of(n) : Optional.empty();
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    /** SnapTrade's error body {@code {"detail", "status_code", "code"}}, or nothing when it is not that. */
    private record ErrorBody(String detail, String code) {
        static ErrorBody parse(String text) {
            if (text == null || text.isBlank()) {
                return new ErrorBody(null, null);
            }
            try {
                JsonNode json = JSON.readTree(text);
                return new ErrorBody(truncate(textOf(json, "detail")), textOf(json, "code"));
            } catch (IOException notJson) {
                return new ErrorBody(null, null);
            }
        }

        private static String textOf(JsonNode json, String field) {
            JsonNode value = json == null || !json.isObject() ? null : json.get(field);
            if (value == null || value.isNull() || value.isContainerNode()) {
                return null;
            }
            String text = value.asText();
            return text.isBlank() ? null : text;
        }

        private static String truncate(String text) {
            return text == null || text.length() <= MAX_DETAIL ? text : text.substring(0, MAX_DETAIL) + "…";
        }
    }
}
