package com.connectionkeeper.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.connectionkeeper.core.ingest.WebhookIngestion;
import com.connectionkeeper.core.model.EventType;
import com.connectionkeeper.core.model.Watermark;
import com.connectionkeeper.core.model.WebhookEvent;
import com.connectionkeeper.core.reminders.ReminderCadence;
import com.connectionkeeper.core.reminders.ReminderRun;
import com.connectionkeeper.core.reminders.ReminderStore;
import com.connectionkeeper.core.secrets.LocalSealer;
import com.connectionkeeper.testkit.Dynalite;
import com.connectionkeeper.testkit.Integration;
import com.connectionkeeper.testkit.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BatchWriteItemRequest;
import software.amazon.awssdk.services.dynamodb.model.PutRequest;
import software.amazon.awssdk.services.dynamodb.model.WriteRequest;

/** Reminder runs on dynalite with a controlled clock: the cadence exactly, once per step, resumable, paged. */
@Integration
class ReminderRunTest {
    private static final Instant T = Instant.parse("2026-03-01T10:00:00Z");
    private static final ReminderCadence CADENCE = ReminderCadence.parse("1d,3d,7d,+7d", 5);
    private final MutableClock clock = new MutableClock(T);
    private DynamoStores stores;
    private String tableName;
    private DynamoReminderStore reminders;
    private WebhookIngestion webhooks;

    @BeforeEach
    void freshTable() {
        tableName = Dynalite.createTable();
        stores = DynamoStores.create(Dynalite.client(), tableName, Duration.ofDays(1), LocalSealer.ephemeral());
        reminders = new DynamoReminderStore(stores.table());
        webhooks = new WebhookIngestion(stores.connections(), clock);
    }

    private void send(EventType type, String user, String connection, Instant at) {
        webhooks.ingest(new WebhookEvent(type + user + connection + at, user, type, type.name(), at, connection,
                null, null, "{}"));
    }

    private ReminderRun run(ReminderStore store, int pageSize) {
        return new ReminderRun(store, CADENCE, clock, pageSize);
    }

    /** The connection's recorded step (0: none). */
    private int step(String user, String connection) {
        AttributeValue step = stores.table().get(user, Keys.connection(connection)).get(Attributes.REMINDER_STEP);
        return step == null ? 0 : Integer.parseInt(step.n());
    }

    /** The connection's recorded step and the break it is for. */
    private String claim(String user, String connection) {
        Map<String, AttributeValue> item = stores.table().get(user, Keys.connection(connection));
        AttributeValue forBreak = item.get(Attributes.REMINDER_FOR);
        return step(user, connection) + (forBreak == null ? "" : " " + forBreak.s());
    }

    /** Runs every 6 hours from now to {@code until}: the steps claimed, each with the hour of the run. */
    private List<String> runsUntil(Instant until, String user, String connection) {
        List<String> claimed = new ArrayList<>();
        String last = claim(user, connection);
        while (clock.instant().isBefore(until)) {
            clock.advance(Duration.ofHours(6));
            assertTrue(run(reminders, 50).run(clock.instant().plusSeconds(60)).finished());
            String now = claim(user, connection);
            if (!now.equals(last)) {
                claimed.add(step(user, connection) + "@" + Duration.between(T, clock.instant()).toHours() + "h");
                last = now;
            }
        }
        return claimed;
    }

    @Test
    void theCadenceExactlyOncePerStepUpToTheMaximum() {
        send(EventType.CONNECTION_BROKEN, "u1", "c1", T);
        assertEquals(List.of("1@24h", "2@72h", "3@168h", "4@336h", "5@504h"),
                runsUntil(T.plus(Duration.ofDays(40)), "u1", "c1"));
    }

    @Test
    void noneAfterTheFixAndANewBreakStartsAgain() {
        send(EventType.CONNECTION_BROKEN, "u1", "c1", T);
        assertEquals(List.of("1@24h"), runsUntil(T.plus(Duration.ofDays(2)), "u1", "c1"));
        send(EventType.CONNECTION_FIXED, "u1", "c1", T.plus(Duration.ofDays(2)));
        assertEquals(List.of(), runsUntil(T.plus(Duration.ofDays(5)), "u1", "c1"));
        send(EventType.CONNECTION_BROKEN, "u1", "c1", T.plus(Duration.ofDays(5)));
        assertEquals(List.of("1@144h", "2@192h"), runsUntil(T.plus(Duration.ofDays(8)), "u1", "c1"));
        assertEquals(Watermark.timeKey(T.plus(Duration.ofDays(5))), stores.table().get("u1", Keys.connection("c1"))
                .get(Attributes.REMINDER_FOR).s(), "the step belongs to the new break");
    }

    @Test
    void noneForADeletedConnection() {
        send(EventType.CONNECTION_BROKEN, "u1", "c1", T);
        send(EventType.CONNECTION_DELETED, "u1", "c1", T.plusSeconds(3600));
        assertEquals(List.of(), runsUntil(T.plus(Duration.ofDays(10)), "u1", "c1"));
    }

    @Test
    void afterAnOutageOnlyTheLatestDueStep() {
        send(EventType.CONNECTION_BROKEN, "u1", "c1", T);
        clock.advance(Duration.ofDays(10)); // nothing ran for 10 days (the first run ever)
        ReminderRun.Summary s = run(reminders, 50).run(clock.instant().plusSeconds(60));
        assertEquals(1, s.claimed());
        assertEquals(3, step("u1", "c1"), "step 3 (7 days), not 1, 2 and 3");
        assertEquals(List.of("4@336h"), runsUntil(T.plus(Duration.ofDays(15)), "u1", "c1"));
    }

    /**
     * The sweep finds a connection SnapTrade disabled two days ago (found by review: the first reminder, due a day
     * after the break, was never sent, because its due time fell before the connection was recorded).
     */
    @Test
    void aBreakRecordedLateGetsTheStepAlreadyDueAtOnce() {
        clock.advance(Duration.ofDays(2));
        send(EventType.CONNECTION_BROKEN, "u1", "c1", T); // delivered two days late
        assertEquals(List.of("1@54h", "2@72h", "3@168h"), runsUntil(T.plus(Duration.ofDays(8)), "u1", "c1"));
    }

    /**
     * A brokerage with an open incident: its connections' due steps wait (due again at the hold's recheck, never
     * later than the hold's end), other brokerages' are claimed; once the hold is gone the latest due step is claimed.
     */
    @Test
    void aHeldBrokeragesStepsWaitAndAreClaimedOnceTheHoldIsOver() {
        webhooks.ingest(new WebhookEvent("add-1", "u1", EventType.CONNECTION_ADDED, "CONNECTION_ADDED",
                T.minusSeconds(60), "c1", "brk-held", null, "{}"));
        webhooks.ingest(new WebhookEvent("add-2", "u2", EventType.CONNECTION_ADDED, "CONNECTION_ADDED",
                T.minusSeconds(60), "c2", "brk-other", null, "{}"));
        send(EventType.CONNECTION_BROKEN, "u1", "c1", T);
        send(EventType.CONNECTION_BROKEN, "u2", "c2", T);
        Map<String, Instant> held = new HashMap<>();
        ReminderRun run = new ReminderRun(reminders, CADENCE, clock, 50, now -> Map.copyOf(held));

        clock.advance(Duration.ofDays(1).plusMinutes(5));
        held.put("brk-held", clock.instant().plus(Duration.ofHours(5)));
        ReminderRun.Summary s = run.run(clock.instant().plusSeconds(60));
        assertEquals(1, s.claimed(), s.toString());
        assertEquals(1, s.held());
        assertEquals(0, step("u1", "c1"), "held");
        assertEquals(1, step("u2", "c2"));
        assertEquals(Watermark.timeKey(clock.instant().plus(ReminderRun.HOLD_RECHECK)),
                stores.table().get("u1", Keys.connection("c1")).get(Attributes.REMINDER_DUE_AT).s(),
                "due again when the hold is looked at again");
        assertEquals(0, run.run(clock.instant().plusSeconds(60)).candidates(), "nothing due until then");

        // 4h later the hold would end within the hour: due again exactly at its end
        clock.advance(Duration.ofHours(4).plusMinutes(30));
        s = run.run(clock.instant().plusSeconds(60));
        assertEquals(1, s.held());
        assertEquals(Watermark.timeKey(held.get("brk-held")),
                stores.table().get("u1", Keys.connection("c1")).get(Attributes.REMINDER_DUE_AT).s());

        // the incident is over (no hold any more), two days into the break: step 1 now
        held.clear();
        clock.advance(Duration.ofHours(20));
        s = run.run(clock.instant().plusSeconds(60));
        assertEquals(1, s.claimed());
        assertEquals(0, s.held());
        assertEquals(1, step("u1", "c1"));
        assertEquals(1, step("u2", "c2"), "not due again yet");
    }

    /** The incidents cannot be read: the run sends what is due without holds rather than nothing. */
    @Test
    void withoutHoldsWhenTheIncidentsCannotBeRead() {
        send(EventType.CONNECTION_BROKEN, "u1", "c1", T);
        clock.advance(Duration.ofDays(1).plusMinutes(5));
        ReminderRun.Summary s = new ReminderRun(reminders, CADENCE, clock, 50, now -> {
            throw new IllegalStateException("table unreachable");
        }).run(clock.instant().plusSeconds(60));
        assertEquals(1, s.claimed());
        assertEquals(1, step("u1", "c1"));
    }

    @Test
    void twoRunsAtOnceNeverBothClaimAStep() throws Exception {
        for (int i = 0; i < 60; i++) {
            send(EventType.CONNECTION_BROKEN, "u" + i, "c" + i, T.plusSeconds(i));
        }
        clock.advance(Duration.ofDays(1).plusHours(1));
        Counting counting = new Counting(reminders, clock);
        List<Thread> runs = new ArrayList<>();
        List<ReminderRun.Summary> summaries = java.util.Collections.synchronizedList(new ArrayList<>());
        for (int r = 0; r < 2; r++) {
            Thread t = new Thread(() -> summaries.add(new ReminderRun(reminders, CADENCE, clock, 5)
                    .run(clock.instant().plus(Duration.ofDays(1)))));
            runs.add(t);
            t.start();
        }
        for (Thread t : runs) {
            t.join();
        }
        assertEquals(60, summaries.stream().mapToInt(ReminderRun.Summary::claimed).sum(), summaries.toString());
        for (int i = 0; i < 60; i++) {
            assertEquals(1, step("u" + i, "c" + i));
        }
        assertEquals(0, run(counting, 5).run(clock.instant().plusSeconds(60)).claimed());
    }

    @Test
    void anInterruptedRunResumesWithoutDuplicates() {
        for (int i = 0; i < 230; i++) {
            send(EventType.CONNECTION_BROKEN, "u" + i, "c" + i, T.plusSeconds(i));
        }
        clock.advance(Duration.ofDays(1).plusHours(1));
        Counting counting = new Counting(reminders, clock);
        Instant start = clock.instant();
        // one page a minute: 3 pages of 50 before the deadline
        ReminderRun.Summary first = run(counting, 50).run(start.plusSeconds(150));
        assertFalse(first.finished(), "stopped after 3 pages of 50");
        assertEquals(150, first.claimed());
        ReminderRun.Summary second = run(counting, 50).run(clock.instant().plusSeconds(3600));
        assertTrue(second.finished());
        assertEquals(80, second.claimed(), "the rest, none twice");
        assertEquals(80, second.candidates(), "what the first run handled left the due range");
        assertEquals(230, counting.claims.get());
        for (int i = 0; i < 230; i++) {
            assertEquals(1, step("u" + i, "c" + i));
        }
    }

    @Test
    void tenThousandBrokenConnectionsPagedInBoundedMemory() {
        List<WriteRequest> batch = new ArrayList<>();
        for (int i = 0; i < 10_000; i++) {
            Map<String, AttributeValue> item = new HashMap<>(DynamoTable.key("user-" + i, Keys.connection("c")));
            item.put(Attributes.ENTITY, AttributeValue.fromS(Attributes.CONNECTION_ENTITY));
            item.put(Attributes.USER_ID, AttributeValue.fromS("user-" + i));
            item.put(Attributes.CONNECTION_ID, AttributeValue.fromS("c"));
            item.put(Attributes.STATUS, AttributeValue.fromS("BROKEN"));
            item.put(Attributes.BROKEN_SINCE, AttributeValue.fromS(Watermark.timeKey(T.plusMillis(i % 7_000))));
            item.put(Attributes.REMINDER_DUE_AT, item.get(Attributes.BROKEN_SINCE));
            batch.add(WriteRequest.builder().putRequest(PutRequest.builder().item(item).build()).build());
            if (batch.size() == 25) {
                Dynalite.client().batchWriteItem(BatchWriteItemRequest.builder()
                        .requestItems(Map.of(tableName, List.copyOf(batch))).build());
                batch.clear();
            }
        }
        clock.advance(Duration.ofDays(1).plusSeconds(10));
        Counting counting = new Counting(reminders, clock);
        ReminderRun.Summary s = run(counting, 100).run(clock.instant().plus(Duration.ofDays(1)));
        assertTrue(s.finished());
        assertEquals(10_000, s.claimed());
        assertTrue(counting.largestPage <= 100, "pages of at most 100: " + counting.largestPage);
        assertEquals(10_000, s.candidates(), "each read once");
        assertTrue(s.pages() <= 101, "100 full pages, and perhaps an empty one after the last: " + s.pages());
    }

    /** Counts claims and page sizes; each page read takes a minute of the controlled clock. */
    private static final class Counting implements ReminderStore {
        private final ReminderStore delegate;
        private final MutableClock clock;
        final AtomicInteger claims = new AtomicInteger();
        int largestPage;

        Counting(ReminderStore delegate, MutableClock clock) {
            this.delegate = delegate;
            this.clock = clock;
        }

        @Override
        public Page due(Instant upTo, String cursor, int limit) {
            clock.advance(Duration.ofMinutes(1));
            Page page = delegate.due(upTo, cursor, limit);
            largestPage = Math.max(largestPage, page.items().size());
            return page;
        }

        @Override
        public boolean claim(String userId, String connectionId, Instant brokenSince, int step, Instant at,
                             Instant nextDueAt) {
            boolean claimed = delegate.claim(userId, connectionId, brokenSince, step, at, nextDueAt);
            if (claimed) {
                claims.incrementAndGet();
            }
            return claimed;
        }

        @Override
        public void reschedule(String userId, String connectionId, Instant brokenSince, Instant nextDueAt) {
            delegate.reschedule(userId, connectionId, brokenSince, nextDueAt);
        }
    }
}
