package com.connectionkeeper.store;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.connectionkeeper.core.ingest.Histories;
import com.connectionkeeper.core.ingest.IngestionPropertiesTest;
import com.connectionkeeper.core.ingest.Model;
import com.connectionkeeper.core.ingest.WebhookIngestion;
import com.connectionkeeper.core.model.WebhookEvent;
import com.connectionkeeper.core.secrets.LocalSealer;
import com.connectionkeeper.testkit.Dynalite;
import com.connectionkeeper.testkit.Integration;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * The real DynamoDB store (on dynalite) against the model: random histories delivered one by one, and the same
 * history delivered concurrently from several threads, end in the model's state.
 */
@Integration
class StorePropertiesTest {
    private static String table;
    private static ExecutorService threads;

    @BeforeContainer
    static void createTable() {
        table = Dynalite.createTable();
        threads = Executors.newFixedThreadPool(4);
    }

    @AfterContainer
    static void stopThreads() {
        threads.shutdownNow();
    }

    private static DynamoConnectionStore store() {
        return DynamoStores.create(Dynalite.client(), table, Duration.ofDays(30),
                LocalSealer.ephemeral()).connections();
    }

    @Property(tries = 200)
    void sequentialDeliveriesEndInTheModelsState(@ForAll("deliveries") List<WebhookEvent> deliveries) {
        DynamoConnectionStore store = store();
        WebhookIngestion ingestion = new WebhookIngestion(store, IngestionPropertiesTest.CLOCK);
        Model model = new Model();
        for (WebhookEvent e : deliveries) {
            assertEquals(model.deliver(e), ingestion.ingest(e), () -> IngestionPropertiesTest.describe(e));
        }
        IngestionPropertiesTest.assertSameState(model, store, deliveries);
    }

    @Property(tries = 100)
    void concurrentDeliveriesOfTheSameHistoryConverge(@ForAll("deliveries") List<WebhookEvent> deliveries)
            throws Exception {
        DynamoConnectionStore store = store();
        WebhookIngestion ingestion = new WebhookIngestion(store, IngestionPropertiesTest.CLOCK);
        Model model = new Model();
        deliveries.forEach(model::deliver);
        List<Future<?>> senders = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
            senders.add(threads.submit(() -> deliveries.forEach(ingestion::ingest)));
        }
        for (Future<?> f : senders) {
            f.get();
        }
        IngestionPropertiesTest.assertSameState(model, store, deliveries);
    }

    @Provide
    Arbitrary<List<WebhookEvent>> deliveries() {
        return Histories.deliveriesForFreshUsers("run");
    }
}
