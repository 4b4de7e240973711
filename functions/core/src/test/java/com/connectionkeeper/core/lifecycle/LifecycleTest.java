package com.connectionkeeper.core.lifecycle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.connectionkeeper.core.model.ConnectionState;
import com.connectionkeeper.core.model.ConnectionStatus;
import com.connectionkeeper.core.model.Observed;
import com.connectionkeeper.core.model.Source;
import com.connectionkeeper.core.model.UserState;
import com.connectionkeeper.core.model.UserStatus;
import com.connectionkeeper.core.model.Watermark;
import com.connectionkeeper.core.snaptrade.ConnectionType;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

class LifecycleTest {
    private static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");
    private static final Instant RECORDED = Instant.parse("2026-03-01T10:00:05Z");

    static ConnectionState state(ConnectionStatus status, int step, Source source) {
        Instant at = T0.plusSeconds(60L * step);
        return new ConnectionState("u1", "c1", status, "b-id", status == ConnectionStatus.BROKEN ? T0 : null, null,
                null, Watermark.of(at, 1, "w" + step), "X", source,
                new Observed("ROBINHOOD", "Robinhood", ConnectionType.TRADE, at));
    }

    /** Every pair of (before, after) statuses, null meaning first sight or removed item. */
    @Test
    void everyPairOfStatuses() {
        ConnectionStatus[] all = {null, ConnectionStatus.ACTIVE, ConnectionStatus.BROKEN, ConnectionStatus.DELETED};
        Map<String, String> expected = new LinkedHashMap<>();
        expected.put("null>null", "-");
        expected.put("null>ACTIVE", "Connection Added");
        expected.put("null>BROKEN", "Connection Broken");
        expected.put("null>DELETED", "Connection Deleted");
        expected.put("ACTIVE>null", "Connection Deleted");
        expected.put("ACTIVE>ACTIVE", "-");
        expected.put("ACTIVE>BROKEN", "Connection Broken");
        expected.put("ACTIVE>DELETED", "Connection Deleted");
        expected.put("BROKEN>null", "Connection Deleted");
        expected.put("BROKEN>ACTIVE", "Connection Fixed");
        expected.put("BROKEN>BROKEN", "-");
        expected.put("BROKEN>DELETED", "Connection Deleted");
        expected.put("DELETED>null", "-");
        expected.put("DELETED>ACTIVE", "Connection Added");
        expected.put("DELETED>BROKEN", "Connection Broken");
        expected.put("DELETED>DELETED", "-");
        Map<String, String> actual = new LinkedHashMap<>();
        for (ConnectionStatus from : all) {
            for (ConnectionStatus to : all) {
                ConnectionState before = from == null ? null : state(from, 0, Source.WEBHOOK);
                ConnectionState after = to == null ? null : state(to, 1, Source.SWEEP);
                actual.put(from + ">" + to, Lifecycle.connection(before, after, RECORDED)
                        .map(e -> e.kind().detailType()).orElse("-"));
            }
        }
        assertEquals(expected, actual);
    }

    @Test
    void aBreakCarriesWhatTheAppNeeds() {
        ConnectionEvent e = Lifecycle.connection(state(ConnectionStatus.ACTIVE, 0, Source.WEBHOOK),
                state(ConnectionStatus.BROKEN, 3, Source.SWEEP), RECORDED).orElseThrow();
        assertEquals(EventKind.CONNECTION_BROKEN, e.kind());
        assertEquals(new ConnectionEvent.Brokerage("b-id", "ROBINHOOD", "Robinhood"), e.brokerage());
        assertEquals(ConnectionType.TRADE, e.type());
        assertEquals(ConnectionStatus.ACTIVE, e.from());
        assertEquals(ConnectionStatus.BROKEN, e.to());
        assertEquals(T0.plusSeconds(180), e.at(), "the change's own time, from its watermark");
        assertEquals(RECORDED, e.time());
        assertEquals(Source.SWEEP, e.cause());
        assertEquals(T0, e.brokenSince());
        assertTrue(e.needsReconnect());
    }

    @Test
    void aFixSaysSinceWhenItWasBrokenAndNeedsNothing() {
        ConnectionEvent e = Lifecycle.connection(state(ConnectionStatus.BROKEN, 1, Source.WEBHOOK),
                state(ConnectionStatus.ACTIVE, 2, Source.PORTAL), RECORDED).orElseThrow();
        assertEquals(EventKind.CONNECTION_FIXED, e.kind());
        assertEquals(T0, e.brokenSince());
        assertFalse(e.needsReconnect());
        assertEquals(Source.PORTAL, e.cause());
    }

    @Test
    void aRemovedItemIsDeletedAtTheRecordsTimeCauseUnknown() {
        ConnectionEvent e = Lifecycle.connection(state(ConnectionStatus.ACTIVE, 1, Source.WEBHOOK), null, RECORDED)
                .orElseThrow();
        assertEquals(EventKind.CONNECTION_DELETED, e.kind());
        assertEquals(RECORDED, e.at());
        assertNull(e.cause());
        assertNotEquals(Lifecycle.connection(state(ConnectionStatus.ACTIVE, 1, Source.WEBHOOK),
                state(ConnectionStatus.DELETED, 1, Source.WEBHOOK), RECORDED).orElseThrow().id(), e.id());
    }

    @Test
    void theIdIsTheChangesNotTheRecords() {
        ConnectionState before = state(ConnectionStatus.ACTIVE, 0, Source.WEBHOOK);
        ConnectionState after = state(ConnectionStatus.BROKEN, 1, Source.WEBHOOK);
        String id = Lifecycle.connection(before, after, RECORDED).orElseThrow().id();
        assertEquals(id, Lifecycle.connection(before, after, RECORDED.plusSeconds(600)).orElseThrow().id(),
                "a replayed record");
        assertTrue(id.matches("[0-9a-f]{8}-[0-9a-f]{4}-8[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}"), id);
        assertNotEquals(id, Lifecycle.connection(before, state(ConnectionStatus.BROKEN, 2, Source.WEBHOOK),
                RECORDED).orElseThrow().id(), "another change");
        assertNotEquals(Lifecycle.id("a", "bc"), Lifecycle.id("ab", "c"));
    }

    @Test
    void aUserDeletionOnce() {
        Watermark w = Watermark.of(T0, 9, "del-1");
        UserState live = new UserState("u1", UserStatus.ACTIVE, T0, null, null, null, null);
        UserState deleted = new UserState("u1", UserStatus.DELETED, T0, T0.plusSeconds(5), w, w, null);
        UserEvent e = Lifecycle.user(live, deleted, Source.API, RECORDED).orElseThrow();
        assertEquals(EventKind.USER_DELETED, e.kind());
        assertEquals(T0.plusSeconds(5), e.at());
        assertEquals(Source.API, e.cause());
        assertEquals(e.id(), Lifecycle.user(null, deleted, Source.API, RECORDED).orElseThrow().id());
        assertEquals(Optional.empty(), Lifecycle.user(deleted, deleted, Source.API, RECORDED));
        assertEquals(Optional.empty(), Lifecycle.user(null, live, Source.API, RECORDED));
        assertEquals(Optional.empty(), Lifecycle.user(live, null, Source.API, RECORDED));
    }

    /**
     * A random history of writes to one connection, each seen as a stream record (old image, new image), with
     * duplicate records and replays of the same writes: the events, de-duplicated by id, are exactly the model's
     * status transitions, one each, in order.
     */
    @Property(tries = 500)
    void eventsAreTheTransitionsOnceEach(@ForAll("histories") List<ConnectionStatus> statuses,
                                         @ForAll("duplications") List<Integer> copies) {
        List<ConnectionState> states = new ArrayList<>();
        states.add(null);
        for (int i = 0; i < statuses.size(); i++) {
            states.add(state(statuses.get(i), i, Source.values()[i % Source.values().length]));
        }
        List<String> expected = new ArrayList<>();
        for (int i = 1; i < states.size(); i++) {
            ConnectionStatus from = states.get(i - 1) == null ? null : states.get(i - 1).status();
            if (from != states.get(i).status()) {
                expected.add(from + ">" + states.get(i).status());
            }
        }
        Map<String, String> byId = new LinkedHashMap<>();
        for (int i = 1; i < states.size(); i++) {
            int times = 1 + copies.get(i % copies.size());
            for (int k = 0; k < times; k++) {
                Lifecycle.connection(states.get(i - 1), states.get(i), RECORDED.plusSeconds(k))
                        .ifPresent(e -> byId.merge(e.id(), e.from() + ">" + e.to(), (a, b) -> {
                            assertEquals(a, b, "one id, one transition");
                            return a;
                        }));
            }
        }
        assertEquals(expected, new ArrayList<>(byId.values()));
    }

    @Provide
    Arbitrary<List<ConnectionStatus>> histories() {
        return Arbitraries.of(ConnectionStatus.values()).list().ofMaxSize(20);
    }

    @Provide
    Arbitrary<List<Integer>> duplications() {
        return Arbitraries.integers().between(0, 2).list().ofMinSize(1).ofMaxSize(5);
    }

    @Test
    void detailTypesAreTheCatalogues() {
        assertEquals(List.of("Connection Added", "Connection Broken", "Connection Fixed", "Connection Deleted",
                "User Deleted", "Connection Reconnect Reminder", "Brokerage Incident Suspected",
                "Brokerage Incident Ended"),
                Arrays.stream(EventKind.values()).map(EventKind::detailType).toList());
    }

    private static final ConnectionEvent.Brokerage ALPACA = new ConnectionEvent.Brokerage("brk-a", "ALPACA", "Alpaca");

    private static Incident open(Instant since) {
        return Incident.suspected(ALPACA, since, since.plusSeconds(600), java.time.Duration.ofMinutes(30),
                since.plusSeconds(605), 25, 60);
    }

    @Test
    void anIncidentOpenedIsSuspectedOnceAndItsEndEndedOnce() {
        Incident open = open(T0);
        Incident ended = open.ended(T0.plusSeconds(7200), Incident.EndReason.REPAIRED, 30, 12);

        IncidentEvent suspected = Lifecycle.incident(null, open, RECORDED).orElseThrow();
        assertEquals(EventKind.BROKERAGE_INCIDENT_SUSPECTED, suspected.kind());
        assertEquals(open, suspected.incident());
        assertEquals(RECORDED, suspected.time());
        assertNull(suspected.userId());
        IncidentEvent end = Lifecycle.incident(open, ended, RECORDED).orElseThrow();
        assertEquals(EventKind.BROKERAGE_INCIDENT_ENDED, end.kind());
        assertNotEquals(suspected.id(), end.id());
        assertEquals(suspected.subject(), end.subject(), "one brokerage's incident events keep their order");
        assertNotEquals(suspected.subject(), broken().subject());

        // the same writes read again: the same ids
        assertEquals(suspected.id(), Lifecycle.incident(null, open, RECORDED.plusSeconds(9)).orElseThrow().id());
        assertEquals(end.id(), Lifecycle.incident(open, ended, RECORDED.plusSeconds(9)).orElseThrow().id());

        // a new incident after the last ended: suspected again, with its own id
        Incident next = open(T0.plusSeconds(86_400));
        IncidentEvent again = Lifecycle.incident(ended, next, RECORDED).orElseThrow();
        assertEquals(EventKind.BROKERAGE_INCIDENT_SUSPECTED, again.kind());
        assertNotEquals(suspected.id(), again.id());
        assertNotEquals(open.id(), next.id());
    }

    @Test
    void noIncidentEventForAnythingElse() {
        Incident open = open(T0);
        Incident ended = open.ended(T0.plusSeconds(7200), Incident.EndReason.EXPIRED, 30, 29);
        assertEquals(Optional.empty(), Lifecycle.incident(open, open, RECORDED), "rewritten while open");
        assertEquals(Optional.empty(), Lifecycle.incident(ended, ended, RECORDED), "rewritten when ended");
        assertEquals(Optional.empty(), Lifecycle.incident(null, ended, RECORDED), "first seen ended");
        assertEquals(Optional.empty(), Lifecycle.incident(open, null, RECORDED), "removed");
        assertEquals(Optional.empty(), Lifecycle.incident(open(T0.minusSeconds(60)), ended, RECORDED),
                "another incident's end");
    }

    /** A break event, for its subject. */
    private static ConnectionEvent broken() {
        return Lifecycle.connection(state(ConnectionStatus.ACTIVE, 0, Source.WEBHOOK),
                state(ConnectionStatus.BROKEN, 1, Source.WEBHOOK), RECORDED).orElseThrow();
    }

    /** A reminder step recorded on a connection broken since T0 (state(BROKEN, …) has brokenSince T0). */
    private static Optional<ReminderEvent> reminder(ReminderMark before, ReminderMark after) {
        ConnectionState broken = state(ConnectionStatus.BROKEN, 1, Source.WEBHOOK);
        return Lifecycle.reminder(broken, before, broken, after, RECORDED);
    }

    @Test
    void aNewStepOfTheCurrentBreakIsAReminder() {
        Instant day1 = T0.plus(java.time.Duration.ofDays(1));
        Instant day3 = T0.plus(java.time.Duration.ofDays(3)).plusSeconds(600);
        ReminderEvent first = reminder(ReminderMark.none(null), new ReminderMark(1, T0, day1, null)).orElseThrow();
        assertEquals(EventKind.CONNECTION_RECONNECT_REMINDER, first.kind());
        assertEquals(1, first.step());
        assertEquals(1, first.daysBroken());
        assertEquals(T0, first.brokenSince());
        assertEquals(day1, first.at());
        assertFalse(first.linkIssuedSinceLastReminder());
        assertEquals(new ConnectionEvent.Brokerage("b-id", "ROBINHOOD", "Robinhood"), first.brokerage());

        ReminderEvent third = reminder(new ReminderMark(1, T0, day1, day1.plusSeconds(5)),
                new ReminderMark(3, T0, day3, day1.plusSeconds(5))).orElseThrow();
        assertEquals(3, third.step());
        assertEquals(3, third.daysBroken());
        assertTrue(third.linkIssuedSinceLastReminder(), "a link was issued after the first reminder");
        assertFalse(reminder(new ReminderMark(1, T0, day1, day1.minusSeconds(5)),
                new ReminderMark(2, T0, day3, day1.minusSeconds(5))).orElseThrow().linkIssuedSinceLastReminder(),
                "the link came before the last reminder");
        assertTrue(reminder(ReminderMark.none(T0.plusSeconds(1)), new ReminderMark(1, T0, day1, T0.plusSeconds(1)))
                .orElseThrow().linkIssuedSinceLastReminder(), "the first reminder counts from the break");
        assertNotEquals(first.id(), third.id());
        assertEquals(first.id(), reminder(null, new ReminderMark(1, T0, day1, null)).orElseThrow().id());
    }

    @Test
    void noReminderForAnythingElse() {
        Instant day1 = T0.plus(java.time.Duration.ofDays(1));
        ReminderMark one = new ReminderMark(1, T0, day1, null);
        assertEquals(Optional.empty(), reminder(one, one), "a write that keeps the step");
        assertEquals(Optional.empty(), reminder(new ReminderMark(2, T0, day1, null), one), "an older step");
        assertEquals(Optional.empty(), reminder(ReminderMark.none(null),
                new ReminderMark(1, T0.minusSeconds(86_400), day1, null)), "a step of an earlier break");
        assertEquals(Optional.empty(), reminder(ReminderMark.none(null), ReminderMark.none(day1)), "a link only");
        ConnectionState fixed = state(ConnectionStatus.ACTIVE, 2, Source.PORTAL);
        assertEquals(Optional.empty(), Lifecycle.reminder(fixed, one, fixed, new ReminderMark(2, T0, day1, null),
                RECORDED), "not broken");
    }
}
