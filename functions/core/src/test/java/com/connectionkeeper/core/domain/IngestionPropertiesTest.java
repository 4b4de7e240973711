package com.connectionkeeper.core.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.connectionkeeper.core.store.InMemoryStateStore;
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
class IngestionPropertiesTest {
    static final Clock CLOCK = Clock.fixed(Instant.parse("2026-01-01T00:00:00Z"), ZoneOffset.UTC);

    @Property(tries = 10_000)
    void rulesAgreeWithTheModel(@ForAll("deliveries") List<WebhookEvent> deliveries) {
        InMemoryStateStore store = new InMemoryStateStore();
        WebhookIngestion ingestion = new WebhookIngestion(store, CLOCK);
        Model model = new Model();
        for (WebhookEvent e : deliveries) {
            assertEquals(model.deliver(e), ingestion.ingest(e), () -> "result of " + describe(e));
        }
        assertSameState(model, store, deliveries);
    }

    @Provide
    Arbitrary<List<WebhookEvent>> deliveries() {
        return Histories.deliveries("");
    }

    /** Final connections, users and history results of {@code store} equal the model's. */
    static void assertSameState(Model model, StateStore store, List<WebhookEvent> deliveries) {
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
            Delivery recorded = store.history(e.userId(), e.connectionId()).stream()
                    .filter(d -> d.webhookId().equals(e.webhookId()) && d.eventType().equals(e.wireType()))
                    .findFirst().orElseThrow(() -> new AssertionError("no history for " + describe(e)));
            assertEquals(expected, recorded.result(), () -> "history result of " + describe(e));
        }
    }

    static String describe(WebhookEvent e) {
        return e.webhookId() + " " + e.wireType() + " user=" + e.userId() + " conn=" + e.connectionId() + " at="
                + e.eventTime();
    }
}
