package com.connectionkeeper.api;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.connectionkeeper.api.ServiceException.Kind;
import java.time.Duration;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** How {@link Api} answers a service's refusal: each kind's status, Retry-After where it says when to ask again. */
class ServiceFailuresTest {
    private static final Map<String, String> JSON = Map.of("content-type", "application/json");

    private static void assertAnswer(ServiceException e, int status, Map<String, String> headers) {
        ApiResponse r = Api.failure(e);
        assertEquals(status, r.status(), e.kind().name());
        assertEquals(headers, r.headers(), e.kind().name());
        assertEquals(Json.MAPPER.createObjectNode().put("error", e.getMessage()).toString(), r.body());
    }

    @Test
    void eachKindHasItsStatus() {
        Map<Kind, Integer> statuses = new EnumMap<>(Kind.class);
        statuses.put(Kind.INVALID_INPUT, 400);
        statuses.put(Kind.NOT_FOUND, 404);
        statuses.put(Kind.CONFLICT, 409);
        statuses.put(Kind.GONE, 410);
        statuses.put(Kind.REFUSED_BY_SNAPTRADE, 422);
        statuses.put(Kind.RATE_LIMITED, 429);
        statuses.put(Kind.BUSY, 503);
        assertEquals(EnumSet.allOf(Kind.class), statuses.keySet(), "every kind is in this table");

        assertAnswer(ServiceException.invalidInput("redirectUrl is not on the allow-list"), 400, JSON);
        assertAnswer(ServiceException.notFound("no user 'alice'"), 404, JSON);
        assertAnswer(ServiceException.conflict("user 'alice' already exists"), 409, JSON);
        assertAnswer(ServiceException.gone("this connection was deleted; create a new connection"), 410, JSON);
        assertAnswer(ServiceException.refusedBySnapTrade("SnapTrade has no user 'alice'"), 422, JSON);
        assertAnswer(ServiceException.rateLimited("asked too often", Duration.ofSeconds(42)), 429,
                Map.of("retry-after", "42", "content-type", "application/json"));
        assertAnswer(ServiceException.busy("a registration is in progress", Duration.ofSeconds(60)), 503,
                Map.of("retry-after", "60", "content-type", "application/json"));
        for (Kind kind : Kind.values()) {
            assertEquals((int) statuses.get(kind), Api.failure(of(kind)).status(), kind.name());
        }
    }

    private static ServiceException of(Kind kind) {
        return switch (kind) {
            case INVALID_INPUT -> ServiceException.invalidInput("m");
            case NOT_FOUND -> ServiceException.notFound("m");
            case CONFLICT -> ServiceException.conflict("m");
            case GONE -> ServiceException.gone("m");
            case REFUSED_BY_SNAPTRADE -> ServiceException.refusedBySnapTrade("m");
            case RATE_LIMITED -> ServiceException.rateLimited("m", Duration.ofSeconds(1));
            case BUSY -> ServiceException.busy("m", Duration.ofSeconds(1));
        };
    }

    @Test
    void retryAfterIsInWholeSecondsRoundedUpAndAtLeastOne() {
        assertEquals("2", Api.failure(ServiceException.rateLimited("m", Duration.ofMillis(1001))).headers()
                .get("retry-after"));
        assertEquals("1", Api.failure(ServiceException.rateLimited("m", Duration.ZERO)).headers()
                .get("retry-after"));
        assertEquals("5", Api.failure(ServiceException.busy("m", Duration.ofSeconds(5))).headers()
                .get("retry-after"));
        assertEquals(ServiceException.Kind.RATE_LIMITED,
                ServiceException.rateLimited("m", Duration.ofSeconds(3)).kind());
    }
}
