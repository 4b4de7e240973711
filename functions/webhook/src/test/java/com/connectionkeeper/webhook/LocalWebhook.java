package com.connectionkeeper.webhook;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.amazonaws.services.lambda.runtime.tests.EventLoader;
import com.connectionkeeper.core.config.EnvironmentConfig;
import com.connectionkeeper.core.model.ConnectionState;
import com.connectionkeeper.core.secrets.LocalSealer;
import com.connectionkeeper.store.DynamoConnectionStore;
import com.connectionkeeper.store.DynamoStores;
import com.connectionkeeper.store.StoreProbe;
import com.connectionkeeper.testkit.Dynalite;
import com.connectionkeeper.testkit.Fixtures;
import com.connectionkeeper.testkit.HttpApiInvoker;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ScanRequest;

/**
 * The webhook function wired exactly as in Lambda (from environment variables) against a fresh dynalite table,
 * plus ways to read back what it wrote.
 */
final class LocalWebhook {
    /** The consumer key the events/ fixtures are signed with (see events/README.md). */
    static final String LOCAL_CONSUMER_KEY = "local-snaptrade-consumer-key";
    static final ObjectMapper JSON = new ObjectMapper();

    final String table;
    final WebhookHandler handler;
    final DynamoConnectionStore connections;
    final StoreProbe probe;
    private final DynamoDbClient client;

    LocalWebhook(URI endpoint, String table, DynamoDbClient client) {
        this.table = table;
        this.handler = new WebhookHandler(WebhookEndpoint.fromConfig(new EnvironmentConfig(Map.of(
                EnvironmentConfig.TABLE_NAME, table,
                EnvironmentConfig.DYNAMODB_ENDPOINT, endpoint.toString(),
                EnvironmentConfig.SNAPTRADE_CONSUMER_KEY, LOCAL_CONSUMER_KEY))));
        this.client = client;
        DynamoStores stores = DynamoStores.create(client, table, Duration.ofDays(1), LocalSealer.ephemeral());
        this.connections = stores.connections();
        this.probe = new StoreProbe(stores);
    }

    /** On the shared dynalite, with a table of its own. */
    static LocalWebhook fresh() {
        return new LocalWebhook(Dynalite.endpoint(), Dynalite.createTable(), Dynalite.client());
    }

    static APIGatewayV2HTTPEvent event(String fixture) {
        return EventLoader.loadApiGatewayHttpEvent(Fixtures.path(fixture).toString());
    }

    APIGatewayV2HTTPResponse invoke(APIGatewayV2HTTPEvent event) {
        return HttpApiInvoker.invoke(handler, event);
    }

    /** The fixture's bytes as they are, the way sam local invoke and Lambda hand them to the function. */
    APIGatewayV2HTTPResponse invoke(String fixture) {
        try {
            return HttpApiInvoker.invoke(handler, Files.readAllBytes(Fixtures.path(fixture)), null);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The "result" of a 200 answer, or the "error" of any other. */
    static String answer(APIGatewayV2HTTPResponse response) {
        try {
            JsonNode body = JSON.readTree(response.getBody());
            return body.has("result") ? body.get("result").asText() : body.get("error").asText();
        } catch (java.io.IOException e) {
            throw new AssertionError("body is not JSON: " + response.getBody(), e);
        }
    }

    ConnectionState connection(String userId, String connectionId) {
        return connections.connection(userId, connectionId)
                .orElseThrow(() -> new AssertionError("no connection " + connectionId));
    }

    List<Map<String, AttributeValue>> scan() {
        return client.scanPaginator(ScanRequest.builder().tableName(table).consistentRead(true).build())
                .items().stream().toList();
    }
}
