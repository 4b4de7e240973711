package com.connectionkeeper.core.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.connectionkeeper.core.model.ConnectionState;
import com.connectionkeeper.core.model.HistoryEntry;
import com.connectionkeeper.core.model.IngestResult;
import com.connectionkeeper.core.model.WebhookEvent;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** The pure rules (ingestion over the in-memory store) against the model, over many random delivery sequences. */
public class IngestionPropertiesTest {
    public static final Clock CLOCK = Clock.fixed(Instant.parse("2026-01-01T00:00:00Z"), ZoneOffset.UTC);

    @Property(tries = 10_000)
    void rulesAgreeWithTheModel(@ForAll("deliveries") List<WebhookEvent> deliveries) {
        InMemoryConnectionStore store = new InMemoryConnectionStore();
        WebhookIngestion ingestion = new WebhookIngestion(store, CLOCK);
        Model model = new Model();
        for (WebhookEvent e : deliveries) {
            assertEquals(model.deliver(e), ingestion.ingest(e), () -> "result of " + describe(e));
        }
        assertSameState(model, store, deliveries);
    }

    @Provide
    public Arbitrary<List<WebhookEvent>> deliveries() {
        return Histories.deliveries("");
    }

    /** Final connections, users and history results of {@code store} equal the model's. */
    public static void assertSameState(Model model, ConnectionStore store, List<WebhookEvent> deliveries) {
        Set<String> users = new TreeSet<>();
        deliveries.forEach(e -> users.add(e.userId()));
        List<ConnectionState> actual = new ArrayList<>();
        for (String u : users) {
            actual.addAll(store.connections(u));
            assertEquals(model.userState(u), store.user(u).orElse(null), "user " + u);
        }
        actual.sort(Comparator.comparing(ConnectionState::userId).thenComparing(ConnectionState::connectionId));
        assertEquals(model.connectionStates(), actual, "connections");
        for (WebhookEvent e : deliveries) {
            IngestResult expected = model.historyResults.get(java.util.Arrays.asList(e.userId(), e.connectionId(),
                    e.eventTime(), e.webhookId(), e.wireType()));
            HistoryEntry recorded = store.history(e.userId(), e.connectionId()).stream()
                    .filter(d -> d.webhookId().equals(e.webhookId()) && d.eventType().equals(e.wireType()))
                    .findFirst().orElseThrow(() -> new AssertionError("no history for " + describe(e)));
            assertEquals(expected, recorded.result(), () -> "history result of " + describe(e));
        }
    }

    public static String describe(WebhookEvent e) {
        return e.webhookId() + " " + e.wireType() + " user=" + e.userId() + " conn=" + e.connectionId() + " at="
                + e.eventTime();
    }
}
