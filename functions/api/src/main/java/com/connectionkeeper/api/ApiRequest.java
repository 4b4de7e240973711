package com.connectionkeeper.api;

import java.util.Map;

/**
 * One HTTP request as the API sees it, whoever delivered it (API Gateway's v2 event, a local server).
 *
 * @param routeKey  API Gateway's route key, e.g. {@code GET /users/{userId}/connections} ({@code $default} or null
 *                  when no declared route matched): what {@link Api} dispatches by
 * @param method    upper-case HTTP method
 * @param path      the raw path, e.g. {@code /users/alice/connections} (segments still percent-encoded)
 * @param query     query parameters (first value of each)
 * @param body      the body as text (already base64-decoded), or null
 * @param caller    who API Gateway says is calling
 * @param requestId for logs and as a unique id of what the request writes
 * @param host      the host the request came to (builds the return landing's URL when none is configured)
 */
public record ApiRequest(String routeKey, String method, String path, Map<String, String> query, String body,
                         Caller caller, String requestId, String host) {

    /** The caller's identity as established by API Gateway's authorizer (never by the function itself). */
    public record Caller(Kind kind, Map<String, String> claims) {
        /** IAM: SigV4-signed by an AWS principal; JWT: a token the JWT authorizer accepted; NONE: public route. */
        public enum Kind { IAM, JWT, NONE }

        public static final Caller NONE = new Caller(Kind.NONE, Map.of());
    }

    public String queryParam(String name) {
        return query == null ? null : query.get(name);
    }
}
