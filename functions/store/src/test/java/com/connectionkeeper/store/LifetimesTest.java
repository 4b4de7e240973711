package com.connectionkeeper.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.connectionkeeper.core.ingest.WebhookIngestion;
import com.connectionkeeper.core.model.EventType;
import com.connectionkeeper.core.model.RetryBackoff;
import com.connectionkeeper.core.model.WebhookEvent;
import com.connectionkeeper.core.secrets.LocalSealer;
import com.connectionkeeper.core.sweep.CheckSchedule;
import com.connectionkeeper.core.sweep.LifetimeHistogram;
import com.connectionkeeper.core.sweep.SweepQueue;
import com.connectionkeeper.testkit.Dynalite;
import com.connectionkeeper.testkit.Integration;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** Token lifetimes and the due order on dynalite: the history per brokerage, issue times, ByDue. */
@Integration
class LifetimesTest {
    private static final Instant T = Instant.parse("2026-03-01T12:00:00Z");
    private DynamoStores stores;
    private DynamoLifetimes lifetimes;
    private WebhookIngestion webhooks;

    @BeforeEach
    void freshTable() {
        stores = DynamoStores.create(Dynalite.client(), Dynalite.createTable(), Duration.ofDays(1),
                LocalSealer.ephemeral());
        lifetimes = new DynamoLifetimes(stores.table());
        webhooks = new WebhookIngestion(stores.connections(), Clock.systemUTC());
    }

    private void send(EventType type, String user, String connection, String brokerage, Instant at) {
        webhooks.ingest(new WebhookEvent(type + user + connection + at, user, type, type.name(), at, connection,
                brokerage, null, "{}"));
    }

    @Test
    void eachLifetimeIsOneAddToItsBrokeragesBucket() {
        lifetimes.recordLifetime("ALPACA-ID", Duration.ofDays(7));
        lifetimes.recordLifetime("ALPACA-ID", Duration.ofDays(7).plusMinutes(5));
        lifetimes.recordLifetime("QT#ID%", Duration.ofHours(3));

        Map<String, LifetimeHistogram> all = lifetimes.lifetimes();
        assertEquals(2, all.size());
        LifetimeHistogram alpaca = all.get("ALPACA-ID");
        assertEquals(2, alpaca.samples());
        assertEquals(2, alpaca.count(LifetimeHistogram.bucketOf(Duration.ofDays(7))));
        assertEquals(1, all.get("QT#ID%").count(LifetimeHistogram.bucketOf(Duration.ofHours(3))),
                "an id with the key's separators is kept whole");
    }

    @Test
    void aTokenWasIssuedWhenTheConnectionWasAddedOrLastFixed() {
        send(EventType.CONNECTION_ADDED, "u1", "c1", "B1", T);
        send(EventType.CONNECTION_ADDED, "u1", "c2", "B2", T.plusSeconds(60));
        send(EventType.CONNECTION_BROKEN, "u1", "c2", "B2", T.plus(Duration.ofDays(3)));
        send(EventType.CONNECTION_FIXED, "u1", "c2", "B2", T.plus(Duration.ofDays(4)));
        send(EventType.CONNECTION_ADDED, "u1", "c3", "B3", T);
        send(EventType.CONNECTION_BROKEN, "u1", "c3", "B3", T.plus(Duration.ofDays(1)));

        List<CheckSchedule.Connection> tokens = lifetimes.tokens("u1");
        assertEquals(List.of(new CheckSchedule.Connection("B1", T, false),
                new CheckSchedule.Connection("B2", T.plus(Duration.ofDays(4)), false),
                new CheckSchedule.Connection("B3", T, true)), tokens);
    }

    @Test
    void aBreakInAStreamRecordGivesItsLifetime() {
        Map<String, AttributeValue> active = Map.of(Attributes.STATUS, AttributeValue.fromS("ACTIVE"),
                Attributes.BROKERAGE_ID, AttributeValue.fromS("B"),
                Attributes.ADDED_AT, AttributeValue.fromS("2026-03-01T00:00:00Z"));
        Map<String, AttributeValue> fixedOnce = new java.util.HashMap<>(active);
        fixedOnce.put(Attributes.FIXED_AT, AttributeValue.fromS("2026-03-05T00:00:00Z"));
        Map<String, AttributeValue> broken = Map.of(Attributes.STATUS, AttributeValue.fromS("BROKEN"),
                Attributes.BROKERAGE_ID, AttributeValue.fromS("B"),
                Attributes.BROKEN_SINCE, AttributeValue.fromS("2026-03-08T00:00:00Z"));

        assertEquals(Duration.ofDays(7), DynamoLifetimes.brokeIn(active, broken).orElseThrow().lifetime());
        assertEquals(Duration.ofDays(3), DynamoLifetimes.brokeIn(fixedOnce, broken).orElseThrow().lifetime(),
                "from the last fix");
        assertEquals("B", DynamoLifetimes.brokeIn(active, broken).orElseThrow().brokerageId());
        assertFalse(DynamoLifetimes.brokeIn(broken, broken).isPresent(), "broken before: no new lifetime");
        assertFalse(DynamoLifetimes.brokeIn(null, broken).isPresent(), "no issue time known");
        assertFalse(DynamoLifetimes.brokeIn(active, active).isPresent(), "no break");
    }

    @Test
    void theDueOrderIsByDueTimeAndAUserLeavesItWhenNotVerified() {
        SweepQueue queue = stores.sweepQueue();
        for (String u : List.of("a", "b", "c")) {
            stores.secrets().saveUserSecret(u, "secret-" + u);
        }
        queue.markVerified("a", T, T.plus(Duration.ofHours(5)));
        queue.markVerified("b", T, T.plus(Duration.ofHours(1)));
        queue.markVerified("c", T, T.plus(Duration.ofHours(3)));
        assertEquals(List.of("b", "c", "a"), queue.usersInDueOrder().map(SweepQueue.SweepEntry::userId).toList());
        assertEquals(T, queue.usersInDueOrder().findFirst().orElseThrow().lastChecked());

        queue.markChecked("c", T.plusSeconds(10));
        queue.scheduleRetry("b", T.plusSeconds(10), RetryBackoff.DEFAULT);
        assertEquals(List.of("a"), queue.usersInDueOrder().map(SweepQueue.SweepEntry::userId).toList(),
                "checked without a verification, or waiting for a retry: not in the due order");
        assertTrue(queue.usersInSweepOrder().anyMatch(e -> e.userId().equals("c")), "still in the sweep");
    }
}
