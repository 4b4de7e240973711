package com.connectionkeeper.api;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent.RequestContext;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.amazonaws.services.lambda.runtime.tests.EventLoader;
import com.connectionkeeper.core.config.EnvironmentConfig;
import com.connectionkeeper.core.store.DynamoStateStore;
import com.connectionkeeper.simulator.SimulatorConfig;
import com.connectionkeeper.simulator.SnapTradeSimulator;
import com.connectionkeeper.testkit.Dynalite;
import com.connectionkeeper.testkit.Fixtures;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ScanRequest;

/**
 * The API function wired exactly as in Lambda (from environment variables) against a fresh dynalite table and a
 * simulated SnapTrade; events come from events/api-*.json, adjusted per test. Close after use.
 */
final class LocalApi implements AutoCloseable {
    static final String CLIENT_ID = "CK-API-TEST-CLIENT";
    static final String CONSUMER_KEY = "ck-api-test-consumer-key-5b1f";
    static final String STATE_KEY = "ck-api-test-reconnect-state-key-0123456789abcdef";
    static final String APP_RETURN = "https://app.example.com/connections/done";
    static final String LANDING = "https://api.example.com/reconnect/return";
    static final ObjectMapper JSON = new ObjectMapper();

    final SnapTradeSimulator simulator;
    final String table;
    final DynamoStateStore store;
    final Map<String, String> env;
    private ApiHandler handler;

    LocalApi() {
        this(UnaryOperator.identity(), Map.of());
    }

    /** With simulator settings of the test's own (e.g. a webhook URL) and extra environment variables. */
    LocalApi(UnaryOperator<SimulatorConfig.Builder> simulatorSettings, Map<String, String> extraEnv) {
        this.simulator = SnapTradeSimulator.start(simulatorSettings.apply(
                SimulatorConfig.builder(CLIENT_ID, CONSUMER_KEY).rateLimit(1_000_000)).build());
        this.table = Dynalite.createTable();
        this.store = new DynamoStateStore(Dynalite.client(), table, Duration.ofDays(1));
        Map<String, String> e = new HashMap<>();
        e.put(EnvironmentConfig.TABLE_NAME, table);
        e.put(EnvironmentConfig.DYNAMODB_ENDPOINT, Dynalite.endpoint().toString());
        e.put(EnvironmentConfig.SNAPTRADE_CONSUMER_KEY, CONSUMER_KEY);
        e.put("SNAPTRADE_CLIENT_ID", CLIENT_ID);
        e.put("SNAPTRADE_BASE_URL", simulator.baseUrl());
        e.put("SNAPTRADE_RETRY_BUDGET_SECONDS", "2");
        e.put(ApiSettings.ENV_STATE_KEY, STATE_KEY);
        e.put(ApiSettings.ENV_ALLOW_LIST, "https://app.example.com/connections,http://localhost:3000");
        e.put(ApiSettings.ENV_LANDING_URL, LANDING);
        e.putAll(extraEnv);
        this.env = Map.copyOf(e);
        this.handler = new ApiHandler(ApiHandler.fromEnvironment(env, Clock.systemUTC()));
    }

    static APIGatewayV2HTTPEvent event(String fixture) {
        return EventLoader.loadApiGatewayHttpEvent(Fixtures.path(fixture).toString());
    }

    /** The fixture with another path (and body, when not null). */
    static APIGatewayV2HTTPEvent event(String fixture, String path, String body) {
        APIGatewayV2HTTPEvent e = event(fixture);
        e.setRawPath(path);
        e.getRequestContext().getHttp().setPath(path);
        if (body != null) {
            e.setBody(body);
        }
        return e;
    }

    /** The event as a JWT caller with these claims (the JWT authorizer's context instead of IAM's). */
    static APIGatewayV2HTTPEvent asJwt(APIGatewayV2HTTPEvent e, Map<String, String> claims) {
        e.getRequestContext().setAuthorizer(RequestContext.Authorizer.builder()
                .withJwt(RequestContext.Authorizer.JWT.builder().withClaims(claims).withScopes(List.of()).build())
                .build());
        return e;
    }

    /** The event with no authorizer context at all (a route left public by mistake). */
    static APIGatewayV2HTTPEvent anonymous(APIGatewayV2HTTPEvent e) {
        e.getRequestContext().setAuthorizer(null);
        return e;
    }

    /** Switches the function to JWT authorization (claim {@code sub}), built again from the environment. */
    void useJwt() {
        Map<String, String> e = new HashMap<>(env);
        e.put(ApiSettings.ENV_AUTH_MODE, "JWT");
        handler = new ApiHandler(ApiHandler.fromEnvironment(e, Clock.systemUTC()));
    }

    APIGatewayV2HTTPResponse invoke(APIGatewayV2HTTPEvent event) {
        return handler.handleRequest(event, null);
    }

    // ---- the routes, as the app would call them (IAM) ----

    APIGatewayV2HTTPResponse register(String userId) {
        return invoke(event("api-register-user.json", "/users", JSON.createObjectNode().put("userId", userId)
                .toString()));
    }

    APIGatewayV2HTTPResponse importSecret(String userId, String secret) {
        return invoke(event("api-import-secret.json", "/users/" + userId + "/secret",
                JSON.createObjectNode().put("userSecret", secret).toString()));
    }

    APIGatewayV2HTTPResponse connections(String userId) {
        return invoke(event("api-list-connections.json", "/users/" + userId + "/connections", null));
    }

    APIGatewayV2HTTPResponse reconnectLink(String userId, String connectionId, String body) {
        APIGatewayV2HTTPEvent e = event("api-reconnect-link.json",
                "/users/" + userId + "/connections/" + connectionId + "/reconnect-link", body);
        if (body == null) {
            e.setBody(null);
        }
        return invoke(e);
    }

    APIGatewayV2HTTPResponse delete(String userId) {
        return invoke(event("api-delete-user.json", "/users/" + userId, null));
    }

    /** The return landing with exactly this query (as the browser brings it back from the portal). */
    APIGatewayV2HTTPResponse land(Map<String, String> query) {
        APIGatewayV2HTTPEvent e = event("api-reconnect-return.json");
        e.setQueryStringParameters(query);
        e.setRawQueryString(null);
        return invoke(e);
    }

    /** The landing for a redirect URL the portal sent the browser to (our LANDING plus its query). */
    APIGatewayV2HTTPResponse landAt(String location) {
        URI uri = URI.create(location);
        if (!location.startsWith(LANDING + "?")) {
            throw new AssertionError("the portal did not send the browser to our landing: " + location);
        }
        return land(query(uri.getRawQuery()));
    }

    static Map<String, String> query(String rawQuery) {
        Map<String, String> out = new LinkedHashMap<>();
        if (rawQuery == null || rawQuery.isEmpty()) {
            return out;
        }
        for (String pair : rawQuery.split("&")) {
            int eq = pair.indexOf('=');
            out.put(URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8),
                    eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
        }
        return out;
    }

    static JsonNode body(APIGatewayV2HTTPResponse response) {
        try {
            return JSON.readTree(response.getBody());
        } catch (IOException e) {
            throw new AssertionError("body is not JSON: " + response.getBody(), e);
        }
    }

    static String error(APIGatewayV2HTTPResponse response) {
        return body(response).path("error").asText(null);
    }

    /** Every item of the table, for "nothing changed" checks. */
    List<Map<String, AttributeValue>> scan() {
        return Dynalite.client().scanPaginator(ScanRequest.builder().tableName(table).consistentRead(true).build())
                .items().stream().toList();
    }

    @Override
    public void close() {
        simulator.close();
    }
}
