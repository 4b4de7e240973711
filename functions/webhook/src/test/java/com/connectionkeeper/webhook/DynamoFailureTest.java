package com.connectionkeeper.webhook;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.connectionkeeper.core.config.EnvironmentConfig;
import com.connectionkeeper.core.ingest.ConnectionStore;
import com.connectionkeeper.core.ingest.WebhookIngestion;
import com.connectionkeeper.core.model.ConnectionStatus;
import com.connectionkeeper.core.model.HistoryEntry;
import com.connectionkeeper.core.model.IngestResult;
import com.connectionkeeper.core.secrets.LocalSealer;
import com.connectionkeeper.signature.WebhookVerifier;
import com.connectionkeeper.store.DynamoClients;
import com.connectionkeeper.store.DynamoStores;
import com.connectionkeeper.testkit.DynaliteServer;
import com.connectionkeeper.testkit.HttpApiInvoker;
import com.connectionkeeper.testkit.Integration;
import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * DynamoDB failing under the webhook function (a dynalite of its own, really stopped): the answer is 500 so SnapTrade
 * retries, and once DynamoDB is back the retried webhook applies — including when it died between two writes.
 */
@Integration
class DynamoFailureTest {
    private static final String FIXTURE = "webhook-lifecycle-2-connection-broken.json";

    @TempDir
    Path data;
    private DynaliteServer dynamo;
    private String table;
    private LocalWebhook webhook;

    @BeforeEach
    void start() {
        dynamo = DynaliteServer.startDedicated(data);
        table = dynamo.createTable();
        webhook = new LocalWebhook(dynamo.endpoint(), table, dynamo.client());
    }

    @AfterEach
    void stop() {
        dynamo.close();
    }

    private String user() {
        return WebhookHandlerTest.payload(FIXTURE).get("userId").asText();
    }

    private String connection() {
        return WebhookHandlerTest.payload(FIXTURE).get("brokerageAuthorizationId").asText();
    }

    @Test
    void dynamoDownMeans500AndTheRetryAppliesOnceItIsBack() {
        dynamo.stop();

        var response = webhook.invoke(FIXTURE);

        assertEquals(500, response.getStatusCode(), response.getBody());
        assertEquals("state store unavailable; retry later", LocalWebhook.answer(response));
        dynamo.start();
        assertEquals(List.of(), webhook.scan(), "nothing was written");

        assertEquals("applied", LocalWebhook.answer(webhook.invoke(FIXTURE)));
        assertEquals(ConnectionStatus.BROKEN, webhook.connection(user(), connection()).status());
    }

    @Test
    void dynamoStoppedBetweenTheStateWriteAndTheHistoryWrite() {
        // the connection write reaches DynamoDB, then DynamoDB dies before the history write
        ConnectionStore real = DynamoStores.create(dynamo.client(), table, Duration.ofDays(1),
                LocalSealer.ephemeral()).connections();
        ConnectionStore dying = (ConnectionStore) Proxy.newProxyInstance(ConnectionStore.class.getClassLoader(),
                new Class<?>[] {ConnectionStore.class}, (proxy, method, args) -> {
                    if (method.getName().equals("recordHistory")) {
                        dynamo.stop();
                    }
                    try {
                        return method.invoke(real, args);
                    } catch (java.lang.reflect.InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
        WebhookEndpoint endpoint = new WebhookEndpoint(new WebhookVerifier(LocalWebhook.LOCAL_CONSUMER_KEY),
                new WebhookIngestion(dying, Clock.systemUTC()));
        WebhookHandler handler = new WebhookHandler(endpoint);

        var response = HttpApiInvoker.invoke(handler, LocalWebhook.event(FIXTURE));

        assertEquals(500, response.getStatusCode(), response.getBody());
        dynamo.start();
        assertEquals(ConnectionStatus.BROKEN, webhook.connection(user(), connection()).status(),
                "the state write happened");
        assertEquals(List.of(), webhook.connections.history(user(), connection()), "the history write did not");

        // SnapTrade's retry: not a duplicate, recorded as applied, state unchanged
        assertEquals("applied", LocalWebhook.answer(webhook.invoke(FIXTURE)));
        List<HistoryEntry> history = webhook.connections.history(user(), connection());
        assertEquals(1, history.size());
        assertEquals(IngestResult.APPLIED, history.get(0).result());
        assertEquals("duplicate", LocalWebhook.answer(webhook.invoke(FIXTURE)));
    }

    @Test
    void anUnexpectedFailureIsAJson500SoSnapTradeRetries() {
        ConnectionStore broken = (ConnectionStore) Proxy.newProxyInstance(ConnectionStore.class.getClassLoader(),
                new Class<?>[] {ConnectionStore.class}, (proxy, method, args) -> {
                    throw new IllegalStateException("bug");
                });
        WebhookHandler handler = new WebhookHandler(new WebhookEndpoint(
                new WebhookVerifier(LocalWebhook.LOCAL_CONSUMER_KEY), new WebhookIngestion(broken, Clock.systemUTC())));

        var response = HttpApiInvoker.invoke(handler, LocalWebhook.event(FIXTURE));

        assertEquals(500, response.getStatusCode());
        assertEquals("internal error; retry later", LocalWebhook.answer(response));
    }

    @Test
    void theProductionClientGivesUpWithinItsTimeBudget() {
        dynamo.stop();
        var client = DynamoClients.create(new EnvironmentConfig(Map.of(EnvironmentConfig.TABLE_NAME, table,
                EnvironmentConfig.DYNAMODB_ENDPOINT, dynamo.endpoint().toString())));
        long started = System.nanoTime();
        try {
            client.listTables();
        } catch (software.amazon.awssdk.core.exception.SdkException expected) {
            // what the endpoint turns into a 500
        }
        long seconds = Duration.ofNanos(System.nanoTime() - started).toSeconds();
        assertTrue(seconds < 10, "gave up after " + seconds + " s (Lambda timeout is 15 s)");
    }
}
