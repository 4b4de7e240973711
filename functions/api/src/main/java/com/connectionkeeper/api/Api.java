package com.connectionkeeper.api;

import com.connectionkeeper.core.log.JsonLog;
import com.connectionkeeper.core.snaptrade.SnapTradeException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * The HTTP API: routes a request to its service, checks who may act for the user, and turns every failure into a
 * clear status with {@code {"error": …}}; one JSON log line per request (never a secret).
 */
public final class Api {
    /** The largest body served, in bytes of UTF-8 (64 KiB). */
    static final int MAX_BODY_BYTES = 64 * 1024;
    private static final Set<String> USER_FIELDS = Set.of("userId");
    private static final Set<String> SECRET_FIELDS = Set.of("userSecret");
    private static final Set<String> LINK_FIELDS = Set.of("redirectUrl", "immediateRedirect", "darkMode", "force");

    private final UserService users;
    private final ReconnectService links;
    private final Access access;

    Api(UserService users, ReconnectService links, Access access) {
        this.users = users;
        this.links = links;
        this.access = access;
    }

    public ApiResponse handle(ApiRequest r) {
        long start = System.nanoTime();
        String[] ids = new String[2];
        ApiResponse response;
        try {
            if (r.body() != null && (r.body().length() > MAX_BODY_BYTES
                    || r.body().getBytes(StandardCharsets.UTF_8).length > MAX_BODY_BYTES)) {
                throw new ApiException(413, "the body is larger than " + MAX_BODY_BYTES + " bytes");
            }
            response = route(r, ids);
        } catch (ApiException e) {
            response = ApiResponse.error(e.status(), e.getMessage(), e.headers());
        } catch (SnapTradeException e) {
            response = snapTradeFailure(e);
        } catch (RuntimeException e) {
            JsonLog.error("api_error", "requestId", r.requestId(), "error", e.getClass().getName());
            response = ApiResponse.error(500, "internal error; retry later", Map.of());
        }
        JsonLog.info("api_request", "requestId", r.requestId(), "method", r.method(), "route", routeName(r),
                "userId", ids[0], "connectionId", ids[1], "status", response.status(),
                "ms", TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start));
        return response;
    }

    private ApiResponse route(ApiRequest r, String[] ids) {
        List<String> p = segments(r.path());
        String m = r.method();
        if (p.equals(List.of("reconnect", "return"))) {
            requireMethod(m, "GET");
            return links.land(r);
        }
        if (p.equals(List.of("users"))) {
            requireMethod(m, "POST");
            String userId = Ids.check(Body.parse(r.body(), USER_FIELDS, false).requiredString("userId",
                    Ids.MAX_LENGTH), "userId");
            ids[0] = userId;
            access.requireUser(r.caller(), userId);
            return ApiResponse.json(201, users.register(userId, r.requestId()));
        }
        if (p.size() >= 2 && p.get(0).equals("users")) {
            String userId = Ids.decodeSegment(p.get(1), "userId");
            ids[0] = userId;
            if (p.size() == 2) {
                requireMethod(m, "DELETE");
                access.requireUser(r.caller(), userId);
                return ApiResponse.json(200, users.delete(userId, r.requestId()));
            }
            if (p.size() == 3 && p.get(2).equals("secret")) {
                requireMethod(m, "PUT");
                access.requireUser(r.caller(), userId);
                String secret = Body.parse(r.body(), SECRET_FIELDS, false).requiredString("userSecret", 1024);
                return ApiResponse.json(200, users.importSecret(userId, secret, r.requestId()));
            }
            if (p.size() == 4 && p.get(2).equals("secret") && p.get(3).equals("reset")) {
                requireMethod(m, "POST");
                access.requireUser(r.caller(), userId);
                Body.parse(r.body(), Set.of(), true); // no fields; an empty body or {} only
                return ApiResponse.json(200, users.resetSecret(userId, r.requestId()));
            }
            if (p.size() == 3 && p.get(2).equals("connections")) {
                requireMethod(m, "GET");
                access.requireUser(r.caller(), userId);
                return ApiResponse.json(200, users.connections(userId));
            }
            if (p.size() == 5 && p.get(2).equals("connections") && p.get(4).equals("reconnect-link")) {
                requireMethod(m, "POST");
                String connectionId = Ids.decodeSegment(p.get(3), "connectionId");
                ids[1] = connectionId;
                access.requireUser(r.caller(), userId);
                Body b = Body.parse(r.body(), LINK_FIELDS, true);
                ReconnectService.LinkOptions options = new ReconnectService.LinkOptions(
                        b.optionalString("redirectUrl", 2048), b.optionalBoolean("immediateRedirect"),
                        b.optionalBoolean("darkMode"), b.optionalBoolean("force").orElse(false));
                return ApiResponse.json(200, links.issue(userId, connectionId, options, r.requestId(), r.host()));
            }
        }
        throw ApiException.notFound("no route " + m + " " + r.path());
    }

    private static void requireMethod(String method, String allowed) {
        if (!allowed.equals(method)) {
            throw new ApiException(405, "method " + method + " not allowed here; use " + allowed,
                    Map.of("allow", allowed));
        }
    }

    private static List<String> segments(String path) {
        String p = path == null ? "" : path;
        if (p.startsWith("/")) {
            p = p.substring(1);
        }
        if (p.endsWith("/")) {
            p = p.substring(0, p.length() - 1);
        }
        return p.isEmpty() ? List.of() : Arrays.asList(p.split("/", -1));
    }

    /** The route's shape for logs, without ids. */
    private static String routeName(ApiRequest r) {
        List<String> p = segments(r.path());
        if (p.size() >= 2 && p.get(0).equals("users")) {
            StringBuilder name = new StringBuilder("/users/{userId}");
            for (int i = 2; i < p.size(); i++) {
                name.append('/').append(i == 3 ? "{connectionId}" : p.get(i));
            }
            return name.toString();
        }
        return "/" + String.join("/", p);
    }

    private static ApiResponse snapTradeFailure(SnapTradeException e) {
        return switch (e.kind()) {
            case CREDENTIALS_REJECTED -> ApiResponse.error(422, REJECTED_SECRET_HELP, Map.of());
            case RATE_LIMITED -> ApiResponse.error(503, "SnapTrade's rate limit is exhausted; retry later",
                    Map.of("retry-after", Long.toString(retryAfterSeconds(e))));
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

    private static long retryAfterSeconds(SnapTradeException e) {
        Duration wait = e.retryAfter().orElse(Duration.ofSeconds(60));
        return Math.max(1, (wait.toMillis() + 999) / 1000);
    }
}
