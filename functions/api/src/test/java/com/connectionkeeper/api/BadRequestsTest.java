package com.connectionkeeper.api;

import static com.connectionkeeper.api.LocalApi.body;
import static com.connectionkeeper.api.LocalApi.error;
import static com.connectionkeeper.api.LocalApi.request;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * What the API refuses before doing anything: bodies that are not the expected JSON object, ids that cannot be ids,
 * wrong methods, unknown routes, oversized bodies. Each gets its status with {@code {"error": …}} (and Allow for a
 * 405), the table stays as it was, and SnapTrade is not asked.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BadRequestsTest {
    private static final String LINK = "/users/alice/connections/CONN/reconnect-link";

    /** '.' and '..' as ids: their paths ({@code /users/../connections}) are normalised away by clients and SigV4. */
    static final String DOT_SEGMENT = " must not be '.' or '..': clients and SigV4 remove such path segments, so "
            + "its routes could never be reached as such";

    private LocalApi api;
    private String c;

    /** One function, table and simulator for the class: a refusal changes nothing, which each test checks. */
    @BeforeAll
    void start() {
        api = new LocalApi();
        c = api.importedUser("alice", "!ALPACA:trade").get(0);
    }

    @BeforeEach
    void forgetRequests() {
        api.simulator.requests().clear();
    }

    @AfterAll
    void stop() {
        api.close();
    }

    private APIGatewayV2HTTPResponse call(String method, String path, String body) {
        String fixture = switch (method) {
            case "PUT" -> "api-import-secret.json";
            case "DELETE" -> "api-delete-user.json";
            case "GET" -> "api-list-connections.json";
            default -> path.endsWith("reconnect-link") ? "api-reconnect-link.json" : "api-register-user.json";
        };
        return api.invoke(request(fixture, method, path.replace("CONN", c), body));
    }

    /** The refusal: status, exactly this error as the only field, nothing changed, SnapTrade not asked. */
    private void assertRefused(APIGatewayV2HTTPResponse r, int status, String message, List<?> before) {
        assertEquals(status, r.getStatusCode(), r.getBody());
        assertEquals("application/json", r.getHeaders().get("content-type"));
        assertEquals(1, body(r).size(), r.getBody());
        assertEquals(message, error(r));
        assertNull(r.getHeaders().get("location"));
        assertEquals(before, api.snapshot(), "the table is unchanged");
        assertEquals(List.of(), api.simulator.requests().all(), "SnapTrade was not asked");
        api.assertNoSecret(r);
    }

    static Stream<Arguments> badBodies() {
        String users = "POST /users";
        String secret = "PUT /users/alice/secret";
        String link = "POST " + LINK;
        String required = "a JSON object body is required";
        String notJson = "the body is not valid JSON";
        String notObject = "the body must be a JSON object";
        String userIdNotString = "'userId' must be a non-empty string";
        String badChar = "userId contains a character that is not allowed (control, '/')";
        List<Arguments> cases = new ArrayList<>(List.of(
                // POST /users
                Arguments.of(users, null, required),
                Arguments.of(users, "", required),
                Arguments.of(users, " \n ", required),
                Arguments.of(users, "{not json", notJson),
                Arguments.of(users, "{\"userId\":\"alice\"", notJson),
                Arguments.of(users, "{'userId':'alice'}", notJson),
                Arguments.of(users, "userId=alice", notJson),
                Arguments.of(users, "{\"userId\":\"alice\"} {\"userId\":\"bob\"}", notJson),
                Arguments.of(users, "{\"userId\":\"alice\"}]", notJson),
                Arguments.of(users, "{\"userId\":\"alice\",\"userId\":\"bob\"}", "the body names a field twice"),
                Arguments.of(users, "{\"userId\":\"   \"}", "userId must not be only whitespace"),
                Arguments.of(users, "{\"userId\":\".\"}", "userId" + DOT_SEGMENT),
                Arguments.of(users, "{\"userId\":\"..\"}", "userId" + DOT_SEGMENT),
                Arguments.of(users, "[]", notObject),
                Arguments.of(users, "[{\"userId\":\"alice\"}]", notObject),
                Arguments.of(users, "\"alice\"", notObject),
                Arguments.of(users, "42", notObject),
                Arguments.of(users, "null", notObject),
                Arguments.of(users, "true", notObject),
                Arguments.of(users, "{\"userId\":\"alice\",\"admin\":true}", "unknown field 'admin'; allowed: userId"),
                Arguments.of(users, "{\"userid\":\"alice\"}", "unknown field 'userid'; allowed: userId"),
                Arguments.of(users, "{}", "'userId' is required"),
                Arguments.of(users, "{\"userId\":null}", "'userId' is required"),
                Arguments.of(users, "{\"userId\":42}", userIdNotString),
                Arguments.of(users, "{\"userId\":\"\"}", userIdNotString),
                Arguments.of(users, "{\"userId\":true}", userIdNotString),
                Arguments.of(users, "{\"userId\":[\"alice\"]}", userIdNotString),
                Arguments.of(users, "{\"userId\":{\"id\":\"alice\"}}", userIdNotString),
                Arguments.of(users, "{\"userId\":\"" + "a".repeat(256) + "\"}",
                        "'userId' is longer than 255 characters"),
                Arguments.of(users, "{\"userId\":\"al\\u0000ice\"}", badChar),
                Arguments.of(users, "{\"userId\":\"al\\nice\"}", badChar),
                Arguments.of(users, "{\"userId\":\"al\\u007fice\"}", badChar),
                Arguments.of(users, "{\"userId\":\"al/ice\"}", badChar),
                Arguments.of(users, "{\"userId\":\"al\\ud800ice\"}", badChar),
                // PUT /users/{userId}/secret
                Arguments.of(secret, null, required),
                Arguments.of(secret, "{\"userSecret\":", notJson),
                Arguments.of(secret, "[\"s3cr3t\"]", notObject),
                Arguments.of(secret, "{}", "'userSecret' is required"),
                Arguments.of(secret, "{\"userSecret\":null}", "'userSecret' is required"),
                Arguments.of(secret, "{\"userSecret\":123}", "'userSecret' must be a non-empty string"),
                Arguments.of(secret, "{\"userSecret\":\"\"}", "'userSecret' must be a non-empty string"),
                Arguments.of(secret, "{\"secret\":\"abc\"}", "unknown field 'secret'; allowed: userSecret"),
                Arguments.of(secret, "{\"userSecret\":\"abc\",\"userId\":\"bob\"}",
                        "unknown field 'userId'; allowed: userSecret"),
                Arguments.of(secret, "{\"userSecret\":\"" + "s".repeat(1025) + "\"}",
                        "'userSecret' is longer than 1024 characters"),
                // POST …/reconnect-link (the body is optional, but not anything)
                Arguments.of(link, "{not json", notJson),
                Arguments.of(link, "[]", notObject),
                Arguments.of(link, "null", notObject),
                Arguments.of(link, "\"force\"", notObject),
                Arguments.of(link, "{\"redirectURL\":\"https://app.example.com/connections\"}",
                        "unknown field 'redirectURL'; allowed: darkMode, force, immediateRedirect, redirectUrl"),
                Arguments.of(link, "{\"connectionType\":\"read\"}",
                        "unknown field 'connectionType'; allowed: darkMode, force, immediateRedirect, redirectUrl"),
                Arguments.of(link, "{\"force\":\"yes\"}", "'force' must be true or false"),
                Arguments.of(link, "{\"force\":1}", "'force' must be true or false"),
                Arguments.of(link, "{\"darkMode\":\"true\"}", "'darkMode' must be true or false"),
                Arguments.of(link, "{\"immediateRedirect\":0}", "'immediateRedirect' must be true or false"),
                Arguments.of(link, "{\"redirectUrl\":5}", "'redirectUrl' must be a non-empty string"),
                Arguments.of(link, "{\"redirectUrl\":\"\"}", "'redirectUrl' must be a non-empty string"),
                Arguments.of(link, "{\"redirectUrl\":[\"https://app.example.com/connections\"]}",
                        "'redirectUrl' must be a non-empty string"),
                Arguments.of(link, "{\"redirectUrl\":\"https://app.example.com/connections/"
                        + "x".repeat(2048) + "\"}", "'redirectUrl' is longer than 2048 characters")));
        return cases.stream();
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("badBodies")
    void aBodyThatIsNotTheExpectedObjectIs400(String route, String body, String message) {
        var before = api.snapshot();
        String[] mp = route.split(" ", 2);

        APIGatewayV2HTTPResponse r = call(mp[0], mp[1], body);

        assertRefused(r, 400, message, before);
    }

    static Stream<Arguments> badIds() {
        String escape = " has a malformed percent-escape";
        String badChar = " contains a character that is not allowed (control, '/')";
        String utf8 = " is not valid UTF-8";
        List<Arguments> cases = new ArrayList<>();
        for (String template : List.of("GET /users/{u}/connections", "PUT /users/{u}/secret", "DELETE /users/{u}",
                "POST /users/{u}/connections/{c}/reconnect-link")) {
            for (String[] bad : new String[][] {
                {"%zz", escape}, {"%4", escape}, {"%", escape}, {"al%xyce", escape}, {"alice%", escape},
                {"ali%CE", utf8},
                {"%G1", escape}, {"%00", badChar}, {"al%0Aice", badChar}, {"%7F", badChar}, {"%1B", badChar},
                {"al%2Fice", badChar}, {"%C3%28", utf8}, {"%ED%A0%80", utf8},
                {"%FF", utf8}, {"%E2%82", utf8}, {"a".repeat(256), " is longer than 255 characters"},
                {"%C3%A9".repeat(256), " is longer than 255 characters"},
                {".", DOT_SEGMENT}, {"..", DOT_SEGMENT},
            }) {
                cases.add(Arguments.of(template.replace("{u}", bad[0]).replace("{c}", "CONN"), "userId" + bad[1]));
                if (template.contains("{c}")) {
                    cases.add(Arguments.of(template.replace("{u}", "alice").replace("{c}", bad[0]),
                            "connectionId" + bad[1]));
                }
            }
        }
        cases.add(Arguments.of("GET /users//connections", "userId is required"));
        cases.add(Arguments.of("POST /users/alice/connections//reconnect-link", "connectionId is required"));
        return cases.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badIds")
    void aPathIdThatCannotBeAnIdIs400(String route, String message) {
        var before = api.snapshot();
        String[] mp = route.split(" ", 2);

        APIGatewayV2HTTPResponse r = call(mp[0], mp[1], mp[0].equals("PUT") ? "{\"userSecret\":\"x\"}" : null);

        assertRefused(r, 400, message, before);
    }

    static Stream<Arguments> nonCanonicalIds() {
        List<Arguments> cases = new ArrayList<>();
        List<String> users = List.of("%61lice", "al%69ce", "alic%65", "%61%6C%69%63%65", "%41lice", "alice%2D",
                "al%7Eice", "al%5Fice", "al%2Eice", "ali+ce", "ali!ce", "alice;x", "al:ice", "al@ice", "a'lice",
                "a(lice)", "a*lice", "a,lice", "a=lice", "a$lice", "a&lice", "zoë", "al%c3%abice", "al%2fice",
                "al\u0001ice");
        for (String template : List.of("GET /users/{u}/connections", "PUT /users/{u}/secret", "DELETE /users/{u}",
                "POST /users/{u}/connections/{c}/reconnect-link")) {
            for (String u : users) {
                cases.add(Arguments.of(template.replace("{u}", u).replace("{c}", "CONN"),
                        "userId" + Ids.NOT_CANONICAL));
            }
            if (template.contains("{c}")) {
                for (String conn : List.of("%CONN0", "CONN%2D", "CONN%2d", "CONN+", "CONN%7E")) {
                    cases.add(Arguments.of(template.replace("{u}", "alice").replace("{c}", conn),
                            "connectionId" + Ids.NOT_CANONICAL));
                }
            }
        }
        return cases.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("nonCanonicalIds")
    void anIdSpelledOtherwiseThanItsOneCanonicalFormIs400AndChangesNothing(String route, String message) {
        var before = api.snapshot();
        String[] mp = route.split(" ", 2);
        // "%CONN0": the connection id's first character percent-encoded (an escape of an unreserved character)
        String path = mp[1].replace("%CONN0", String.format("%%%02X", (int) c.charAt(0)) + c.substring(1));

        APIGatewayV2HTTPResponse r = call(mp[0], path, mp[0].equals("PUT") ? "{\"userSecret\":\"x\"}"
                : mp[0].equals("POST") ? "{\"force\":true}" : null);

        assertRefused(r, 400, message, before);
        assertTrue(api.simulator.control().users().contains("alice"), "not deleted at SnapTrade");
    }

    @Test
    void theCanonicalSpellingOfAnIdIsServed() {
        APIGatewayV2HTTPResponse r = call("GET", "/users/alice/connections", null);

        assertEquals(200, r.getStatusCode(), r.getBody());
        assertEquals("alice", body(r).path("userId").asText());
        assertEquals(c, body(r).path("connections").get(0).path("connectionId").asText());
    }

    @Test
    void aPercentEncodedUtf8IdIsDecodedAsUtf8() {
        api.secrets.saveUserSecret("zoë 🙂+1", "zoe-secret-0001"); // a user known here only

        APIGatewayV2HTTPResponse listed = call("GET", "/users/zo%C3%AB%20%F0%9F%99%82%2B1/connections", null);

        assertEquals(200, listed.getStatusCode(), listed.getBody());
        assertEquals("zoë 🙂+1", body(listed).path("userId").asText());
        api.assertNoSecret(listed, "zoe-secret-0001");
    }

    static Stream<Arguments> wrongMethods() {
        return Stream.of(
                Arguments.of("GET", "/users", "POST"),
                Arguments.of("PUT", "/users", "POST"),
                Arguments.of("DELETE", "/users", "POST"),
                Arguments.of("GET", "/users/alice", "DELETE"),
                Arguments.of("POST", "/users/alice", "DELETE"),
                Arguments.of("PUT", "/users/alice", "DELETE"),
                Arguments.of("GET", "/users/alice/secret", "PUT"),
                Arguments.of("POST", "/users/alice/secret", "PUT"),
                Arguments.of("DELETE", "/users/alice/secret", "PUT"),
                Arguments.of("POST", "/users/alice/connections", "GET"),
                Arguments.of("DELETE", "/users/alice/connections", "GET"),
                Arguments.of("HEAD", "/users/alice/connections", "GET"),
                Arguments.of("GET", LINK, "POST"),
                Arguments.of("PUT", LINK, "POST"),
                Arguments.of("DELETE", LINK, "POST"),
                Arguments.of("POST", "/reconnect/return", "GET"),
                Arguments.of("PATCH", "/reconnect/return", "GET"));
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("wrongMethods")
    void aWrongMethodIs405WithAllow(String method, String path, String allowed) {
        var before = api.snapshot();

        APIGatewayV2HTTPResponse r = call(method, path, "{\"userId\":\"alice\"}");

        assertRefused(r, 405, "method " + method + " not allowed here; use " + allowed, before);
        assertEquals(allowed, r.getHeaders().get("allow"));
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("unknownRoutes")
    void anUnknownRouteIs404(String method, String path) {
        var before = api.snapshot();

        APIGatewayV2HTTPResponse r = call(method, path, null);

        assertRefused(r, 404, "no route " + method + " " + path.replace("CONN", c), before);
    }

    static Stream<Arguments> unknownRoutes() {
        return Stream.of(
                Arguments.of("GET", "/"),
                Arguments.of("GET", "/nope"),
                Arguments.of("POST", "/user"),
                Arguments.of("GET", "/users/alice/secrets"),
                Arguments.of("PUT", "/users/alice/connections/CONN"),
                Arguments.of("GET", "/users/alice/connections/CONN"),
                Arguments.of("POST", "/users/alice/connections/CONN/reconnect"),
                Arguments.of("POST", "/users/alice/connections/CONN/reconnect-link/again"),
                Arguments.of("POST", "/users/alice/accounts/CONN/reconnect-link"),
                Arguments.of("GET", "/reconnect"),
                Arguments.of("GET", "/reconnect/return/x"),
                Arguments.of("POST", "/webhooks/snaptrade"));
    }

    // ---- size ----

    /** {"userId":"…"} padded with JSON whitespace to exactly {@code size} UTF-8 bytes. */
    private static String paddedBody(String userId, int size) {
        String core = "{\"userId\":\"" + userId + "\"";
        int pad = size - core.getBytes(StandardCharsets.UTF_8).length - 1;
        return core + " ".repeat(pad) + "}";
    }

    @Test
    void aBodyOfExactly64KiBIsServed() {
        String body = paddedBody("carol", 64 * 1024);
        assertEquals(65536, body.getBytes(StandardCharsets.UTF_8).length);

        APIGatewayV2HTTPResponse r = call("POST", "/users", body);

        assertEquals(201, r.getStatusCode(), r.getBody());
    }

    @Test
    void aBodyOver64KiBIs413AndNothingHappens() {
        var before = api.snapshot();

        APIGatewayV2HTTPResponse r = call("POST", "/users", paddedBody("frank", 64 * 1024 + 1));

        assertRefused(r, 413, "the body is larger than 65536 bytes", before);
        assertTrue(api.simulator.control().users().stream().noneMatch("frank"::equals));
    }

    @Test
    void theLimitIsInBytesNotCharacters() {
        var before = api.snapshot();
        // 40,000 two-byte characters: fewer than 65,536 characters, but 80 KB
        String body = "{\"userSecret\":\"" + "é".repeat(40_000) + "\"}";

        APIGatewayV2HTTPResponse r = call("PUT", "/users/alice/secret", body);

        assertRefused(r, 413, "the body is larger than 65536 bytes", before);
    }

    @Test
    void anOversizedBodyIs413OnEveryRoute() {
        var before = api.snapshot();
        String big = "{\"force\":true" + " ".repeat(70_000) + "}";

        for (String[] route : new String[][] {{"POST", LINK}, {"GET", "/users/alice/connections"},
                {"POST", "/nope"}}) {
            assertRefused(call(route[0], route[1], big), 413, "the body is larger than 65536 bytes", before);
        }
    }

    @Test
    void aBase64EncodedBodyIsDecodedFirst() {
        APIGatewayV2HTTPEvent e = request("api-register-user.json", "POST", "/users",
                Base64.getEncoder().encodeToString("{\"userId\":\"dave\"}".getBytes(StandardCharsets.UTF_8)));
        e.setIsBase64Encoded(true);
        APIGatewayV2HTTPEvent big = request("api-register-user.json", "POST", "/users",
                Base64.getEncoder().encodeToString(paddedBody("erin", 64 * 1024 + 1).getBytes(StandardCharsets.UTF_8)));
        big.setIsBase64Encoded(true);

        APIGatewayV2HTTPResponse r = api.invoke(e);
        APIGatewayV2HTTPResponse tooBig = api.invoke(big);

        assertEquals(201, r.getStatusCode(), r.getBody());
        assertEquals("dave", body(r).path("userId").asText());
        assertEquals(413, tooBig.getStatusCode());
        assertTrue(api.simulator.control().users().stream().noneMatch("erin"::equals));
    }

    @Test
    void aBodyFlaggedBase64ThatIsNotIsRefused() {
        APIGatewayV2HTTPEvent e = request("api-register-user.json", "POST", "/users", "{\"userId\":\"mallory\"}");
        e.setIsBase64Encoded(true);
        var before = api.snapshot();

        APIGatewayV2HTTPResponse r = api.invoke(e);

        assertRefused(r, 400, "the body is flagged base64 but is not", before);
    }
}
