package com.connectionkeeper.core.reconcile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import com.connectionkeeper.core.ingest.InMemoryConnectionStore;
import com.connectionkeeper.core.ingest.IngestionPropertiesTest;
import com.connectionkeeper.core.ingest.WebhookIngestion;
import com.connectionkeeper.core.model.ConnectionState;
import com.connectionkeeper.core.model.ConnectionStatus;
import com.connectionkeeper.core.model.EventType;
import com.connectionkeeper.core.model.IngestResult;
import com.connectionkeeper.core.model.Source;
import com.connectionkeeper.core.model.Transition;
import com.connectionkeeper.core.model.WebhookEvent;
import com.connectionkeeper.core.reconcile.Observations.Observation;
import com.connectionkeeper.core.reconcile.Observations.Seen;
import com.connectionkeeper.core.snaptrade.BrokerageConnection;
import com.connectionkeeper.core.snaptrade.ConnectionType;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The sweep's rules, applied through the same store rules as webhooks. */
class ObservationsTest {
    private static final Instant T = Instant.parse("2024-06-01T12:00:00Z");
    private final InMemoryConnectionStore store = new InMemoryConnectionStore();
    private final WebhookIngestion webhooks = new WebhookIngestion(store, IngestionPropertiesTest.CLOCK);

    private static BrokerageConnection listed(String id, boolean disabled, Instant disabledDate) {
        return new BrokerageConnection(id, "b-" + id, "ALPACA", "Alpaca", null, ConnectionType.TRADE, disabled,
                disabledDate, null, null);
    }

    private static WebhookEvent webhook(EventType type, String connectionId, Instant at, String id) {
        return new WebhookEvent(id, "u", type, type.name(), at, connectionId, null, null, "{}");
    }

    private Map<String, Observation> sweep(Instant at, BrokerageConnection... listed) {
        List<Observation> seen = Observations.observe(store.connections("u"), List.of(listed), at, "run-1");
        seen.forEach(o -> store.applyToConnection("u", o.connectionId(), o.change()));
        return seen.stream().collect(Collectors.toMap(Observation::connectionId, Function.identity()));
    }

    private ConnectionState state(String id) {
        return store.connection("u", id).orElseThrow();
    }

    @Test
    void brokenFixedAddedAndDeletedAreAllFound() {
        webhooks.ingest(webhook(EventType.CONNECTION_ADDED, "stays-ok", T.minusSeconds(99), "w1"));
        webhooks.ingest(webhook(EventType.CONNECTION_ADDED, "breaks", T.minusSeconds(99), "w2"));
        webhooks.ingest(webhook(EventType.CONNECTION_BROKEN, "gets-fixed", T.minusSeconds(99), "w3"));
        webhooks.ingest(webhook(EventType.CONNECTION_UPDATED, "vanishes", T.minusSeconds(99), "w4"));
        Instant disabledAt = T.minusSeconds(50);

        Map<String, Observation> seen = sweep(T, listed("stays-ok", false, null), listed("breaks", true, disabledAt),
                listed("gets-fixed", false, null), listed("new", false, null));

        assertEquals(Seen.ACTIVE, seen.get("stays-ok").seen());
        assertEquals(ConnectionStatus.BROKEN, state("breaks").status());
        assertEquals(disabledAt, state("breaks").brokenSince(), "brokenSince from disabled_date");
        assertEquals(ConnectionStatus.ACTIVE, state("gets-fixed").status());
        assertEquals(T, state("gets-fixed").fixedAt());
        assertNull(state("stays-ok").fixedAt(), "not repaired: no fixedAt");
        assertEquals(ConnectionStatus.ACTIVE, state("new").status());
        assertEquals(Seen.ABSENT, seen.get("vanishes").seen());
        assertEquals(ConnectionStatus.DELETED, state("vanishes").status());
        assertEquals(false, state("vanishes").needsVerification(), "verified: the flag is cleared");
        assertEquals(Source.SWEEP, state("breaks").source());
        assertEquals("SWEEP_OBSERVED_BROKEN", state("breaks").lastEventType());
    }

    @Test
    void aWebhookNewerThanTheObservationWinsAndAnOlderOneLoses() {
        webhooks.ingest(webhook(EventType.CONNECTION_BROKEN, "c", T.plusSeconds(1), "newer"));
        sweep(T, listed("c", false, null));
        assertEquals(ConnectionStatus.BROKEN, state("c").status(), "the newer webhook stands");

        assertEquals(IngestResult.STALE,
                webhooks.ingest(webhook(EventType.CONNECTION_FIXED, "c", T.minusSeconds(1), "older")));
        sweep(T.plusSeconds(2), listed("c", false, null));
        assertEquals(ConnectionStatus.ACTIVE, state("c").status(), "a newer observation wins over an older webhook");
        assertEquals(IngestResult.STALE,
                webhooks.ingest(webhook(EventType.CONNECTION_BROKEN, "c", T.plusSeconds(1).plusMillis(1), "late")));
        assertEquals(ConnectionStatus.ACTIVE, state("c").status());
    }

    @Test
    void anAlreadyDeletedConnectionIsNotObservedAgain() {
        webhooks.ingest(webhook(EventType.CONNECTION_DELETED, "gone", T.minusSeconds(5), "w"));
        assertEquals(Map.of(), sweep(T));
    }

    @Test
    void transitions() {
        assertEquals(Transition.ADDED, Transition.of(null, ConnectionStatus.ACTIVE));
        assertEquals(Transition.ADDED, Transition.of(null, ConnectionStatus.BROKEN));
        assertEquals(Transition.BROKEN, Transition.of(ConnectionStatus.ACTIVE, ConnectionStatus.BROKEN));
        assertEquals(Transition.FIXED, Transition.of(ConnectionStatus.BROKEN, ConnectionStatus.ACTIVE));
        assertEquals(Transition.DELETED, Transition.of(ConnectionStatus.BROKEN, ConnectionStatus.DELETED));
        assertEquals(Transition.ADDED, Transition.of(ConnectionStatus.DELETED, ConnectionStatus.ACTIVE));
        assertEquals(Transition.NONE, Transition.of(ConnectionStatus.ACTIVE, ConnectionStatus.ACTIVE));
    }
}
