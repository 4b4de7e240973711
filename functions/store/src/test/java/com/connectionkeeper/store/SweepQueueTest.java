package com.connectionkeeper.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.connectionkeeper.core.ingest.WebhookIngestion;
import com.connectionkeeper.core.model.EventType;
import com.connectionkeeper.core.model.RetryBackoff;
import com.connectionkeeper.core.model.WebhookEvent;
import com.connectionkeeper.core.secrets.LocalSealer;
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
    private DynamoSecretStore secrets;
    private DynamoSweepQueue sweepQueue;
    private StoreProbe probe;
    private WebhookIngestion webhooks;

    @BeforeEach
    void freshTable() {
        DynamoStores stores = DynamoStores.create(Dynalite.client(), Dynalite.createTable(), Duration.ofDays(1),
                LocalSealer.ephemeral());
        secrets = stores.secrets();
        sweepQueue = stores.sweepQueue();
        probe = new StoreProbe(stores);
        webhooks = new WebhookIngestion(stores.connections(), Clock.systemUTC());
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

        assertEquals(List.of("early", "late"), sweepQueue.usersWithBrokenConnections().toList());
        assertEquals(List.of("flag-a", "flag-b"), sweepQueue.usersWithFlaggedConnections().toList());
    }

    @Test
    void neverVerifiedFirstThenLeastRecentlyVerifiedAndDeletedUsersDropOut() {
        for (String u : List.of("a", "b", "c", "d")) {
            send(EventType.USER_REGISTERED, u, null, T);
            assertFalse(sweepQueue.usersInSweepOrder().anyMatch(e -> e.userId().equals(u)),
                    "registered without a secret: not sweepable");
            secrets.saveUserSecret(u, "secret-" + u);
        }
        sweepQueue.markVerified("a", T.plusSeconds(30));
        sweepQueue.markVerified("c", T.plusSeconds(10));
        assertEquals(List.of("b", "d", "c", "a"), sweepQueue.usersInSweepOrder().map(SweepQueue.SweepEntry::userId).toList());
        assertEquals(Optional.of(T.plusSeconds(30)), probe.lastVerified("a"));
        assertEquals(Optional.empty(), probe.lastVerified("b"));

        send(EventType.USER_DELETED, "d", null, T.plusSeconds(1));
        sweepQueue.markVerified("d", T.plusSeconds(40));
        sweepQueue.markChecked("webhook-only", T.plusSeconds(40));
        assertEquals(List.of("b", "c", "a"), sweepQueue.usersInSweepOrder().map(SweepQueue.SweepEntry::userId).toList(),
                "neither a deleted user nor one without a user item joins the sweep order");
        assertEquals(Optional.of(T.plusSeconds(40)), sweepQueue.lastChecked("webhook-only"),
                "but the check counts for the pass");
        assertTrue(secrets.credentials("webhook-only").isEmpty());
    }

    @Test
    void thousandsOfNeverVerifiedUsersAreAllListedAcrossIndexPages() {
        // found by the sweep benchmark: with one shared sort key ("never verified") dynalite lost an item at a
        // page boundary; every user now has a sort key of its own
        for (int i = 0; i < 2000; i++) {
            secrets.saveUserSecret("u-" + i, "s");
        }
        assertEquals(2000, sweepQueue.usersInSweepOrder().map(SweepQueue.SweepEntry::userId).distinct().count());
    }

    @Test
    void oneLeaseHolderAtATimeUntilReleaseOrExpiry() {
        Duration ttl = Duration.ofMinutes(15);
        assertTrue(sweepQueue.tryLease("run-1", T, ttl));
        assertTrue(sweepQueue.tryLease("run-1", T.plusSeconds(1), ttl), "the holder may renew");
        assertFalse(sweepQueue.tryLease("run-2", T.plusSeconds(2), ttl), "an overlapping run is refused");
        sweepQueue.releaseLease("run-2");
        assertFalse(sweepQueue.tryLease("run-2", T.plusSeconds(3), ttl), "a stranger cannot release it");
        sweepQueue.releaseLease("run-1");
        assertTrue(sweepQueue.tryLease("run-2", T.plusSeconds(4), ttl));
        assertTrue(sweepQueue.tryLease("run-3", T.plusSeconds(4).plus(ttl).plusSeconds(1), ttl), "an expired lease is free");
    }

    @Test
    void retriesAreListedEarliestFirstAcrossPagesAndEndWithTheUser() {
        RetryBackoff backoff = new RetryBackoff(Duration.ofSeconds(10), Duration.ofMinutes(1));
        for (int i = 0; i < 250; i++) {
            secrets.saveUserSecret("r-" + i, "s");
            assertEquals(1, sweepQueue.scheduleRetry("r-" + i, T.plusMillis(i), backoff));
        }
        List<String> due = sweepQueue.usersDueForRetry(T.plusSeconds(20)).toList();
        assertEquals(250, due.size(), "more than two index pages");
        assertEquals("r-0", due.get(0));
        assertEquals("r-249", due.get(249));
        assertEquals(100, sweepQueue.usersDueForRetry(T.plusSeconds(10).plusMillis(99)).count(), "due ones only");

        assertEquals(2, sweepQueue.scheduleRetry("r-0", T.plusSeconds(10), backoff));
        send(EventType.USER_DELETED, "r-1", null, T.plusSeconds(11));
        secrets.flagUser("r-2", "CREDENTIALS_REJECTED", T.plusSeconds(11),
                secrets.heldSecret("r-2").orElseThrow().version());
        assertEquals(0, sweepQueue.scheduleRetry("r-1", T.plusSeconds(12), backoff), "a deleted user is not retried");
        List<String> stillDue = sweepQueue.usersDueForRetry(T.plusSeconds(29)).toList();
        assertFalse(stillDue.contains("r-1") || stillDue.contains("r-2"), "deleted and flagged users drop out");
        assertEquals(247, stillDue.size(), "r-0 waits 20 s after its second failure");
        assertEquals("r-0", sweepQueue.usersDueForRetry(T.plusSeconds(30)).toList().get(247));
    }
}
