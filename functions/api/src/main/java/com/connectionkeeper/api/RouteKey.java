package com.connectionkeeper.api;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One of API Gateway's route keys, e.g. {@code POST /users/{userId}/connections/{connectionId}/reconnect-link}: a
 * method and a path of literal segments and {@code {name}} parameters. It lines a raw path up with its parameters
 * (still percent-encoded: {@link Ids} decodes them).
 */
record RouteKey(String key, String method, List<String> pattern) {

    /** {@code "METHOD /path"} as template.yaml declares it. */
    static RouteKey parse(String key) {
        int space = key.indexOf(' ');
        if (space <= 0 || !key.startsWith("/", space + 1)) {
            throw new IllegalArgumentException("not a route key (METHOD /path): " + key);
        }
        return new RouteKey(key, key.substring(0, space), segments(key.substring(space + 1)));
    }

    /** The route's path, e.g. {@code /users/{userId}} (logs name routes by it, without ids). */
    String path() {
        return key.substring(method.length() + 1);
    }

    /**
     * The raw path's segment for each parameter, in the pattern's order, when {@code path} has this route's shape
     * (a parameter stands for any one segment, even an empty one); empty otherwise.
     */
    Optional<Map<String, String>> parameters(String path) {
        List<String> raw = segments(path);
        if (raw.size() != pattern.size()) {
            return Optional.empty();
        }
        Map<String, String> parameters = new LinkedHashMap<>();
        for (int i = 0; i < pattern.size(); i++) {
            String p = pattern.get(i);
            if (p.startsWith("{") && p.endsWith("}")) {
                parameters.put(p.substring(1, p.length() - 1), raw.get(i));
            } else if (!p.equals(raw.get(i))) {
                return Optional.empty();
            }
        }
        return Optional.of(parameters);
    }

    /** Whether a request with this method and raw path is this route's. */
    boolean matches(String requestMethod, String path) {
        return method.equals(requestMethod) && parameters(path).isPresent();
    }

    /** A path's segments, without one leading and one trailing '/' ({@code /users/alice/} is {@code /users/alice}). */
    static List<String> segments(String path) {
        String p = path == null ? "" : path;
        if (p.startsWith("/")) {
            p = p.substring(1);
        }
        if (p.endsWith("/")) {
            p = p.substring(0, p.length() - 1);
        }
        return p.isEmpty() ? List.of() : List.of(p.split("/", -1));
    }
}
