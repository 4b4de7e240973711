package com.connectionkeeper.simulator;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The SnapTrade operations the simulator serves, by method and path below {@code /api/v1}. */
public enum Endpoint {
    LIST_AUTHORIZATIONS("GET", "/authorizations"),
    DETAIL_AUTHORIZATION("GET", "/authorizations/([^/]+)"),
    DISABLE_AUTHORIZATION("POST", "/authorizations/([^/]+)/disable"),
    LOGIN("POST", "/snapTrade/login"),
    REGISTER_USER("POST", "/snapTrade/registerUser"),
    LIST_USERS("GET", "/snapTrade/listUsers"),
    DELETE_USER("DELETE", "/snapTrade/deleteUser"),
    RESET_USER_SECRET("POST", "/snapTrade/resetUserSecret");

    private final String method;
    private final Pattern path;

    Endpoint(String method, String pathRegex) {
        this.method = method;
        this.path = Pattern.compile(pathRegex);
    }

    public String method() {
        return method;
    }

    /** The operation for a method and a path below {@code /api/v1}, with its path parameter (or null) when it has one. */
    static Optional<Match> match(String method, String apiPath) {
        for (Endpoint endpoint : values()) {
            Matcher m = endpoint.path.matcher(apiPath);
            if (endpoint.method.equals(method) && m.matches()) {
                return Optional.of(new Match(endpoint, m.groupCount() > 0 ? m.group(1) : null));
            }
        }
        return Optional.empty();
    }

    /** A matched operation and its path parameter. */
    record Match(Endpoint endpoint, String pathParam) {
    }
}
