package com.connectionkeeper.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.connectionkeeper.accounts.ReturnState;
import com.connectionkeeper.api.token.ReturnStateCodec;
import com.connectionkeeper.api.token.StateCheck;
import com.connectionkeeper.core.model.ConnectionState;
import com.connectionkeeper.core.model.ConnectionStatus;
import com.connectionkeeper.core.model.HistoryEntry;
import com.connectionkeeper.core.model.Source;
import com.connectionkeeper.simulator.Endpoint;
import com.connectionkeeper.simulator.Fault;
import com.connectionkeeper.simulator.PortalBrowser;
import com.connectionkeeper.testkit.Integration;
import com.connectionkeeper.testkit.StdoutCapture;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * GET /reconnect/return: the browser back from SnapTrade's portal. A genuine, unused, unexpired state gets the outcome
 * (checked with SnapTrade on SUCCESS) and a redirect to the app; anything else gets a 400 page, no Location, and the
 * table exactly as it was — and SnapTrade is not asked.
 */
@Integration
class ReturnLandingTest extends AliceWithOneConnection {
    private static final ReturnStateCodec OUR_CODEC = ReturnStateCodec.fromSecret(LocalApi.STATE_KEY);
    private static final ReturnStateCodec OTHER_CODEC =
            ReturnStateCodec.fromSecret("some-other-reconnect-state-key-fedcba9876543210");

    /** A link for alice's broken connection; its redirectURI (the portal). */
    private String link(String body) {
        APIGatewayV2HTTPResponse r = api.reconnectLink("alice", c, body);
        assertEquals(200, r.getStatusCode(), r.getBody());
        return LocalApi.body(r).path("redirectURI").asText();
    }

    private String linkBackToTheApp() {
        return link("{\"redirectUrl\":\"" + LocalApi.APP_RETURN + "\"}");
    }

    private static ReturnState stateOf(String token) {
        return ((StateCheck.Valid) OUR_CODEC.verify(token, Instant.now())).state();
    }

    private ConnectionState connection() {
        return api.connections.connection("alice", c).orElseThrow();
    }

    private List<HistoryEntry> returns() {
        return api.connections.history("alice", c).stream().filter(d -> d.eventType().equals("RECONNECT_RETURNED"))
                .toList();
    }

    private int detailCalls() {
        return api.simulator.requests().count(Endpoint.DETAIL_AUTHORIZATION);
    }

    /** A refusal: 400 HTML, no redirect, no secret. */
    private void assertRefused(APIGatewayV2HTTPResponse r, String message) {
        assertEquals(400, r.getStatusCode(), r.getBody());
        assertNull(r.getHeaders().get("location"));
        assertEquals("text/html; charset=utf-8", r.getHeaders().get("content-type"));
        assertEquals("no-store", r.getHeaders().get("cache-control"));
        assertTrue(r.getBody().contains("<h1>Reconnect link refused</h1>"), r.getBody());
        assertTrue(r.getBody().contains(message), r.getBody());
        assertFalse(r.getBody().contains("https://"), "no address is offered to follow: " + r.getBody());
        api.assertNoSecret(r);
    }

    @Test
    void successAtThePortalIsConfirmedWithSnapTradeWrittenActiveAndRedirectsToTheApp() {
        String portal = linkBackToTheApp();
        ReturnState state = stateOf(api.lastState());

        String landing = PortalBrowser.complete(portal, "SUCCESS");
        APIGatewayV2HTTPResponse r = api.landAt(landing);

        assertEquals(302, r.getStatusCode(), r.getBody());
        assertEquals(LocalApi.APP_RETURN + "?status=SUCCESS&connectionId=" + c,
                LocalApi.outcomeOf(r.getHeaders().get("location")));
        assertEquals("no-store", r.getHeaders().get("cache-control"));
        assertEquals("", r.getBody());
        assertTrue(api.simulator.requests().last(Endpoint.DETAIL_AUTHORIZATION).orElseThrow().path()
                .endsWith("/authorizations/" + c), "asked SnapTrade about that connection");
        ConnectionState repaired = connection();
        assertEquals(ConnectionStatus.ACTIVE, repaired.status());
        assertEquals(Source.PORTAL, repaired.source());
        assertEquals("PORTAL_OBSERVED_ACTIVE", repaired.lastEventType());
        assertNotNull(repaired.fixedAt());
        assertNull(repaired.brokenSince());
        assertEquals("trade", repaired.observed().type().wire());
        assertEquals("trade", api.simulator.control().connection(c).orElseThrow().type(), "still trade at SnapTrade");
        assertEquals(1, api.simulator.control().connections("alice").size(), "repaired, not added");
        assertEquals(1, returns().size());
        assertEquals("{\"portalStatus\":\"SUCCESS\",\"outcome\":\"SUCCESS\"}", returns().get(0).recordedJson());
        assertEquals(Source.PORTAL, returns().get(0).source());
        assertTrue(api.items("alice", "LINK#" + state.nonce()).get(0).containsKey("consumedAt"));

        var listed = ApiRoutesTest.connection(LocalApi.body(api.connections("alice")), c);
        assertEquals("ACTIVE", listed.path("status").asText());
        assertEquals("portal", listed.path("source").asText());
        assertFalse(listed.path("needsReconnect").asBoolean());
    }

    @Test
    void portalParametersAppendedWithASecondQuestionMarkAreReadToo() {
        linkBackToTheApp();
        String state = api.lastState();
        api.simulator.control().fixConnection(c);

        // as if SnapTrade appended "?status=…" to our "…/reconnect/return?state=…"
        APIGatewayV2HTTPResponse r = api.land(Map.of("state", state + "?status=SUCCESS", "connection_id", c));

        assertEquals(302, r.getStatusCode(), r.getBody());
        assertEquals(LocalApi.APP_RETURN + "?status=SUCCESS&connectionId=" + c,
                LocalApi.outcomeOf(r.getHeaders().get("location")));
        assertEquals(ConnectionStatus.ACTIVE, connection().status());
    }

    @ParameterizedTest
    @ValueSource(strings = {"%", "%G1", "%4", "%C3%28", "%ED%A0%80", "SUCCESS&connection_id=%"})
    void malformedPortalParametersAfterTheStateAreRefusedWithoutAnErrorAndChangeNothing(String status) {
        linkBackToTheApp();
        var before = api.snapshot();

        try (StdoutCapture log = new StdoutCapture()) {
            APIGatewayV2HTTPResponse r = api.land(Map.of("state", api.lastState() + "?status=" + status));

            assertRefused(r, "The address of this page is malformed.");
            assertEquals(List.of(), log.errors());
        }
        assertEquals(before, api.snapshot());
        assertEquals(0, detailCalls());
    }

    @Test
    void withoutAnAppUrlTheLandingShowsTheOutcomeItself() {
        String portal = link(null);

        APIGatewayV2HTTPResponse r = api.landAt(PortalBrowser.complete(portal, "SUCCESS"));

        assertEquals(200, r.getStatusCode(), r.getBody());
        assertNull(r.getHeaders().get("location"));
        assertEquals("text/html; charset=utf-8", r.getHeaders().get("content-type"));
        assertTrue(r.getBody().contains("<title>Reconnect: SUCCESS</title>"), r.getBody());
        assertTrue(r.getBody().contains("Your brokerage connection is repaired."), r.getBody());
        assertEquals(ConnectionStatus.ACTIVE, connection().status());
        api.assertNoSecret(r);
    }

    @Test
    void anAbandonedPortalGoesBackToTheAppAndChangesNoConnection() {
        String portal = linkBackToTheApp();
        var connectionBefore = api.items("alice", "CONN#");

        APIGatewayV2HTTPResponse r = api.landAt(PortalBrowser.complete(portal, "ABANDONED"));

        assertEquals(302, r.getStatusCode());
        assertEquals(LocalApi.APP_RETURN + "?status=ABANDONED&connectionId=" + c,
                LocalApi.outcomeOf(r.getHeaders().get("location")));
        assertEquals(connectionBefore, api.items("alice", "CONN#"));
        assertEquals(0, detailCalls(), "nothing to confirm");
        assertEquals("{\"portalStatus\":\"ABANDONED\",\"outcome\":\"ABANDONED\"}", returns().get(0).recordedJson());
    }

    @Test
    void anAbandonedPortalWithoutAnAppUrlSaysSo() {
        APIGatewayV2HTTPResponse r = api.landAt(PortalBrowser.complete(link(null), "ABANDONED"));

        assertEquals(200, r.getStatusCode());
        assertTrue(r.getBody().contains("the portal was closed before finishing"), r.getBody());
        assertEquals(ConnectionStatus.BROKEN, connection().status());
    }

    @Test
    void loggingIntoADifferentAccountIsAnErrorAndTheConnectionStaysBroken() {
        String portal = linkBackToTheApp();
        var connectionBefore = api.items("alice", "CONN#");

        APIGatewayV2HTTPResponse r = api.landAt(PortalBrowser.complete(portal, "DIFFERENT_ACCOUNT"));

        assertEquals(302, r.getStatusCode());
        assertEquals(LocalApi.APP_RETURN + "?status=ERROR&connectionId=" + c,
                LocalApi.outcomeOf(r.getHeaders().get("location")));
        assertEquals(connectionBefore, api.items("alice", "CONN#"));
        assertEquals(0, detailCalls());
    }

    @Test
    void successForAnotherConnectionIsAnErrorWithItsReason() {
        linkBackToTheApp();
        var connectionBefore = api.items("alice", "CONN#");

        APIGatewayV2HTTPResponse r = api.land(api.lastState(), "SUCCESS", UUID.randomUUID().toString());

        assertEquals(302, r.getStatusCode());
        assertEquals(LocalApi.APP_RETURN + "?status=ERROR&connectionId=" + c + "&reason=DIFFERENT_CONNECTION",
                LocalApi.outcomeOf(r.getHeaders().get("location")));
        assertEquals(connectionBefore, api.items("alice", "CONN#"));
        assertEquals(0, detailCalls());
    }

    @Test
    void successTheConnectionDoesNotConfirmIsAnError() {
        linkBackToTheApp();

        // the portal was skipped: SnapTrade still has the connection disabled
        APIGatewayV2HTTPResponse r = api.land(api.lastState(), "SUCCESS", c);

        assertEquals(302, r.getStatusCode());
        assertEquals(LocalApi.APP_RETURN + "?status=ERROR&connectionId=" + c + "&reason=STILL_BROKEN",
                LocalApi.outcomeOf(r.getHeaders().get("location")));
        assertEquals(1, detailCalls());
        assertEquals(ConnectionStatus.BROKEN, connection().status());
        assertEquals("PORTAL_OBSERVED_BROKEN", connection().lastEventType());
    }

    @Test
    void successSnapTradeCannotConfirmNowIsReportedUnverifiedAndChangesNoConnection() {
        String portal = linkBackToTheApp();
        String landing = PortalBrowser.complete(portal, "SUCCESS");
        api.simulator.faults().inject(Endpoint.DETAIL_AUTHORIZATION, Fault.malformedJson());
        var connectionBefore = api.items("alice", "CONN#");

        APIGatewayV2HTTPResponse r = api.landAt(landing);

        assertEquals(302, r.getStatusCode());
        assertEquals(LocalApi.APP_RETURN + "?status=SUCCESS&connectionId=" + c + "&reason=NOT_VERIFIED",
                LocalApi.outcomeOf(r.getHeaders().get("location")));
        assertEquals(connectionBefore, api.items("alice", "CONN#"), "left for the webhook or the sweep");
        assertEquals("{\"portalStatus\":\"SUCCESS\",\"outcome\":\"SUCCESS\",\"reason\":\"NOT_VERIFIED\"}",
                returns().get(0).recordedJson());
    }

    @Test
    void anUnknownOrMissingPortalStatusCountsAsAnError() {
        linkBackToTheApp();
        String first = api.lastState();
        linkBackToTheApp();
        String second = api.lastState();

        APIGatewayV2HTTPResponse weird = api.land(first, "MAYBE", c);
        APIGatewayV2HTTPResponse none = api.land(second, null, null);

        assertEquals(LocalApi.APP_RETURN + "?status=ERROR&connectionId=" + c,
                LocalApi.outcomeOf(weird.getHeaders().get("location")));
        assertEquals(LocalApi.APP_RETURN + "?status=ERROR&connectionId=" + c,
                LocalApi.outcomeOf(none.getHeaders().get("location")));
        assertEquals(0, detailCalls());
        assertEquals(ConnectionStatus.BROKEN, connection().status());
    }

    @Test
    void theAppsOwnQueryIsKept() {
        link("{\"redirectUrl\":\"" + LocalApi.APP_RETURN + "?tab=brokerages\"}");

        APIGatewayV2HTTPResponse r = api.land(api.lastState(), "ABANDONED", c);

        assertEquals(LocalApi.APP_RETURN + "?tab=brokerages&status=ABANDONED&connectionId=" + c,
                LocalApi.outcomeOf(r.getHeaders().get("location")));
    }

    // ---- refusals: forged, tampered, expired, replayed, off the allow-list ----

    @Test
    void aReplayedStateGetsTheRecordedOutcomeAgainWithoutSnapTradeAndChangesNothing() {
        String landing = PortalBrowser.complete(linkBackToTheApp(), "SUCCESS");
        APIGatewayV2HTTPResponse first = api.landAt(landing);
        assertEquals(302, first.getStatusCode());
        var before = api.snapshot();
        int details = detailCalls();

        APIGatewayV2HTTPResponse replay = api.landAt(landing);
        // even with the portal's parameters changed: the recorded outcome, not the query, decides
        APIGatewayV2HTTPResponse altered = api.land(api.lastState(), "ERROR", c);

        assertEquals(302, replay.getStatusCode());
        assertEquals(LocalApi.APP_RETURN + "?status=SUCCESS&connectionId=" + c,
                LocalApi.outcomeOf(replay.getHeaders().get("location")));
        assertEquals(first.getHeaders().get("location"), replay.getHeaders().get("location"));
        assertEquals(first.getHeaders().get("location"), altered.getHeaders().get("location"));
        assertEquals(before, api.snapshot());
        assertEquals(details, detailCalls());
        assertEquals(1, returns().size());
    }

    @Test
    void aReplayedStateWithoutAnAppUrlShowsTheRecordedOutcomeAgain() {
        String landing = PortalBrowser.complete(link(null), "ABANDONED");
        assertEquals(200, api.landAt(landing).getStatusCode());
        var before = api.snapshot();

        APIGatewayV2HTTPResponse replay = api.landAt(landing);

        assertEquals(200, replay.getStatusCode());
        assertTrue(replay.getBody().contains("the portal was closed before finishing"), replay.getBody());
        assertEquals(before, api.snapshot());
    }

    @Test
    void aStateSignedWithAnotherKeyIsRefusedEvenWithTheRealNonceAndTheRealLinkStillWorks() {
        linkBackToTheApp();
        ReturnState real = stateOf(api.lastState());
        var before = api.snapshot();

        String forged = OTHER_CODEC.sign(real);
        String forgedElsewhere = OTHER_CODEC.sign(new ReturnState("alice", c, "https://evil.example.com/steal",
                real.nonce(), real.expiresAt()));

        assertRefused(api.land(forged, "SUCCESS", c), "This reconnect link is not valid or has expired.");
        assertRefused(api.land(forgedElsewhere, "SUCCESS", c), "This reconnect link is not valid or has expired.");
        assertEquals(before, api.snapshot());
        assertEquals(0, detailCalls());

        APIGatewayV2HTTPResponse genuine = api.land(api.lastState(), "ABANDONED", c);
        assertEquals(302, genuine.getStatusCode(), "the forgeries did not use the link up");
    }

    static Stream<Arguments> tamperings() {
        return Stream.of(
                Arguments.of("payload, first character", (Tamper) t -> flip(t, 3)),
                Arguments.of("payload, middle", (Tamper) t -> flip(t, t.indexOf('.', 3) / 2 + 2)),
                Arguments.of("payload, last character", (Tamper) t -> flip(t, t.lastIndexOf('.') - 1)),
                Arguments.of("signature, first character", (Tamper) t -> flip(t, t.lastIndexOf('.') + 1)),
                Arguments.of("signature, last character", (Tamper) t -> flip(t, t.length() - 1)),
                Arguments.of("version", (Tamper) t -> "v2" + t.substring(2)),
                Arguments.of("signature dropped", (Tamper) t -> t.substring(0, t.lastIndexOf('.'))),
                Arguments.of("signature truncated", (Tamper) t -> t.substring(0, t.length() - 4)),
                Arguments.of("extra part", (Tamper) t -> t + ".AAAA"),
                Arguments.of("padding added", (Tamper) t -> t + "="),
                Arguments.of("upper-cased", (Tamper) t -> t.toUpperCase(java.util.Locale.ROOT)),
                Arguments.of("empty", (Tamper) t -> ""),
                Arguments.of("unsigned payload", (Tamper) t -> t.substring(0, t.lastIndexOf('.') + 1)),
                Arguments.of("too long", (Tamper) t -> t + "A".repeat(5000)));
    }

    interface Tamper {
        String apply(String token);
    }

    /** Changes one base64url character into another. */
    static String flip(String token, int at) {
        char c = token.charAt(at);
        char other = c == 'A' ? 'B' : 'A';
        return token.substring(0, at) + other + token.substring(at + 1);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("tamperings")
    void aTamperedStateIsRefusedAndChangesNothing(String how, Tamper tamper) {
        linkBackToTheApp();
        String genuine = api.lastState();
        String tampered = tamper.apply(genuine);
        assertNotEquals(genuine, tampered);
        var before = api.snapshot();

        APIGatewayV2HTTPResponse r = api.land(tampered, "SUCCESS", c);

        assertRefused(r, "This reconnect link is not valid or has expired.");
        assertEquals(before, api.snapshot());
        assertEquals(0, detailCalls());
    }

    @ParameterizedTest
    @ValueSource(strings = {"missing", "garbage", "json"})
    void aStateThatIsNotATokenIsRefused(String kind) {
        var before = api.snapshot();
        Map<String, String> query = new HashMap<>(Map.of("status", "SUCCESS", "connection_id", c));
        switch (kind) {
            case "garbage" -> query.put("state", "<script>alert(1)</script>");
            case "json" -> query.put("state", "{\"u\":\"alice\",\"c\":\"" + c + "\"}");
            default -> { }
        }

        assertRefused(api.land(query), "This reconnect link is not valid or has expired.");
        assertEquals(before, api.snapshot());
    }

    @Test
    void anExpiredStateIsRefusedAndChangesNothing() {
        linkBackToTheApp();
        String early = api.lastState();
        linkBackToTheApp();
        String late = api.lastState();

        api.clock.advance(Duration.ofMinutes(59));
        APIGatewayV2HTTPResponse stillValid = api.land(early, "ABANDONED", c);
        assertEquals(302, stillValid.getStatusCode(), "valid for the configured 60 minutes");

        api.clock.advance(Duration.ofMinutes(1).plusSeconds(1));
        var before = api.snapshot();
        APIGatewayV2HTTPResponse expired = api.land(late, "SUCCESS", c);

        assertRefused(expired, "This reconnect link is not valid or has expired.");
        assertEquals(before, api.snapshot());
        assertEquals(0, detailCalls());
        assertTrue(stateOf(late).expiresAt().isAfter(Instant.now()), "expired by the function's clock only");
    }

    @Test
    void aStateSignedWithOurKeyForAnAddressOffTheAllowListIsRefused() {
        linkBackToTheApp();
        ReturnState real = stateOf(api.lastState());
        String offList = OUR_CODEC.sign(new ReturnState("alice", c, "https://evil.example.com/steal", real.nonce(),
                real.expiresAt()));
        var before = api.snapshot();

        APIGatewayV2HTTPResponse r = api.land(offList, "SUCCESS", c);

        assertRefused(r, "This reconnect link&#39;s return address is no longer allowed.");
        assertEquals(before, api.snapshot());
        assertEquals(0, detailCalls());
    }

    @Test
    void aReturnAddressRemovedFromTheAllowListSinceTheLinkWasIssuedIsRefused() {
        link("{\"redirectUrl\":\"http://localhost:3000/cb\"}");
        String state = api.lastState();
        api.reconfigure(Map.of(ApiSettings.ENV_ALLOW_LIST, "https://app.example.com/connections"));
        var before = api.snapshot();

        APIGatewayV2HTTPResponse r = api.land(state, "SUCCESS", c);

        assertRefused(r, "This reconnect link&#39;s return address is no longer allowed.");
        assertEquals(before, api.snapshot());
    }

    @Test
    void aGenuineStateOnlyOpensTheLinkItWasIssuedFor() {
        linkBackToTheApp();
        ReturnState real = stateOf(api.lastState());
        String otherConnection = UUID.randomUUID().toString();
        String[] variants = {
            OUR_CODEC.sign(new ReturnState("alice", otherConnection, real.returnUrl(), real.nonce(),
                    real.expiresAt())),
            OUR_CODEC.sign(new ReturnState("bob", c, real.returnUrl(), real.nonce(), real.expiresAt())),
            OUR_CODEC.sign(new ReturnState("alice", c, real.returnUrl(), ReturnState.randomNonce(),
                    real.expiresAt())),
        };
        var before = api.snapshot();

        for (String variant : variants) {
            assertRefused(api.land(variant, "SUCCESS", c), "This reconnect link is not known here.");
        }
        assertEquals(before, api.snapshot());
        assertEquals(0, detailCalls());
        assertEquals(302, api.land(api.lastState(), "ABANDONED", c).getStatusCode());
    }

    @Test
    void theLinkRecordOutlivingTheStateDoesNotExtendIt() {
        // the link item is only valid until the state expires: a state re-signed with a later expiry is still refused
        linkBackToTheApp();
        ReturnState real = stateOf(api.lastState());
        String extended = OUR_CODEC.sign(new ReturnState("alice", c, real.returnUrl(), real.nonce(),
                real.expiresAt().plus(Duration.ofHours(2))));
        api.clock.advance(Duration.ofMinutes(61));
        var before = api.snapshot();

        assertRefused(api.land(extended, "SUCCESS", c), "This reconnect link is not valid or has expired.");
        assertEquals(before, api.snapshot());
    }
}
