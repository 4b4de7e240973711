package com.connectionkeeper.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.connectionkeeper.core.ingest.WebhookIngestion;
import com.connectionkeeper.core.model.EventType;
import com.connectionkeeper.core.model.RetryBackoff;
import com.connectionkeeper.core.model.WebhookEvent;
import com.connectionkeeper.core.sweep.SweepQueue;
import com.connectionkeeper.testkit.Dynalite;
import com.connectionkeeper.testkit.Integration;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The sweep's reads and writes on dynalite: priority queues from the indexes, verification order, the lease. */
@Integration
class SweepQueueTest {
    private static final Instant T = Instant.parse("2024-06-01T12:00:00Z");
    private DynamoStateStore store;
    private WebhookIngestion webhooks;

    @BeforeEach
    void freshTable() {
        store = new DynamoStateStore(Dynalite.client(), Dynalite.createTable(), Duration.ofDays(1));
        webhooks = new WebhookIngestion(store, Clock.systemUTC());
    }

    private void send(EventType type, String user, String connection, Instant at) {
        webhooks.ingest(new WebhookEvent(type + user + connection + at, user, type, type.name(), at, connection,
                null, null, "{}"));
    }

    @Test
    void brokenAndFlaggedConnectionsComeOldestFirst() {
        send(EventType.CONNECTION_BROKEN, "late", "c1", T.plusSeconds(20));
        send(EventType.CONNECTION_BROKEN, "early", "c2", T.plusSeconds(10));
        send(EventType.CONNECTION_BROKEN, "fixed", "c3", T);
        send(EventType.CONNECTION_FIXED, "fixed", "c3", T.plusSeconds(1));
        send(EventType.CONNECTION_UPDATED, "flag-b", "c4", T.plusSeconds(5));
        send(EventType.CONNECTION_UPDATED, "flag-a", "c5", T.plusSeconds(4));

        assertEquals(List.of("early", "late"), store.usersWithBrokenConnections().toList());
        assertEquals(List.of("flag-a", "flag-b"), store.usersWithFlaggedConnections().toList());
    }

    @Test
    void neverVerifiedFirstThenLeastRecentlyVerifiedAndDeletedUsersDropOut() {
        for (String u : List.of("a", "b", "c", "d")) {
            send(EventType.USER_REGISTERED, u, null, T);
            assertFalse(store.usersInSweepOrder().anyMatch(e -> e.userId().equals(u)),
                    "registered without a secret: not sweepable");
            store.saveUserSecret(u, "secret-" + u);
        }
        store.markVerified("a", T.plusSeconds(30));
        store.markVerified("c", T.plusSeconds(10));
        assertEquals(List.of("b", "d", "c", "a"), store.usersInSweepOrder().map(SweepQueue.SweepEntry::userId).toList());
        assertEquals(Optional.of(T.plusSeconds(30)), store.lastVerified("a"));
        assertEquals(Optional.empty(), store.lastVerified("b"));

        send(EventType.USER_DELETED, "d", null, T.plusSeconds(1));
        store.markVerified("d", T.plusSeconds(40));
        store.markChecked("webhook-only", T.plusSeconds(40));
        assertEquals(List.of("b", "c", "a"), store.usersInSweepOrder().map(SweepQueue.SweepEntry::userId).toList(),
                "neither a deleted user nor one without a user item joins the sweep order");
        assertEquals(Optional.of(T.plusSeconds(40)), store.lastChecked("webhook-only"),
                "but the check counts for the pass");
        assertTrue(store.credentials("webhook-only").isEmpty());
    }

    @Test
    void thousandsOfNeverVerifiedUsersAreAllListedAcrossIndexPages() {
        // found by the sweep benchmark: with one shared sort key ("never verified") dynalite lost an item at a
        // page boundary; every user now has a sort key of its own
        for (int i = 0; i < 2000; i++) {
            store.saveUserSecret("u-" + i, "s");
        }
        assertEquals(2000, store.usersInSweepOrder().map(SweepQueue.SweepEntry::userId).distinct().count());
    }

    @Test
    void oneLeaseHolderAtATimeUntilReleaseOrExpiry() {
        Duration ttl = Duration.ofMinutes(15);
        assertTrue(store.tryLease("run-1", T, ttl));
        assertTrue(store.tryLease("run-1", T.plusSeconds(1), ttl), "the holder may renew");
        assertFalse(store.tryLease("run-2", T.plusSeconds(2), ttl), "an overlapping run is refused");
        store.releaseLease("run-2");
        assertFalse(store.tryLease("run-2", T.plusSeconds(3), ttl), "a stranger cannot release it");
        store.releaseLease("run-1");
        assertTrue(store.tryLease("run-2", T.plusSeconds(4), ttl));
        assertTrue(store.tryLease("run-3", T.plusSeconds(4).plus(ttl).plusSeconds(1), ttl), "an expired lease is free");
    }

    @Test
    void retriesAreListedEarliestFirstAcrossPagesAndEndWithTheUser() {
        RetryBackoff backoff = new RetryBackoff(Duration.ofSeconds(10), Duration.ofMinutes(1));
        for (int i = 0; i < 250; i++) {
            store.saveUserSecret("r-" + i, "s");
            assertEquals(1, store.scheduleRetry("r-" + i, T.plusMillis(i), backoff));
        }
        List<String> due = store.usersDueForRetry(T.plusSeconds(20)).toList();
        assertEquals(250, due.size(), "more than two index pages");
        assertEquals("r-0", due.get(0));
        assertEquals("r-249", due.get(249));
        assertEquals(100, store.usersDueForRetry(T.plusSeconds(10).plusMillis(99)).count(), "due ones only");

        assertEquals(2, store.scheduleRetry("r-0", T.plusSeconds(10), backoff));
        send(EventType.USER_DELETED, "r-1", null, T.plusSeconds(11));
        store.flagUser("r-2", "CREDENTIALS_REJECTED", T.plusSeconds(11), "s");
        assertEquals(0, store.scheduleRetry("r-1", T.plusSeconds(12), backoff), "a deleted user is not retried");
        List<String> stillDue = store.usersDueForRetry(T.plusSeconds(29)).toList();
        assertFalse(stillDue.contains("r-1") || stillDue.contains("r-2"), "deleted and flagged users drop out");
        assertEquals(247, stillDue.size(), "r-0 waits 20 s after its second failure");
        assertEquals("r-0", store.usersDueForRetry(T.plusSeconds(30)).toList().get(247));
    }
}
