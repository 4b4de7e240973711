package com.connectionkeeper.api;

import static com.connectionkeeper.api.LocalApi.anonymous;
import static com.connectionkeeper.api.LocalApi.asJwt;
import static com.connectionkeeper.api.LocalApi.body;
import static com.connectionkeeper.api.LocalApi.error;
import static com.connectionkeeper.api.LocalApi.event;
import static com.connectionkeeper.api.LocalApi.request;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.connectionkeeper.simulator.Endpoint;
import com.connectionkeeper.simulator.RecordedRequest;
import com.connectionkeeper.testkit.Integration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Who may act for which user. IAM (default): the app's backend, established by API Gateway's IAM authorizer, may act
 * for any user, and nothing without it. JWT: the token's {@code sub} must be the user in the path (or, for POST
 * /users, in the body). A refusal says nothing of the other user, changes nothing, and asks SnapTrade nothing.
 */
@Integration
class AuthorizationTest {
    private LocalApi api;
    private String aliceConnection;
    private String bobConnection;

    @BeforeEach
    void start() {
        api = new LocalApi();
        aliceConnection = api.importedUser("alice", "!ALPACA:trade").get(0);
        bobConnection = api.importedUser("bob", "!QUESTRADE:trade").get(0);
        api.simulator.requests().clear();
    }

    @AfterEach
    void stop() {
        api.close();
    }

    /** One call per management route, each for bob (and bob's connection, which nobody but bob may touch). */
    static Stream<Arguments> bobsRoutes() {
        return Stream.of(
                Arguments.of("POST /users", (Function<AuthorizationTest, APIGatewayV2HTTPEvent>) t -> request(
                        "api-register-user.json", "POST", "/users", "{\"userId\":\"bob\"}")),
                Arguments.of("PUT /users/{userId}/secret", (Function<AuthorizationTest, APIGatewayV2HTTPEvent>) t ->
                        request("api-import-secret.json", "PUT", "/users/bob/secret",
                                "{\"userSecret\":\"" + t.api.secretAtSnapTrade("bob") + "\"}")),
                Arguments.of("DELETE /users/{userId}", (Function<AuthorizationTest, APIGatewayV2HTTPEvent>) t ->
                        request("api-delete-user.json", "DELETE", "/users/bob", null)),
                Arguments.of("GET /users/{userId}/connections", (Function<AuthorizationTest, APIGatewayV2HTTPEvent>)
                        t -> request("api-list-connections.json", "GET", "/users/bob/connections", null)),
                Arguments.of("POST …/reconnect-link", (Function<AuthorizationTest, APIGatewayV2HTTPEvent>) t ->
                        request("api-reconnect-link.json", "POST", "/users/bob/connections/" + t.bobConnection
                                + "/reconnect-link", "{\"force\":true}")));
    }

    /** Refused: nothing changed in the table, nothing asked of SnapTrade, nothing of bob's in the answer. */
    private void assertRefusedWithoutTrace(APIGatewayV2HTTPResponse r, List<?> before) {
        assertEquals(before, api.snapshot(), "the table is unchanged");
        assertEquals(List.of(), api.simulator.requests().all(), "SnapTrade was not asked");
        assertEquals("application/json", r.getHeaders().get("content-type"));
        assertEquals(1, body(r).size(), "only the error: " + r.getBody());
        assertFalse(r.getBody().contains(bobConnection), r.getBody());
        assertFalse(r.getBody().contains("QUESTRADE") || r.getBody().contains("Questrade"), r.getBody());
        api.assertNoSecret(r);
    }

    // ---- IAM (the default) ----

    @ParameterizedTest(name = "{0}")
    @MethodSource("bobsRoutes")
    void iamModeWithoutTheIamAuthorizerContextIs401(String route,
                                                    Function<AuthorizationTest, APIGatewayV2HTTPEvent> call) {
        var before = api.snapshot();

        APIGatewayV2HTTPResponse r = api.invoke(anonymous(call.apply(this)));

        assertEquals(401, r.getStatusCode(), r.getBody());
        assertEquals("this route needs IAM (SigV4) authorization", error(r));
        assertRefusedWithoutTrace(r, before);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("bobsRoutes")
    void iamModeRefusesAJwtCallerWith401(String route, Function<AuthorizationTest, APIGatewayV2HTTPEvent> call) {
        var before = api.snapshot();

        APIGatewayV2HTTPResponse r = api.invoke(asJwt(call.apply(this), Map.of("sub", "bob")));

        assertEquals(401, r.getStatusCode(), r.getBody());
        assertEquals("this route needs IAM (SigV4) authorization", error(r));
        assertRefusedWithoutTrace(r, before);
    }

    @Test
    void iamModeAnAuthorizerWithNeitherIamNorJwtIs401() {
        APIGatewayV2HTTPEvent e = event("api-list-connections.json", "/users/bob/connections", null);
        e.getRequestContext().setAuthorizer(APIGatewayV2HTTPEvent.RequestContext.Authorizer.builder().build());

        APIGatewayV2HTTPResponse r = api.invoke(e);

        assertEquals(401, r.getStatusCode());
        assertEquals("this route needs IAM (SigV4) authorization", error(r));
        assertFalse(r.getBody().contains(bobConnection));
    }

    @Test
    void theBackendAskingForAConnectionUnderTheWrongUserGets404AndLearnsNothing() {
        var before = api.snapshot();

        APIGatewayV2HTTPResponse r = api.reconnectLink("alice", bobConnection, "{\"force\":true}");

        assertEquals(404, r.getStatusCode());
        assertEquals("user 'alice' has no connection '" + bobConnection + "'", error(r));
        assertEquals(before, api.snapshot());
        assertEquals(List.of(), api.simulator.requests().all());
        assertSameAsForAConnectionThatDoesNotExist(r, bobConnection, false);
    }

    @Test
    void theBackendMayActForAnyUser() {
        assertEquals(200, api.connections("alice").getStatusCode());
        assertEquals(200, api.connections("bob").getStatusCode());
        assertEquals(200, api.reconnectLink("bob", bobConnection, null).getStatusCode());
    }

    // ---- JWT ----

    @Test
    void jwtModeTheTokensOwnUserIsServed() {
        api.useJwt();

        APIGatewayV2HTTPResponse r = api.invoke(event("api-list-connections-jwt.json"));

        assertEquals(200, r.getStatusCode(), r.getBody());
        assertEquals("alice", body(r).path("userId").asText());
        assertEquals(aliceConnection, body(r).path("connections").get(0).path("connectionId").asText());
        api.assertNoSecret(r);
    }

    @Test
    void jwtModeEveryRouteWorksForTheTokensOwnUser() {
        api.useJwt();
        Map<String, String> alice = Map.of("sub", "alice");

        APIGatewayV2HTTPResponse link = api.invoke(asJwt(request("api-reconnect-link.json", "POST",
                "/users/alice/connections/" + aliceConnection + "/reconnect-link", null), alice));
        APIGatewayV2HTTPResponse secret = api.invoke(asJwt(request("api-import-secret.json", "PUT",
                "/users/alice/secret", "{\"userSecret\":\"" + api.secretAtSnapTrade("alice") + "\"}"), alice));
        APIGatewayV2HTTPResponse carol = api.invoke(asJwt(request("api-register-user.json", "POST", "/users",
                "{\"userId\":\"carol\"}"), Map.of("sub", "carol")));
        APIGatewayV2HTTPResponse delete = api.invoke(asJwt(request("api-delete-user.json", "DELETE",
                "/users/alice", null), alice));

        assertEquals(200, link.getStatusCode(), link.getBody());
        assertEquals(aliceConnection, api.simulator.requests().last(Endpoint.LOGIN).orElseThrow()
                .bodyField("reconnect"));
        assertEquals(200, secret.getStatusCode(), secret.getBody());
        api.assertNoSecret(secret);
        assertEquals(201, carol.getStatusCode(), carol.getBody());
        assertEquals(200, delete.getStatusCode(), delete.getBody());
        assertFalse(api.simulator.control().users().contains("alice"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("bobsRoutes")
    void jwtModeAnotherUsersRouteIs403AndDisclosesNothing(String route,
                                                          Function<AuthorizationTest, APIGatewayV2HTTPEvent> call) {
        api.useJwt();
        var before = api.snapshot();

        APIGatewayV2HTTPResponse r = api.invoke(asJwt(call.apply(this), Map.of("sub", "alice")));

        assertEquals(403, r.getStatusCode(), r.getBody());
        assertEquals("this token may only act for its own user", error(r));
        assertRefusedWithoutTrace(r, before);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("bobsRoutes")
    void jwtModeWithoutATokenIs401(String route, Function<AuthorizationTest, APIGatewayV2HTTPEvent> call) {
        api.useJwt();
        var before = api.snapshot();

        APIGatewayV2HTTPResponse anonymousCall = api.invoke(anonymous(call.apply(this)));
        APIGatewayV2HTTPResponse iamCall = api.invoke(call.apply(this));

        for (APIGatewayV2HTTPResponse r : List.of(anonymousCall, iamCall)) {
            assertEquals(401, r.getStatusCode(), r.getBody());
            assertEquals("this route needs a bearer token (JWT)", error(r));
            assertRefusedWithoutTrace(r, before);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("bobsRoutes")
    void jwtModeATokenWithoutItsUserClaimIs403(String route,
                                               Function<AuthorizationTest, APIGatewayV2HTTPEvent> call) {
        api.useJwt();
        var before = api.snapshot();
        Map<String, String> noSub = new HashMap<>(Map.of("iss", "https://issuer.example", "aud", "app"));
        Map<String, String> emptySub = new HashMap<>(noSub);
        emptySub.put("sub", "");

        for (Map<String, String> claims : List.of(noSub, emptySub, Map.<String, String>of())) {
            APIGatewayV2HTTPResponse r = api.invoke(asJwt(call.apply(this), claims));

            assertEquals(403, r.getStatusCode(), r.getBody());
            assertEquals("the token has no 'sub' claim naming its user", error(r));
            assertRefusedWithoutTrace(r, before);
        }
    }

    @Test
    void jwtModeAliceCannotReachBobsConnectionThroughHerOwnPath() {
        api.useJwt();
        var before = api.snapshot();

        APIGatewayV2HTTPResponse r = api.invoke(asJwt(request("api-reconnect-link.json", "POST",
                "/users/alice/connections/" + bobConnection + "/reconnect-link", "{\"force\":true}"),
                Map.of("sub", "alice")));

        assertEquals(404, r.getStatusCode());
        assertEquals("user 'alice' has no connection '" + bobConnection + "'", error(r));
        assertSameAsForAConnectionThatDoesNotExist(r, bobConnection, true);
        assertEquals(before, api.snapshot());
        assertEquals(List.of(), api.simulator.requests().all());
    }

    /** The answer is the one a made-up connection id gets: it tells nothing about bob's connection. */
    private void assertSameAsForAConnectionThatDoesNotExist(APIGatewayV2HTTPResponse r, String asked, boolean jwt) {
        String madeUp = java.util.UUID.randomUUID().toString();
        APIGatewayV2HTTPEvent e = request("api-reconnect-link.json", "POST",
                "/users/alice/connections/" + madeUp + "/reconnect-link", "{\"force\":true}");
        APIGatewayV2HTTPResponse other = api.invoke(jwt ? asJwt(e, Map.of("sub", "alice")) : e);
        assertEquals(other.getStatusCode(), r.getStatusCode());
        assertEquals(other.getHeaders(), r.getHeaders());
        assertEquals(other.getBody().replace(madeUp, "ID"), r.getBody().replace(asked, "ID"));
        assertFalse(r.getBody().contains("bob") || r.getBody().contains("QUESTRADE"), r.getBody());
    }

    @Test
    void jwtModeComparesTheDecodedPathUserExactly() {
        api.useJwt();

        APIGatewayV2HTTPResponse encoded = api.invoke(asJwt(request("api-list-connections.json", "GET",
                "/users/al%69ce/connections", null), Map.of("sub", "alice")));
        APIGatewayV2HTTPResponse otherCase = api.invoke(asJwt(request("api-list-connections.json", "GET",
                "/users/Alice/connections", null), Map.of("sub", "alice")));
        APIGatewayV2HTTPResponse prefix = api.invoke(asJwt(request("api-list-connections.json", "GET",
                "/users/bob/connections", null), Map.of("sub", "bo")));

        assertEquals(400, encoded.getStatusCode(), "one spelling per id: " + encoded.getBody());
        assertEquals(403, otherCase.getStatusCode());
        assertEquals(403, prefix.getStatusCode());
        assertFalse(prefix.getBody().contains(bobConnection));
    }

    @Test
    void jwtModeWithAConfiguredUserClaimUsesThatClaimNotSub() {
        api.reconfigure(Map.of(ApiSettings.ENV_AUTH_MODE, "JWT", ApiSettings.ENV_JWT_USER_CLAIM, "custom:appUser"));
        var before = api.snapshot();

        APIGatewayV2HTTPResponse bySub = api.invoke(asJwt(request("api-list-connections.json", "GET",
                "/users/alice/connections", null), Map.of("sub", "alice")));
        APIGatewayV2HTTPResponse byClaim = api.invoke(asJwt(request("api-list-connections.json", "GET",
                "/users/alice/connections", null), Map.of("sub", "bob", "custom:appUser", "alice")));

        assertEquals(403, bySub.getStatusCode());
        assertEquals("the token has no 'custom:appUser' claim naming its user", error(bySub));
        assertEquals(200, byClaim.getStatusCode(), byClaim.getBody());
        assertEquals(before, api.snapshot());
    }

    @Test
    void theLandingIsPublicInEitherMode() {
        APIGatewayV2HTTPResponse link = api.reconnectLink("alice", aliceConnection, null);
        assertEquals(200, link.getStatusCode());
        String state = api.lastState();
        api.useJwt();

        APIGatewayV2HTTPResponse r = api.land(state, "ABANDONED", aliceConnection);

        assertEquals(200, r.getStatusCode(), r.getBody());
        assertTrue(r.getBody().contains("the portal was closed before finishing"), r.getBody());
        RecordedRequest login = api.simulator.requests().last(Endpoint.LOGIN).orElseThrow();
        assertEquals(aliceConnection, login.bodyField("reconnect"));
    }
}
