package com.connectionkeeper.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.connectionkeeper.api.ApiRequest.Caller;
import com.connectionkeeper.testkit.CloudFormationTemplate;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Iterator;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.BiConsumer;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The API's route table: keyed by API Gateway's routeKey, exactly template.yaml's routes to ApiFunction (a check that
 * is shown to fail for a template whose routes differ), and a routeKey the table does not serve answered as an unknown
 * route was answered before the table: 405 with Allow for a known path, else 404.
 */
class RouteTableTest {
    private static final String API_TARGET = "integrations/${ApiIntegration}";
    private static final Map<String, String> JSON = Map.of("content-type", "application/json");
    /** The table alone: no route below reaches a service. */
    private final Api api = new Api(null, null, new Access(Access.Mode.IAM, "sub"));

    /** The routes template.yaml sends to ApiFunction. */
    static Set<String> apiRoutes(CloudFormationTemplate template) {
        return LocalApi.declaredRoutes(template).entrySet().stream()
                .filter(route -> API_TARGET.equals(route.getValue().path("Target").path("Fn::Sub").asText()))
                .map(Map.Entry::getKey).collect(Collectors.toCollection(TreeSet::new));
    }

    /** Fails, naming the difference, unless {@code table} is exactly the template's routes to ApiFunction. */
    static void assertTableIsTheTemplates(Set<String> table, CloudFormationTemplate template) {
        Set<String> declared = apiRoutes(template);
        Set<String> onlyTable = new TreeSet<>(table);
        onlyTable.removeAll(declared);
        Set<String> onlyTemplate = new TreeSet<>(declared);
        onlyTemplate.removeAll(table);
        if (!onlyTable.isEmpty() || !onlyTemplate.isEmpty()) {
            throw new AssertionError("the route table and template.yaml's routes to ApiFunction differ: only in the "
                    + "table " + onlyTable + ", only in template.yaml " + onlyTemplate);
        }
    }

    @Test
    void theTableServesExactlyTheTemplatesRoutesToTheApiFunction() {
        assertTableIsTheTemplates(Api.routeKeys(), CloudFormationTemplate.load());
        assertEquals(7, Api.routeKeys().size(), Api.routeKeys().toString());
    }

    /** template.yaml as a tree, with the route whose RouteKey is {@code key} changed by {@code change}. */
    private static CloudFormationTemplate withRoute(String key, BiConsumer<ObjectNode, String> change) {
        JsonNode tree = CloudFormationTemplate.load().tree();
        ObjectNode resources = (ObjectNode) tree.path("Resources");
        for (Iterator<String> ids = resources.fieldNames(); ids.hasNext(); ) {
            String id = ids.next();
            if (key.equals(resources.path(id).path("Properties").path("RouteKey").asText())) {
                change.accept(resources, id);
                return CloudFormationTemplate.parse(tree.toString());
            }
        }
        throw new AssertionError("template.yaml has no route " + key);
    }

    @Test
    void theCheckFailsForATemplateWithARouteRemoved() {
        CloudFormationTemplate removed = withRoute("DELETE /users/{userId}", ObjectNode::remove);

        AssertionError e = assertThrows(AssertionError.class,
                () -> assertTableIsTheTemplates(Api.routeKeys(), removed));

        assertEquals("the route table and template.yaml's routes to ApiFunction differ: only in the table "
                + "[DELETE /users/{userId}], only in template.yaml []", e.getMessage());
    }

    @Test
    void theCheckFailsForATemplateWithARouteRenamed() {
        CloudFormationTemplate renamed = withRoute("GET /users/{userId}/connections", (resources, id) ->
                ((ObjectNode) resources.path(id).path("Properties")).put("RouteKey", "GET /users/{userId}/links"));

        AssertionError e = assertThrows(AssertionError.class,
                () -> assertTableIsTheTemplates(Api.routeKeys(), renamed));

        assertEquals("the route table and template.yaml's routes to ApiFunction differ: only in the table "
                + "[GET /users/{userId}/connections], only in template.yaml [GET /users/{userId}/links]",
                e.getMessage());
    }

    @Test
    void theCheckFailsForARouteAddedToTheTemplateOnly() {
        CloudFormationTemplate added = withRoute("DELETE /users/{userId}", (resources, id) -> {
            ObjectNode copy = resources.path(id).deepCopy();
            ((ObjectNode) copy.path("Properties")).put("RouteKey", "GET /users/{userId}/accounts");
            resources.set("AccountsRoute", copy);
        });

        assertThrows(AssertionError.class, () -> assertTableIsTheTemplates(Api.routeKeys(), added));
        assertThrows(AssertionError.class, () -> assertTableIsTheTemplates(Set.of(), CloudFormationTemplate.load()));
    }

    private ApiResponse call(String routeKey, String method, String path) {
        return api.handle(new ApiRequest(routeKey, method, path, Map.of(), null, new Caller(Caller.Kind.IAM,
                Map.of()), "req-1", "api.example.com"));
    }

    private static void assertAnswer(ApiResponse r, int status, String body, Map<String, String> headers) {
        assertEquals(status, r.status(), r.body());
        assertEquals(body, r.body());
        assertEquals(headers, r.headers());
    }

    @Test
    void anUnknownRouteKeyIsAnsweredAsAnUnknownRoute() {
        for (String key : new String[] {"$default", "GET /users/{userId}/accounts", "", null}) {
            assertAnswer(call(key, "GET", "/nope"), 404, "{\"error\":\"no route GET /nope\"}",
                    JSON);
            assertAnswer(call(key, "GET", "/users/alice/accounts"), 404,
                    "{\"error\":\"no route GET /users/alice/accounts\"}", JSON);
            assertAnswer(call(key, "DELETE", "/users"), 405,
                    "{\"error\":\"method DELETE not allowed here; use POST\"}",
                    Map.of("allow", "POST", "content-type", "application/json"));
            assertAnswer(call(key, "GET", "/users/al%zzice/accounts"), 400,
                    "{\"error\":\"userId has a malformed percent-escape\"}", JSON);
        }
    }

    @Test
    void aRouteKeyWhoseRequestIsNotItsShapeIsAnsweredFromThePath() {
        // API Gateway never sends these; should the key and the request disagree, the raw path decides as before
        assertAnswer(call("GET /users/{userId}/connections", "GET", "/users/alice/connections/c1"), 404,
                "{\"error\":\"no route GET /users/alice/connections/c1\"}", JSON);
        assertAnswer(call("GET /users/{userId}/connections", "POST", "/users/alice/connections"), 405,
                "{\"error\":\"method POST not allowed here; use GET\"}",
                Map.of("allow", "GET", "content-type", "application/json"));
        assertAnswer(call("POST /users", "GET", "/users"), 405,
                "{\"error\":\"method GET not allowed here; use POST\"}",
                Map.of("allow", "POST", "content-type", "application/json"));
    }

    @Test
    void aServedRouteReadsItsIdsFromTheRawPathAndChecksAccessFirst() {
        ApiResponse badId = call("DELETE /users/{userId}", "DELETE", "/users/al%69ce");
        ApiResponse anonymous = api.handle(new ApiRequest("DELETE /users/{userId}", "DELETE", "/users/alice",
                Map.of(), null, Caller.NONE, "req-2", "api.example.com"));

        assertAnswer(badId, 400, "{\"error\":\"userId" + Ids.NOT_CANONICAL + "\"}",
                JSON);
        assertAnswer(anonymous, 401, "{\"error\":\"this route needs IAM (SigV4) authorization\"}",
                JSON);
    }

    @Test
    void aRouteKeyLinesUpTheRawPathWithItsParameters() {
        RouteKey link = RouteKey.parse("POST /users/{userId}/connections/{connectionId}/reconnect-link");

        assertEquals("POST", link.method());
        assertEquals("/users/{userId}/connections/{connectionId}/reconnect-link", link.path());
        assertEquals(Optional.of(Map.of("userId", "al%69ce", "connectionId", "c1")),
                link.parameters("/users/al%69ce/connections/c1/reconnect-link"));
        assertEquals(Optional.of(Map.of("userId", "alice", "connectionId", "")),
                link.parameters("/users/alice/connections//reconnect-link/"));
        assertEquals(Optional.empty(), link.parameters("/users/alice/connections/c1/reconnect"));
        assertEquals(Optional.empty(), link.parameters("/users/alice/connections/c1/reconnect-link/x"));
        assertTrue(link.matches("POST", "/users/a/connections/c/reconnect-link"));
        assertTrue(!link.matches("GET", "/users/a/connections/c/reconnect-link"));
        assertTrue(!link.matches(null, "/users/a/connections/c/reconnect-link"));
        assertEquals(Optional.of(Map.of()), RouteKey.parse("POST /users").parameters("/users/"));
        assertThrows(IllegalArgumentException.class, () -> RouteKey.parse("$default"));
        assertThrows(IllegalArgumentException.class, () -> RouteKey.parse("GET users"));
    }
}
