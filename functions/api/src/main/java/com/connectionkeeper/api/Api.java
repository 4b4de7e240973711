package com.connectionkeeper.api;

import com.connectionkeeper.core.log.JsonLog;
import com.connectionkeeper.core.secrets.SealingException;
import com.connectionkeeper.core.snaptrade.SnapTradeException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;

/**
 * The HTTP API: dispatches a request by API Gateway's {@code routeKey} through its route table, checks who may act
 * for the user, turns the services' results into statuses and JSON bodies and every failure into a clear status with
 * {@code {"error": …}}; one JSON log line per request (never a secret).
 */
public final class Api {
    /** The largest body served, in bytes of UTF-8 (64 KiB). */
    static final int MAX_BODY_BYTES = 64 * 1024;
    private static final Set<String> USER_FIELDS = Set.of("userId");
    private static final Set<String> SECRET_FIELDS = Set.of("userSecret");
    private static final Set<String> LINK_FIELDS = Set.of("redirectUrl", "immediateRedirect", "darkMode", "force");

    /** What serves one route: the request, with its path's ids decoded (and the user's access checked) in the call. */
    @FunctionalInterface
    private interface Route {
        ApiResponse serve(Api api, ApiRequest request, Call call);
    }

    /** A route of the table: its key and what serves it. */
    private record Entry(RouteKey key, Route route) {
    }

    /** The route table, by API Gateway's routeKey: exactly template.yaml's routes to ApiFunction (RouteTableTest). */
    private static final Map<String, Entry> ROUTES = table(
            new Entry(RouteKey.parse("GET /reconnect/return"), Api::land),
            new Entry(RouteKey.parse("POST /users"), Api::register),
            new Entry(RouteKey.parse("PUT /users/{userId}/secret"), Api::importSecret),
            new Entry(RouteKey.parse("POST /users/{userId}/secret/reset"), Api::resetSecret),
            new Entry(RouteKey.parse("DELETE /users/{userId}"), Api::delete),
            new Entry(RouteKey.parse("GET /users/{userId}/connections"), Api::connections),
            new Entry(RouteKey.parse("POST /users/{userId}/connections/{connectionId}/reconnect-link"),
                    Api::reconnectLink));

    private final UserService users;
    private final ReconnectService links;
    private final Access access;

    Api(UserService users, ReconnectService links, Access access) {
        this.users = users;
        this.links = links;
        this.access = access;
    }

    /** The routeKeys the table serves. */
    static Set<String> routeKeys() {
        return ROUTES.keySet();
    }

    public ApiResponse handle(ApiRequest r) {
        long start = System.nanoTime();
        Call call = new Call();
        Entry entry = r.routeKey() == null ? null : ROUTES.get(r.routeKey());
        Optional<Map<String, String>> rawIds = entry == null || !entry.key().method().equals(r.method())
                ? Optional.empty() : entry.key().parameters(r.path());
        ApiResponse response;
        try {
            if (r.body() != null && (r.body().length() > MAX_BODY_BYTES
                    || r.body().getBytes(StandardCharsets.UTF_8).length > MAX_BODY_BYTES)) {
                throw new ApiException(413, "the body is larger than " + MAX_BODY_BYTES + " bytes");
            }
            response = rawIds.isPresent() ? serve(entry.route(), rawIds.get(), r, call) : unrouted(r, call);
        } catch (ApiException e) {
            response = ApiResponse.error(e.status(), e.getMessage(), e.headers());
        } catch (ServiceException e) {
            response = failure(e);
        } catch (SnapTradeException e) {
            response = snapTradeFailure(e);
        } catch (SealingException e) {
            response = unreadableSecret(e, r, call);
        } catch (RuntimeException e) {
            JsonLog.error("api_error", "requestId", r.requestId(), "error", e.getClass().getName());
            response = ApiResponse.error(500, "internal error; retry later", Map.of());
        }
        JsonLog.info("api_request", "requestId", r.requestId(), "method", r.method(),
                "route", rawIds.isPresent() ? entry.key().path() : routeName(r),
                "userId", call.userId(), "connectionId", call.connectionId(), "status", response.status(),
                "ms", TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start));
        return response;
    }

    /**
     * Decodes the path's ids in the route's order (400 for one that cannot be an id); a route under
     * {@code /users/{userId}} acts for that user, who is checked before anything else of the request is read.
     */
    private ApiResponse serve(Route route, Map<String, String> rawIds, ApiRequest r, Call call) {
        rawIds.forEach((name, raw) -> call.ids.put(name, Ids.decodeSegment(raw, name)));
        if (call.userId() != null) {
            access.requireUser(r.caller(), call.userId());
        }
        return route.serve(this, r, call);
    }

    /**
     * A request the table does not serve (an unknown routeKey, e.g. {@code $default}, or one whose method or path is
     * not its route's): answered from the raw path — a user id under {@code /users/} is checked first (400), then 405
     * with Allow when a route has this path, else 404.
     */
    private static ApiResponse unrouted(ApiRequest r, Call call) {
        List<String> p = RouteKey.segments(r.path());
        if (p.size() >= 2 && p.get(0).equals("users")) {
            call.ids.put("userId", Ids.decodeSegment(p.get(1), "userId"));
        }
        Set<String> allowed = new TreeSet<>();
        for (Entry e : ROUTES.values()) {
            if (e.key().parameters(r.path()).isPresent()) {
                allowed.add(e.key().method());
            }
        }
        if (!allowed.isEmpty()) {
            String allow = String.join(", ", allowed);
            throw new ApiException(405, "method " + r.method() + " not allowed here; use " + allow,
                    Map.of("allow", allow));
        }
        throw ApiException.notFound("no route " + r.method() + " " + r.path());
    }

    // ---- the routes ----

    private ApiResponse land(ApiRequest r, Call call) {
        Optional<Map<String, String>> query = LandingPage.portalQuery(r.query());
        if (query.isEmpty()) {
            JsonLog.warn("reconnect_return_refused", "requestId", r.requestId(), "reason", "MALFORMED_QUERY");
            return LandingPage.refused("The address of this page is malformed.");
        }
        Map<String, String> q = query.get();
        return LandingPage.of(links.land(new ReconnectService.PortalQuery(q.get("state"), q.get("status"),
                q.get("connection_id")), r.requestId()));
    }

    private ApiResponse register(ApiRequest r, Call call) {
        String userId = Ids.check(Body.parse(r.body(), USER_FIELDS, false).requiredString("userId",
                Ids.MAX_LENGTH), "userId");
        call.ids.put("userId", userId);
        access.requireUser(r.caller(), userId);
        UserService.Registered registered = users.register(userId, r.requestId());
        return ApiResponse.json(201, Json.MAPPER.createObjectNode().put("userId", registered.userId())
                .put("status", "ACTIVE"));
    }

    private ApiResponse importSecret(ApiRequest r, Call call) {
        String secret = Body.parse(r.body(), SECRET_FIELDS, false).requiredString("userSecret", 1024);
        return connectionsView(users.importSecret(call.userId(), secret, r.requestId()));
    }

    private ApiResponse resetSecret(ApiRequest r, Call call) {
        Body.parse(r.body(), Set.of(), true); // no fields; an empty body or {} only
        UserService.SecretReset reset = users.resetSecret(call.userId(), r.requestId());
        return ApiResponse.json(200, Json.MAPPER.createObjectNode().put("userId", reset.userId())
                .put("status", "ACTIVE").put("secretReset", true));
    }

    private ApiResponse delete(ApiRequest r, Call call) {
        UserService.Deleted deleted = users.delete(call.userId(), r.requestId());
        return ApiResponse.json(200, Json.MAPPER.createObjectNode().put("userId", deleted.userId())
                .put("status", "DELETED").put("connectionsDeleted", deleted.connectionsDeleted()));
    }

    private ApiResponse connections(ApiRequest r, Call call) {
        return connectionsView(users.connections(call.userId()));
    }

    private static ApiResponse connectionsView(UserService.Connections c) {
        return ApiResponse.json(200, ConnectionViews.of(c.userId(), c.lastVerifiedAt(), c.connections()));
    }

    private ApiResponse reconnectLink(ApiRequest r, Call call) {
        Body b = Body.parse(r.body(), LINK_FIELDS, true);
        ReconnectService.LinkOptions options = new ReconnectService.LinkOptions(
                b.optionalString("redirectUrl", 2048), b.optionalBoolean("immediateRedirect"),
                b.optionalBoolean("darkMode"), b.optionalBoolean("force").orElse(false));
        ReconnectService.Link link = links.issue(call.userId(), call.connectionId(), options, r.requestId(),
                r.host());
        ObjectNode body = Json.MAPPER.createObjectNode()
                .put("redirectURI", link.redirectUri())
                .put("sessionId", link.sessionId())
                .put("expiresAt", link.expiresAt().toString())
                .put("connectionId", link.connectionId())
                .put("type", link.type())
                .put("linkId", link.linkId());
        return ApiResponse.json(200, body);
    }

    // ---- failures ----

    /** A service's refusal as HTTP: its kind's status, Retry-After when it says when to ask again. */
    static ApiResponse failure(ServiceException e) {
        int status = switch (e.kind()) {
            case INVALID_INPUT -> 400;
            case NOT_FOUND -> 404;
            case CONFLICT -> 409;
            case GONE -> 410;
            case REFUSED_BY_SNAPTRADE -> 422;
            case RATE_LIMITED -> 429;
            case BUSY -> 503;
        };
        return ApiResponse.error(status, e.getMessage(), e.retryAfter()
                .map(wait -> Map.of("retry-after", Long.toString(seconds(wait)))).orElse(Map.of()));
    }

    /**
     * The user's stored secret would not open: the sealing service is down (503, retry), or it was sealed with another
     * key, for another user or table, or changed (500: importing the secret again replaces it).
     */
    private static ApiResponse unreadableSecret(SealingException e, ApiRequest r, Call call) {
        JsonLog.error("api_secret_unreadable", "requestId", r.requestId(), "userId", call.userId(),
                "kind", e.kind().name(), "reason", e.getMessage());
        if (e.kind() == SealingException.Kind.UNAVAILABLE) {
            return ApiResponse.error(503, "the user's stored secret cannot be opened right now; retry later",
                    Map.of("Retry-After", "5"));
        }
        return ApiResponse.error(500, "the user's stored secret cannot be opened by this deployment (see the log): "
                + "import it again (PUT /users/{userId}/secret); if every user fails alike, check the key and the "
                + "function's role", Map.of());
    }

    private static ApiResponse snapTradeFailure(SnapTradeException e) {
        return switch (e.kind()) {
            case CREDENTIALS_REJECTED -> ApiResponse.error(422, REJECTED_SECRET_HELP, Map.of());
            case RATE_LIMITED -> ApiResponse.error(503, "SnapTrade's rate limit is exhausted; retry later",
                    Map.of("retry-after", Long.toString(seconds(e.retryAfter().orElse(Duration.ofSeconds(60))))));
            case CLIENT_REJECTED -> ApiResponse.error(502, "SnapTrade refused this deployment's client credentials "
                    + "(SnapTradeClientId, consumer key) or its clock; nothing was changed", Map.of());
            case NOT_FOUND -> ApiResponse.error(404, "SnapTrade does not know this user or connection", Map.of());
            case CONFLICT -> ApiResponse.error(409, "SnapTrade says this exists already", Map.of());
            case UNAVAILABLE -> ApiResponse.error(502, "SnapTrade is unavailable; retry later", Map.of());
            case BAD_RESPONSE -> ApiResponse.error(502, "SnapTrade gave an answer we could not read; retry later",
                    Map.of());
        };
    }

    /** What helps when SnapTrade rejects the secret we hold, whoever registered the user. */
    static final String REJECTED_SECRET_HELP = "SnapTrade rejected the user's secret; rotate it with "
            + "POST /users/{userId}/secret/reset, or import the current one with PUT /users/{userId}/secret";

    /** A wait in whole seconds for Retry-After: rounded up, at least 1. */
    static long seconds(Duration wait) {
        return Math.max(1, (wait.toMillis() + 999) / 1000);
    }

    // ---- the table and the log ----

    private static Map<String, Entry> table(Entry... entries) {
        Map<String, Entry> table = new LinkedHashMap<>();
        for (Entry e : entries) {
            if (table.put(e.key().key(), e) != null) {
                throw new IllegalStateException("route " + e.key().key() + " twice");
            }
        }
        return Map.copyOf(table);
    }

    /** The route's shape for logs, without ids, when the table does not serve the request. */
    private static String routeName(ApiRequest r) {
        List<String> p = RouteKey.segments(r.path());
        if (p.size() >= 2 && p.get(0).equals("users")) {
            StringBuilder name = new StringBuilder("/users/{userId}");
            for (int i = 2; i < p.size(); i++) {
                name.append('/').append(i == 3 ? "{connectionId}" : p.get(i));
            }
            return name.toString();
        }
        return "/" + String.join("/", p);
    }

    /** One request on its way: the ids it names, decoded, as they become known (for its route and its log line). */
    private static final class Call {
        final Map<String, String> ids = new HashMap<>();

        String userId() {
            return ids.get("userId");
        }

        String connectionId() {
            return ids.get("connectionId");
        }
    }
}
