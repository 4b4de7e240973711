package com.connectionkeeper.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.connectionkeeper.core.ingest.Histories;
import com.connectionkeeper.core.ingest.IngestionPropertiesTest;
import com.connectionkeeper.core.ingest.Model;
import com.connectionkeeper.core.ingest.WebhookIngestion;
import com.connectionkeeper.core.model.ConnectionStatus;
import com.connectionkeeper.core.model.EventType;
import com.connectionkeeper.core.model.IngestResult;
import com.connectionkeeper.core.model.WebhookEvent;
import com.connectionkeeper.core.secrets.LocalSealer;
import com.connectionkeeper.testkit.Dynalite;
import com.connectionkeeper.testkit.Integration;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * A crash between any two writes of a webhook, followed by SnapTrade's retry of that webhook, ends exactly where a
 * single clean delivery would — and the retry is answered as the clean delivery would be, never as a duplicate.
 */
@Integration
class CrashRetryPropertiesTest {
    private static final AtomicInteger RUN = new AtomicInteger();
    private static String table;

    @BeforeContainer
    static void createTable() {
        table = Dynalite.createTable();
    }

    private static DynamoConnectionStore store() {
        return DynamoStores.create(Dynalite.client(), table, Duration.ofDays(30),
                LocalSealer.ephemeral()).connections();
    }

    @Property(tries = 150)
    void aRetryAfterACrashConverges(@ForAll("deliveries") List<WebhookEvent> deliveries,
                                    @ForAll @IntRange(min = 0, max = 99) int crashAt,
                                    @ForAll @IntRange(min = 0, max = 5) int writesBeforeCrash) {
        DynamoConnectionStore store = store();
        WebhookIngestion clean = new WebhookIngestion(store, IngestionPropertiesTest.CLOCK);
        Model model = new Model();
        int victim = crashAt % deliveries.size();
        for (int i = 0; i < deliveries.size(); i++) {
            WebhookEvent e = deliveries.get(i);
            IngestResult expected = model.deliver(e);
            if (i == victim) {
                CrashingStore crashing = new CrashingStore(store, writesBeforeCrash);
                WebhookIngestion dying = new WebhookIngestion(crashing, IngestionPropertiesTest.CLOCK);
                try {
                    IngestResult result = dying.ingest(e);
                    assertEquals(expected, result, "no crash: fewer writes than the crash point");
                    continue;
                } catch (CrashingStore.Crash crash) {
                    // SnapTrade saw no 2xx: it retries the same webhook
                }
            }
            assertEquals(expected, clean.ingest(e), () -> "delivery " + IngestionPropertiesTest.describe(e));
        }
        IngestionPropertiesTest.assertSameState(model, store, deliveries);
    }

    @Provide
    Arbitrary<List<WebhookEvent>> deliveries() {
        return Histories.deliveriesForFreshUsers("crash");
    }

    @Example
    void aCrashRightAfterCreatingAConnectionOfADeletedUserIsFinishedByTheRetry() {
        DynamoConnectionStore store = store();
        String user = "crash-example-" + RUN.incrementAndGet();
        WebhookEvent deletion = new WebhookEvent("w1", user, EventType.USER_DELETED, "USER_DELETED",
                Histories.T0.plusSeconds(5), null, null, null, "{}");
        WebhookEvent olderAdd = new WebhookEvent("w2", user, EventType.CONNECTION_ADDED, "CONNECTION_ADDED",
                Histories.T0, "c1", "b1", null, "{}");
        WebhookIngestion clean = new WebhookIngestion(store, IngestionPropertiesTest.CLOCK);
        assertEquals(IngestResult.APPLIED, clean.ingest(deletion));
        // the first delivery creates the connection, then dies before writing the deletion onto it
        assertThrows(CrashingStore.Crash.class, () ->
                new WebhookIngestion(new CrashingStore(store, 1), IngestionPropertiesTest.CLOCK).ingest(olderAdd));
        assertEquals(ConnectionStatus.ACTIVE, store.connection(user, "c1").orElseThrow().status());

        assertEquals(IngestResult.STALE, clean.ingest(olderAdd));
        assertEquals(ConnectionStatus.DELETED, store.connection(user, "c1").orElseThrow().status());
    }

    @Example
    void theCrashingStoreReallyCrashes() {
        CrashingStore s = new CrashingStore(new com.connectionkeeper.core.ingest.InMemoryConnectionStore(), 0);
        WebhookEvent e = new WebhookEvent("w", "u", EventType.USER_REGISTERED, "USER_REGISTERED", Histories.T0,
                null, null, null, "{}");
        assertThrows(CrashingStore.Crash.class, () -> new WebhookIngestion(s, IngestionPropertiesTest.CLOCK).ingest(e));
    }
}
