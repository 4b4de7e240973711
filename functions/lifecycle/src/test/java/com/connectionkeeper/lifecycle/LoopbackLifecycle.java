package com.connectionkeeper.lifecycle;

import com.connectionkeeper.core.incidents.IncidentRules;
import com.connectionkeeper.core.incidents.IncidentWatch;
import com.connectionkeeper.core.lifecycle.Announcer;
import com.connectionkeeper.eventbus.EventBridgePublisher;
import com.connectionkeeper.store.DynamoIncidentStore;
import com.connectionkeeper.store.DynamoPublishedMarks;
import com.connectionkeeper.store.DynamoTable;
import com.connectionkeeper.testkit.Dynalite;
import com.connectionkeeper.testkit.LoopbackEventBridge;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;

/**
 * The stream handler as the tests run it: publishing to a loopback EventBridge ({@link #bus}) on bus {@code ck-bus},
 * its published marks and incident watch on a fresh dynalite table ({@link #table}). Close after use.
 */
final class LoopbackLifecycle implements AutoCloseable {
    final LoopbackEventBridge bus;
    final String table;
    final LifecycleHandler handler;
    final EventBridgeClient client;

    /**
     * @param attempts  PutEvents attempts per entry before the publisher gives up
     * @param namespace the namespace of the metrics the handler declares
     */
    LoopbackLifecycle(int attempts, String namespace) throws IOException {
        bus = new LoopbackEventBridge();
        client = EventBridgeClient.builder().endpointOverride(bus.endpoint()).region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local")))
                .httpClient(UrlConnectionHttpClient.create()).build();
        table = Dynalite.createTable();
        IncidentRules rules = IncidentRules.defaults();
        DynamoTable dynamo = new DynamoTable(Dynalite.client(), table);
        handler = new LifecycleHandler(new Announcer(
                new EventBridgePublisher(client, "ck-bus", attempts, Duration.ZERO, d -> { }),
                new DynamoPublishedMarks(dynamo, Clock.systemUTC())),
                new IncidentWatch(new DynamoIncidentStore(dynamo, rules.breakRetention()), rules), Clock.systemUTC(),
                namespace);
    }

    @Override
    public void close() {
        client.close();
        bus.close();
    }
}
