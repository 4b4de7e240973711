package com.connectionkeeper.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.connectionkeeper.core.model.Watermark;
import com.connectionkeeper.simulator.Endpoint;
import com.connectionkeeper.store.Attributes;
import com.connectionkeeper.testkit.Integration;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * One caller cannot spend everyone's SnapTrade budget: a still-valid link for the same connection and options is
 * returned again (no SnapTrade call, no history), and minting is limited per user and window (429 with Retry-After
 * beyond it, without SnapTrade and without history). The function's clock is the test's.
 */
@Integration
class LinkFloodTest {
    private static final int LIMIT = 5;
    private static final int WINDOW_SECONDS = 600;

    private LocalApi api;
    private String c;
    private int requestNumber;

    @BeforeEach
    void start() {
        api = new LocalApi(b -> b, Map.of("RECONNECT_LINKS_PER_WINDOW", Integer.toString(LIMIT),
                "RECONNECT_LINK_WINDOW_SECONDS", Integer.toString(WINDOW_SECONDS)));
        c = api.importedUser("alice", "!ALPACA:trade").get(0);
        api.simulator.requests().clear();
    }

    @AfterEach
    void stop() {
        api.close();
    }

    /** A reconnect-link request as its own API Gateway request (own request id, as each real request has). */
    private APIGatewayV2HTTPResponse link(String body) {
        APIGatewayV2HTTPEvent e = LocalApi.event("api-reconnect-link.json",
                "/users/alice/connections/" + c + "/reconnect-link", body);
        e.getRequestContext().setRequestId("flood-" + (++requestNumber));
        return api.invoke(e);
    }

    private int logins() {
        return api.simulator.requests().count(Endpoint.LOGIN);
    }

    private long issuedHistory() {
        return api.connections.history("alice", c).stream().filter(d -> d.eventType().equals("RECONNECT_LINK_ISSUED"))
                .count();
    }

    @Test
    void aFloodOfIdenticalRequestsGetsOneLinkFromOneLogin() {
        List<APIGatewayV2HTTPResponse> answers = new ArrayList<>();
        for (int i = 0; i < 60; i++) {
            answers.add(link("{\"force\":true,\"redirectUrl\":\"" + LocalApi.APP_RETURN + "\"}"));
            api.clock.advance(Duration.ofMillis(66)); // 60 requests in 4 s
        }

        assertEquals(1, logins(), "one SnapTrade login");
        JsonNode first = LocalApi.body(answers.get(0));
        for (APIGatewayV2HTTPResponse r : answers) {
            assertEquals(200, r.getStatusCode(), r.getBody());
            assertEquals(first, LocalApi.body(r), "the same link, session and expiry");
        }
        assertEquals(1, issuedHistory(), "one history item");
        assertEquals(1, api.items("alice", "LINK#").size(), "one link (state) kept");
    }

    /** The connection remembers its newest link, for its next reminder ("a link was issued since"). */
    @Test
    void aMintedLinkStampsTheConnectionNeverBackwards() {
        Instant before = api.clock.instant();
        assertEquals(200, link("{\"force\":true}").getStatusCode());
        String first = connectionItem().get(Attributes.LAST_LINK_ISSUED_AT).s();
        assertTrue(Watermark.timeKey(before).compareTo(first) <= 0
                && first.compareTo(Watermark.timeKey(api.clock.instant())) <= 0, first);
        api.clock.advance(Duration.ofMinutes(20));
        assertEquals(200, link("{\"force\":true,\"redirectUrl\":\"" + LocalApi.APP_RETURN + "\"}")
                .getStatusCode());
        assertTrue(first.compareTo(connectionItem().get(Attributes.LAST_LINK_ISSUED_AT).s()) < 0,
                "the newer link's time");
    }

    private Map<String, AttributeValue> connectionItem() {
        List<Map<String, AttributeValue>> items = api.items("alice", "CONN#");
        assertEquals(1, items.size());
        return items.get(0);
    }

    @Test
    void aFloodOverManyOptionsMintsAtMostTheLimitThen429WithRetryAfter() {
        Instant start = api.clock.instant();
        List<String> bodies = new ArrayList<>();
        for (String redirect : List.of(LocalApi.APP_RETURN, LocalApi.APP_RETURN + "?tab=1",
                "http://localhost:3000/cb")) {
            for (String dark : List.of("true", "false")) {
                for (String immediate : List.of("true", "false")) {
                    bodies.add("{\"force\":true,\"redirectUrl\":\"" + redirect + "\",\"darkMode\":" + dark
                            + ",\"immediateRedirect\":" + immediate + "}");
                }
            }
        }
        Map<String, Set<String>> linksByBody = new HashMap<>();
        int limited = 0;
        for (int i = 0; i < 60; i++) {
            String body = bodies.get(i % bodies.size());
            APIGatewayV2HTTPResponse r = link(body);
            if (r.getStatusCode() == 429) {
                limited++;
                long retryAfter = Long.parseLong(r.getHeaders().get("retry-after"));
                long windowLeft = WINDOW_SECONDS - Duration.between(start, api.clock.instant()).toSeconds();
                assertTrue(retryAfter >= 1 && Math.abs(retryAfter - windowLeft) <= 1,
                        "Retry-After " + retryAfter + " vs " + windowLeft + " s left in the window");
                assertTrue(LocalApi.error(r).contains("reconnect links"), r.getBody());
            } else {
                assertEquals(200, r.getStatusCode(), r.getBody());
                linksByBody.computeIfAbsent(body, b -> new java.util.HashSet<>())
                        .add(LocalApi.body(r).path("redirectURI").asText());
            }
            api.clock.advance(Duration.ofMillis(66));
        }

        assertEquals(LIMIT, logins(), "at most the limit of SnapTrade logins");
        assertEquals(LIMIT, linksByBody.size(), "the first " + LIMIT + " option sets got a link");
        linksByBody.values().forEach(links -> assertEquals(1, links.size(), "the same link each time"));
        assertEquals(60 - 60 / bodies.size() * LIMIT, limited);
        assertEquals(LIMIT, issuedHistory(), "history bounded by the mints");

        // after the window, minting works again
        api.clock.advance(Duration.ofSeconds(WINDOW_SECONDS));
        APIGatewayV2HTTPResponse again = link(bodies.get(LIMIT));
        assertEquals(200, again.getStatusCode(), again.getBody());
        assertEquals(LIMIT + 1, logins());
        assertNull(again.getHeaders().get("retry-after"));
    }

    @Test
    void aStoredLinkIsReturnedOnlyWhileItHasAComfortableMarginLeft() {
        String body = "{\"force\":true}";
        APIGatewayV2HTTPResponse first = link(body);
        Instant expires = Instant.parse(LocalApi.body(first).path("expiresAt").asText());

        api.clock.advance(Duration.between(api.clock.instant(), expires.minusSeconds(61)));
        APIGatewayV2HTTPResponse reused = link(body);
        api.clock.advance(Duration.ofSeconds(2)); // now 59 s left: too little for the user to finish the portal
        APIGatewayV2HTTPResponse fresh = link(body);

        assertEquals(LocalApi.body(first), LocalApi.body(reused));
        assertNotEquals(LocalApi.body(first).path("redirectURI"), LocalApi.body(fresh).path("redirectURI"));
        assertEquals(2, logins());
    }

    @Test
    void aLinkUsedAtTheLandingIsNotReturnedAgain() {
        String body = "{\"force\":true,\"redirectUrl\":\"" + LocalApi.APP_RETURN + "\"}";
        APIGatewayV2HTTPResponse first = link(body);
        assertEquals(302, api.land(api.lastState(), "ABANDONED", c).getStatusCode());

        APIGatewayV2HTTPResponse next = link(body);

        assertEquals(200, next.getStatusCode());
        assertNotEquals(LocalApi.body(first).path("redirectURI"), LocalApi.body(next).path("redirectURI"));
        assertEquals(2, logins());
    }

    @Test
    void anotherConnectionOrTypeOfRequestIsNotServedAStoredLink() {
        String d = api.simulator.control().addConnection("alice", "QUESTRADE", "read");
        api.importSecret("alice", api.secretAtSnapTrade("alice"));
        api.simulator.requests().clear();

        APIGatewayV2HTTPResponse forC = link("{\"force\":true}");
        APIGatewayV2HTTPEvent e = LocalApi.event("api-reconnect-link.json",
                "/users/alice/connections/" + d + "/reconnect-link", "{\"force\":true}");
        e.getRequestContext().setRequestId("other-connection");
        APIGatewayV2HTTPResponse forD = api.invoke(e);

        assertEquals(200, forD.getStatusCode(), forD.getBody());
        assertEquals(d, LocalApi.body(forD).path("connectionId").asText());
        assertNotEquals(LocalApi.body(forC).path("redirectURI"), LocalApi.body(forD).path("redirectURI"));
        assertEquals(2, logins());
        assertEquals(Set.of("trade", "read"), api.simulator.requests().of(Endpoint.LOGIN).stream()
                .map(r -> r.bodyField("connectionType")).collect(Collectors.toSet()));
    }
}
