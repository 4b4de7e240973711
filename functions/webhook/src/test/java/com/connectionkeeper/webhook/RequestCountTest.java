package com.connectionkeeper.webhook;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.connectionkeeper.core.ingest.WebhookIngestion;
import com.connectionkeeper.core.secrets.LocalSealer;
import com.connectionkeeper.signature.WebhookVerifier;
import com.connectionkeeper.store.DynamoStores;
import com.connectionkeeper.testkit.Dynalite;
import com.connectionkeeper.testkit.DynaliteServer;
import com.connectionkeeper.testkit.HttpApiInvoker;
import com.connectionkeeper.testkit.Integration;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * How many DynamoDB requests each kind of webhook costs (counted on the client): at most two on the hot path —
 * one conditional state write and one history write — and no read that a condition could replace.
 */
@Integration
class RequestCountTest {
    private final List<String> requests = new ArrayList<>();
    private WebhookHandler handler;

    @BeforeEach
    void handlerWithCountingClient() {
        DynamoDbClient counting = DynaliteServer.clientBuilder(Dynalite.endpoint())
                .overrideConfiguration(o -> o.addExecutionInterceptor(new ExecutionInterceptor() {
                    @Override
                    public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
                        requests.add(context.request().getClass().getSimpleName());
                    }
                }))
                .build();
        WebhookEndpoint endpoint = new WebhookEndpoint(new WebhookVerifier(LocalWebhook.LOCAL_CONSUMER_KEY),
                new WebhookIngestion(DynamoStores.create(counting, Dynalite.createTable(), Duration.ofDays(1),
                        LocalSealer.ephemeral())
                        .connections(), Clock.systemUTC()));
        handler = new WebhookHandler(endpoint);
    }

    private List<String> cost(String fixture) {
        requests.clear();
        HttpApiInvoker.invoke(handler, LocalWebhook.event(fixture));
        return List.copyOf(requests);
    }

    @Test
    void hotPathIsTwoWritesAndNoRead() {
        cost("webhook-lifecycle-1-connection-added.json");
        List<String> twoWrites = List.of("UpdateItemRequest", "UpdateItemRequest");
        assertEquals(twoWrites, cost("webhook-lifecycle-2-connection-broken.json"), "broken");
        assertEquals(twoWrites, cost("webhook-lifecycle-3-connection-fixed.json"), "fixed");
        assertEquals(twoWrites, cost("webhook-lifecycle-4-connection-updated.json"), "updated");
        assertEquals(twoWrites, cost("webhook-lifecycle-2-connection-broken.json"), "stale");
    }

    @Test
    void otherKinds() {
        // first sight of a connection also reads the user once, for a deletion newer than the event
        assertEquals(List.of("UpdateItemRequest", "GetItemRequest", "UpdateItemRequest"),
                cost("webhook-lifecycle-1-connection-added.json"));
        // a duplicate (or SnapTrade's retry after a crash) may be finishing a first sight: it reads the user too
        assertEquals(List.of("UpdateItemRequest", "GetItemRequest", "UpdateItemRequest"),
                cost("webhook-lifecycle-1-connection-added.json"));
        assertEquals(List.of("UpdateItemRequest"), cost("webhook-account-holdings-updated.json"));
        assertEquals(List.of("UpdateItemRequest", "UpdateItemRequest"), cost("webhook-user-registered.json"));
        assertEquals(List.of(), cost("webhook-bad-forged.json"));
    }
}
