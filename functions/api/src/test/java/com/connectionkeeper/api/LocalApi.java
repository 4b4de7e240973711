package com.connectionkeeper.api;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent.RequestContext;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.amazonaws.services.lambda.runtime.tests.EventLoader;
import com.connectionkeeper.accounts.AccountStore;
import com.connectionkeeper.api.store.DynamoAccountStore;
import com.connectionkeeper.core.config.EnvironmentConfig;
import com.connectionkeeper.core.ingest.ConnectionStore;
import com.connectionkeeper.core.secrets.LocalSealer;
import com.connectionkeeper.core.secrets.SecretStore;
import com.connectionkeeper.core.snaptrade.SnapTradeGateway;
import com.connectionkeeper.kms.Sealers;
import com.connectionkeeper.simulator.Endpoint;
import com.connectionkeeper.simulator.SimulatorConfig;
import com.connectionkeeper.simulator.SnapTradeSimulator;
import com.connectionkeeper.simulator.WebhookDelivery;
import com.connectionkeeper.snaptrade.SnapTradeSdkGateway;
import com.connectionkeeper.snaptrade.SnapTradeSettings;
import com.connectionkeeper.store.DynamoConnectionStore;
import com.connectionkeeper.store.DynamoSecretStore;
import com.connectionkeeper.store.DynamoStores;
import com.connectionkeeper.store.DynamoSweepQueue;
import com.connectionkeeper.testkit.CloudFormationTemplate;
import com.connectionkeeper.testkit.Dynalite;
import com.connectionkeeper.testkit.Fixtures;
import com.connectionkeeper.testkit.HttpApiInvoker;
import com.connectionkeeper.testkit.MutableClock;
import com.connectionkeeper.webhook.WebhookEndpoint;
import com.connectionkeeper.webhook.WebhookHandler;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
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
    final DynamoConnectionStore connections;
    final DynamoSecretStore secrets;
    final DynamoSweepQueue sweepQueue;
    final DynamoAccountStore accounts;
    final Map<String, String> env;
    /** The function's clock (the simulator and dynalite keep real time): move it to expire a reconnect state. */
    final MutableClock clock = new MutableClock();
    /** The local sealing key of this API's users' secrets (the handler's and the test's stores share it). */
    final String sealingKey = LocalSealer.newKeyBase64();
    private ApiHandler handler;
    private WebhookHandler webhooks;

    LocalApi() {
        this(UnaryOperator.identity(), Map.of());
    }

    /** With simulator settings of the test's own (e.g. a webhook URL) and extra environment variables. */
    LocalApi(UnaryOperator<SimulatorConfig.Builder> simulatorSettings, Map<String, String> extraEnv) {
        this.simulator = SnapTradeSimulator.start(simulatorSettings.apply(
                SimulatorConfig.builder(CLIENT_ID, CONSUMER_KEY).rateLimit(1_000_000)).build());
        this.table = Dynalite.createTable();
        DynamoStores stores = DynamoStores.create(Dynalite.client(), table, Duration.ofDays(1),
                LocalSealer.fromBase64(sealingKey, "test key"));
        this.connections = stores.connections();
        this.secrets = stores.secrets();
        this.sweepQueue = stores.sweepQueue();
        this.accounts = new DynamoAccountStore(stores.table());
        Map<String, String> e = new HashMap<>();
        e.put(EnvironmentConfig.TABLE_NAME, table);
        e.put(EnvironmentConfig.DYNAMODB_ENDPOINT, Dynalite.endpoint().toString());
        e.put(EnvironmentConfig.SNAPTRADE_CONSUMER_KEY, CONSUMER_KEY);
        e.put("SNAPTRADE_CLIENT_ID", CLIENT_ID);
        e.put("SNAPTRADE_BASE_URL", simulator.baseUrl());
        e.put("SNAPTRADE_RETRY_BUDGET_SECONDS", "2");
        e.put(ApiSettings.ENV_STATE_KEY, STATE_KEY);
        e.put(Sealers.SECRET_SEALING, Sealers.LOCAL);
        e.put(Sealers.SECRET_SEALING_KEY, sealingKey);
        e.put(ApiSettings.ENV_ALLOW_LIST, "https://app.example.com/connections,http://localhost:3000");
        e.put(ApiSettings.ENV_LANDING_URL, LANDING);
        e.putAll(extraEnv);
        this.env = Map.copyOf(e);
        this.handler = new ApiHandler(ApiHandler.fromConfig(new EnvironmentConfig(env), clock));
    }

    static APIGatewayV2HTTPEvent event(String fixture) {
        return EventLoader.loadApiGatewayHttpEvent(Fixtures.path(fixture).toString());
    }

    /** The fixture with another path (and body, when not null), and the routeKey API Gateway gives that path. */
    static APIGatewayV2HTTPEvent event(String fixture, String path, String body) {
        APIGatewayV2HTTPEvent e = event(fixture);
        e.setRawPath(path);
        e.getRequestContext().getHttp().setPath(path);
        if (body != null) {
            e.setBody(body);
        }
        return routed(e);
    }

    /** The fixture with another method, path and body (null: no body at all), and their routeKey. */
    static APIGatewayV2HTTPEvent request(String fixture, String method, String path, String body) {
        APIGatewayV2HTTPEvent e = event(fixture, path, null);
        e.getRequestContext().getHttp().setMethod(method);
        e.setBody(body);
        return routed(e);
    }

    /** Every route template.yaml declares (any function's), by its RouteKey: the route's properties. */
    static Map<String, JsonNode> declaredRoutes(CloudFormationTemplate template) {
        Map<String, JsonNode> routes = new TreeMap<>();
        for (String id : template.resourcesOfType("AWS::ApiGatewayV2::Route")) {
            JsonNode properties = template.resource(id).path("Properties");
            routes.put(properties.path("RouteKey").asText(), properties);
        }
        return routes;
    }

    /**
     * The event with the routeKey API Gateway would give it: the route of template.yaml its method and path match,
     * else {@code $default} (the function then answers as for an unknown route).
     */
    static APIGatewayV2HTTPEvent routed(APIGatewayV2HTTPEvent e) {
        String method = e.getRequestContext().getHttp().getMethod();
        String key = declaredRoutes(CloudFormationTemplate.load()).keySet().stream()
                .filter(k -> RouteKey.parse(k).matches(method, e.getRawPath())).findFirst().orElse("$default");
        e.setRouteKey(key);
        e.getRequestContext().setRouteKey(key);
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
        reconfigure(Map.of(ApiSettings.ENV_AUTH_MODE, "JWT"));
    }

    /** Builds the function again from the environment with these variables changed (same table, simulator, clock). */
    void reconfigure(Map<String, String> changes) {
        Map<String, String> e = new HashMap<>(env);
        e.putAll(changes);
        handler = new ApiHandler(ApiHandler.fromConfig(new EnvironmentConfig(e), clock));
    }

    /** The table's adapters, one for each port the API's services take (for a proxy over them, see FailingStore). */
    List<Object> ports() {
        return List.of(connections, secrets, accounts, sweepQueue);
    }

    /**
     * Builds the function again with the reconnect service on {@code reconnectStore} (a ConnectionStore, SecretStore
     * and AccountStore wrapping {@link #ports}, e.g. one that fails on a chosen write); users as usual.
     */
    void useReconnectStore(Object reconnectStore) {
        ApiSettings settings = ApiSettings.from(new EnvironmentConfig(env));
        SnapTradeGateway gateway = SnapTradeSdkGateway.create(SnapTradeSettings.from(new EnvironmentConfig(env)));
        handler = new ApiHandler(new Api(new UserService(connections, secrets, accounts, sweepQueue, gateway, clock),
                new ReconnectService((ConnectionStore) reconnectStore, (SecretStore) reconnectStore,
                        (AccountStore) reconnectStore, gateway, settings, clock), settings.access()));
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

    /**
     * The app's view of a landing redirect: its signature checked with the README's recipe (as an app would, see
     * ReturnOutcomeSignatureTest), then the location without the signing parameters (userId, link, at, signature).
     */
    static String outcomeOf(String location) {
        if (location == null || !ReturnOutcomeSignatureTest.verifies(ReturnOutcomeSignatureTest.params(location),
                STATE_KEY)) {
            throw new AssertionError("not a validly signed outcome: " + location);
        }
        int q = location.indexOf('?');
        List<String> kept = new ArrayList<>();
        for (String pair : location.substring(q + 1).split("&")) {
            String name = pair.contains("=") ? pair.substring(0, pair.indexOf('=')) : pair;
            if (!List.of("userId", "link", "at", "signature").contains(name)) {
                kept.add(pair);
            }
        }
        return location.substring(0, q) + "?" + String.join("&", kept);
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
    /**
     * The table's items but the shared SnapTrade budget's counters ({@code REQUESTS#<clientId>}): every SnapTrade call
     * takes its slot there, whatever it did; the budget is tested in functions/snaptrade and functions/store.
     */
    List<Map<String, AttributeValue>> scan() {
        return Dynalite.client().scanPaginator(ScanRequest.builder().tableName(table).consistentRead(true).build())
                .items().stream().filter(i -> !i.get("pk").s().startsWith("REQUESTS#")).toList();
    }

    /**
     * The table's items in key order (pk, sk), so two snapshots compare equal exactly when nothing changed — but for
     * the users' reconnect-link counters ({@code RATE#LINKS}): a link request that reached SnapTrade counts against
     * the user's limit even when SnapTrade failed (it spent SnapTrade's budget all the same); LinkFloodTest checks
     * the counter by its effect.
     */
    List<Map<String, AttributeValue>> snapshot() {
        return scan().stream().filter(i -> !i.get("sk").s().equals("RATE#LINKS"))
                .sorted(Comparator.comparing((Map<String, AttributeValue> i) -> i.get("pk").s())
                .thenComparing(i -> i.get("sk").s())).toList();
    }

    /** The items whose sort key starts with {@code prefix} (e.g. "LINK#", "HIST#", "CONN#"). */
    List<Map<String, AttributeValue>> items(String userId, String skPrefix) {
        return snapshot().stream().filter(i -> i.get("pk").s().equals("USER#" + userId)
                && i.get("sk").s().startsWith(skPrefix)).toList();
    }

    // ---- scenery: users and connections at SnapTrade, known here ----

    /**
     * A user registered at SnapTrade by someone else (the simulator), with one connection per {@code slug:type}
     * (a leading '!' breaks it), imported here with its secret; returns the connection ids in order.
     */
    List<String> importedUser(String userId, String... connections) {
        String secret = simulator.control().seedUser(userId);
        List<String> ids = new ArrayList<>();
        for (String spec : connections) {
            boolean broken = spec.startsWith("!");
            String[] parts = (broken ? spec.substring(1) : spec).split(":");
            String id = simulator.control().addConnection(userId, parts[0], parts[1]);
            if (broken) {
                simulator.control().breakConnection(id);
            }
            ids.add(id);
        }
        APIGatewayV2HTTPResponse imported = importSecret(userId, secret);
        if (imported.getStatusCode() != 200) {
            throw new AssertionError("import failed: " + imported.getStatusCode() + " " + imported.getBody());
        }
        return ids;
    }

    String secretAtSnapTrade(String userId) {
        return simulator.control().userSecret(userId).orElseThrow();
    }

    /**
     * Hands each of SnapTrade's webhooks of this type for this connection to the real webhook function; the
     * {@code result} of each answer ("applied", "stale", ...).
     */
    List<String> deliver(String eventType, String connectionId) {
        if (webhooks == null) {
            webhooks = new WebhookHandler(WebhookEndpoint.fromConfig(new EnvironmentConfig(Map.of(
                    EnvironmentConfig.TABLE_NAME, table,
                    EnvironmentConfig.DYNAMODB_ENDPOINT, Dynalite.endpoint().toString(),
                    EnvironmentConfig.SNAPTRADE_CONSUMER_KEY, CONSUMER_KEY))));
        }
        List<WebhookDelivery> found = simulator.webhooks().ofType(eventType).stream()
                .filter(w -> Objects.equals(connectionId, w.connectionId())).toList();
        if (found.isEmpty()) {
            throw new AssertionError("SnapTrade sent no " + eventType + " for " + connectionId);
        }
        List<String> results = new ArrayList<>();
        for (WebhookDelivery webhook : found) {
            APIGatewayV2HTTPEvent event = event("webhook-connection-broken.json");
            Map<String, String> headers = new HashMap<>(event.getHeaders());
            headers.put("signature", webhook.signature());
            headers.remove("content-length");
            event.setHeaders(headers);
            event.setBody(webhook.payload());
            APIGatewayV2HTTPResponse response = HttpApiInvoker.invoke(webhooks, event);
            if (response.getStatusCode() != 200) {
                throw new AssertionError("webhook refused: " + response.getBody());
            }
            results.add(body(response).path("result").asText());
        }
        return results;
    }

    // ---- the browser: SnapTrade's portal and our landing ----

    /** The state token of the most recent link: from the landing URL SnapTrade was given as customRedirect. */
    String lastState() {
        String landing = simulator.requests().last(Endpoint.LOGIN).orElseThrow().bodyField("customRedirect");
        if (!landing.startsWith(LANDING + "?state=")) {
            throw new AssertionError("the link does not return to our landing: " + landing);
        }
        return query(URI.create(landing).getRawQuery()).get("state");
    }

    /** The landing as the portal would call it back, with this state, portal status and connection. */
    APIGatewayV2HTTPResponse land(String state, String status, String connectionId) {
        Map<String, String> q = new LinkedHashMap<>();
        if (state != null) {
            q.put("state", state);
        }
        if (status != null) {
            q.put("status", status);
        }
        if (connectionId != null) {
            q.put("connection_id", connectionId);
        }
        return land(q);
    }

    /** Every secret the suite knows of: no response may contain one. */
    void assertNoSecret(APIGatewayV2HTTPResponse response, String... moreSecrets) {
        List<String> secrets = new ArrayList<>(List.of(CONSUMER_KEY, STATE_KEY));
        for (String user : simulator.control().users()) {
            simulator.control().userSecret(user).ifPresent(secrets::add);
        }
        secrets.addAll(List.of(moreSecrets));
        String everything = response.getBody() + " " + response.getHeaders();
        for (String secret : secrets) {
            if (everything.contains(secret)) {
                throw new AssertionError("the response holds a secret (" + secret.length() + " chars): "
                        + response.getBody());
            }
        }
    }

    @Override
    public void close() {
        simulator.close();
    }
}
