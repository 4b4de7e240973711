package com.connectionkeeper.lifecycle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.amazonaws.services.lambda.runtime.events.DynamodbEvent.DynamodbStreamRecord;
import com.amazonaws.services.lambda.runtime.events.DynamodbEvent;
import com.amazonaws.services.lambda.runtime.events.ScheduledEvent;
import com.amazonaws.services.lambda.runtime.events.StreamsEventResponse;
import com.amazonaws.services.lambda.runtime.tests.EventLoader;
import com.connectionkeeper.core.config.EnvironmentConfig;
import com.connectionkeeper.core.secrets.LocalSealer;
import com.connectionkeeper.kms.Sealers;
import com.connectionkeeper.simulator.SnapTradeSimulator;
import com.connectionkeeper.simulator.WebhookDelivery;
import com.connectionkeeper.snaptrade.SnapTradeSettings;
import com.connectionkeeper.testkit.Dynalite;
import com.connectionkeeper.testkit.Fixtures;
import com.connectionkeeper.testkit.HttpApiInvoker;
import com.connectionkeeper.testkit.LoopbackEventBridge;
import com.connectionkeeper.webhook.WebhookHandler;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;

/**
 * What the end-to-end tests hand the real writers (the API's and SnapTrade's requests, the sweep's schedule) and
 * read back from the stream function and the bus.
 */
final class Writers {
    static final ObjectMapper JSON = new ObjectMapper();

    private Writers() {
    }

    /**
     * The configuration the writers (API, sweep, webhook) get in these tests: the table on dynalite, the simulator
     * as SnapTrade, and the API's keys and return URLs.
     */
    static Map<String, String> writersEnv(String table, SnapTradeSimulator simulator, String clientId,
                                          String consumerKey, String stateKey, String landing) {
        Map<String, String> env = new HashMap<>();
        env.put(EnvironmentConfig.TABLE_NAME, table);
        env.put(EnvironmentConfig.DYNAMODB_ENDPOINT, Dynalite.endpoint().toString());
        env.put(SnapTradeSettings.ENV_CONSUMER_KEY, consumerKey);
        env.put(SnapTradeSettings.ENV_CLIENT_ID, clientId);
        env.put(SnapTradeSettings.ENV_BASE_URL, simulator.baseUrl());
        env.put(SnapTradeSettings.ENV_RETRY_BUDGET_SECONDS, "2");
        env.put("RECONNECT_STATE_KEY", stateKey);
        env.put("RETURN_URL_ALLOW_LIST", "https://app.example.com/connections");
        env.put("RETURN_LANDING_URL", landing);
        env.put(Sealers.SECRET_SEALING, Sealers.LOCAL);
        env.put(Sealers.SECRET_SEALING_KEY, LocalSealer.newKeyBase64());
        return env;
    }

    /** An EventBridge client of the loopback bus. */
    static EventBridgeClient eventBridge(LoopbackEventBridge bus) {
        return EventBridgeClient.builder().endpointOverride(bus.endpoint()).region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local")))
                .httpClient(UrlConnectionHttpClient.create()).build();
    }

    /** SnapTrade's latest webhook of this type for the connection, handed to the webhook function; its result. */
    static String deliverLatest(SnapTradeSimulator simulator, WebhookHandler webhooks, String eventType,
                                String connectionId) {
        List<WebhookDelivery> found = simulator.webhooks().ofType(eventType).stream()
                .filter(w -> Objects.equals(connectionId, w.connectionId())).toList();
        assertFalse(found.isEmpty(), "SnapTrade sent no " + eventType + " for " + connectionId);
        WebhookDelivery webhook = found.get(found.size() - 1);
        return deliver(webhooks, webhook.payload(), webhook.signature());
    }

    /** A webhook body and its signature, handed to the webhook function; the result it answers. */
    static String deliver(WebhookHandler webhooks, String payload, String signature) {
        APIGatewayV2HTTPEvent event = EventLoader.loadApiGatewayHttpEvent(
                Fixtures.path("webhook-connection-broken.json").toString());
        Map<String, String> headers = new HashMap<>(event.getHeaders());
        headers.put("signature", signature);
        headers.remove("content-length");
        event.setHeaders(headers);
        event.setBody(payload);
        APIGatewayV2HTTPResponse response = HttpApiInvoker.invoke(webhooks, event);
        assertEquals(200, response.getStatusCode(), response.getBody());
        return body(response).path("result").asText();
    }

    static ScheduledEvent scheduled() {
        return EventLoader.loadScheduledEvent(Fixtures.path("sweep-scheduled.json").toString());
    }

    /** An API fixture with this method, path, route and body. */
    static APIGatewayV2HTTPEvent request(String fixture, String method, String path, String routeKey, String body) {
        APIGatewayV2HTTPEvent e = EventLoader.loadApiGatewayHttpEvent(Fixtures.path(fixture).toString());
        e.setRawPath(path);
        e.getRequestContext().getHttp().setPath(path);
        e.getRequestContext().getHttp().setMethod(method);
        e.setRouteKey(routeKey);
        e.getRequestContext().setRouteKey(routeKey);
        e.setBody(body);
        if (e.getHeaders() != null) {
            Map<String, String> headers = new HashMap<>(e.getHeaders());
            headers.remove("content-length");
            e.setHeaders(headers);
        }
        return e;
    }

    static JsonNode body(APIGatewayV2HTTPResponse response) {
        try {
            return JSON.readTree(response.getBody());
        } catch (IOException e) {
            throw new AssertionError("body is not JSON: " + response.getBody(), e);
        }
    }

    static DynamodbEvent event(List<DynamodbStreamRecord> records) {
        DynamodbEvent event = new DynamodbEvent();
        event.setRecords(new ArrayList<>(records));
        return event;
    }

    static List<String> failures(StreamsEventResponse response) {
        return response.getBatchItemFailures().stream()
                .map(StreamsEventResponse.BatchItemFailure::getItemIdentifier).toList();
    }

    static List<String> types(List<LoopbackEventBridge.Entry> published) {
        return published.stream().map(LoopbackEventBridge.Entry::detailType).toList();
    }

    static List<String> ids(List<LoopbackEventBridge.Entry> published) {
        return published.stream().map(e -> e.detail().path("id").asText()).toList();
    }
}
