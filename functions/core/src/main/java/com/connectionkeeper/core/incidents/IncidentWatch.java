package com.connectionkeeper.core.incidents;

import com.connectionkeeper.core.lifecycle.ConnectionEvent;
import com.connectionkeeper.core.lifecycle.EventKind;
import com.connectionkeeper.core.lifecycle.Incident;
import com.connectionkeeper.core.lifecycle.LifecycleEvent;
import com.connectionkeeper.core.log.JsonLog;
import com.connectionkeeper.core.model.ConnectionStatus;
import com.connectionkeeper.core.model.Source;
import com.connectionkeeper.core.reminders.ReminderHolds;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Incident awareness. The lifecycle function hands it each batch's connection events ({@link #observe}): it records
 * the breaks, repairs and known connections per brokerage, suspects an incident when a brokerage's breaks within the
 * window cross {@link IncidentRules}, and ends one when most of its connections are fixed. The reminder run asks it
 * for the open incidents ({@link #review}), which also ends those that lasted their longest. The incident item's
 * changes reach the table's stream, where the lifecycle function publishes {@code Brokerage Incident Suspected} and
 * {@code Brokerage Incident Ended}. Connections whose brokerage is unknown are not counted.
 */
public final class IncidentWatch implements ReminderHolds {
    /** How long a count of a brokerage's known connections is used before it is counted again. */
    public static final Duration KNOWN_COUNT_TTL = Duration.ofHours(1);
    private final IncidentStore store;
    private final IncidentRules rules;

    public IncidentWatch(IncidentStore store, IncidentRules rules) {
        this.store = store;
        this.rules = rules;
    }

    /** What one brokerage's events of a batch tell. */
    private static final class Seen {
        final ConnectionEvent.Brokerage brokerage;
        final List<IncidentStore.Break> breaks = new ArrayList<>();
        final List<IncidentStore.Break> resolved = new ArrayList<>();
        final Map<IncidentStore.Member, Boolean> members = new LinkedHashMap<>();

        Seen(ConnectionEvent.Brokerage brokerage) {
            this.brokerage = brokerage;
        }
    }

    /**
     * Records what a batch's connection events tell of their brokerages and answers the incidents open at those
     * brokerages afterwards, by brokerage id (for marking the batch's {@code Connection Broken} events). A failure
     * at one brokerage (the table unreachable) is logged and leaves the others' handled.
     */
    public Map<String, Incident> observe(List<? extends LifecycleEvent> events, Instant now) {
        Map<String, Seen> seen = new LinkedHashMap<>();
        for (LifecycleEvent event : events) {
            if (!(event instanceof ConnectionEvent e) || e.brokerage().id() == null) {
                continue;
            }
            Seen s = seen.computeIfAbsent(e.brokerage().id(), id -> new Seen(e.brokerage()));
            IncidentStore.Member member = new IncidentStore.Member(e.userId(), e.connectionId());
            s.members.remove(member); // the last event of a connection in the batch says where it is
            s.members.put(member, e.to() != ConnectionStatus.DELETED);
            if (countsAsBreak(e)) {
                s.breaks.add(new IncidentStore.Break(e.userId(), e.connectionId(), e.brokenSince()));
            } else if (e.from() == ConnectionStatus.BROKEN && e.brokenSince() != null) {
                s.resolved.add(new IncidentStore.Break(e.userId(), e.connectionId(), e.brokenSince()));
            }
        }
        Map<String, Incident> open = new LinkedHashMap<>();
        for (Map.Entry<String, Seen> entry : seen.entrySet()) {
            try {
                observe(entry.getKey(), entry.getValue(), now).ifPresent(i -> open.put(entry.getKey(), i));
            } catch (RuntimeException e) {
                // the table failed (or does not answer: each try would wait for the client's timeout): the rest of
                // the batch is published unmarked and goes uncounted, long before the function's own timeout
                JsonLog.error("incident_watch_failed", "brokerageId", entry.getKey(), "brokeragesLeft",
                        seen.size() - 1, "error", e.getClass().getSimpleName(), "message", e.getMessage());
                break;
            }
        }
        return open;
    }

    /**
     * A break to count: a status change to BROKEN we saw happen, or SnapTrade's CONNECTION_BROKEN webhook of a
     * connection first seen (a break at its event time). A connection the sweep, an import or the portal first
     * sees already broken broke at some unknown time: many at once (an import) are no burst.
     */
    private static boolean countsAsBreak(ConnectionEvent e) {
        return e.kind() == EventKind.CONNECTION_BROKEN && e.brokenSince() != null
                && (e.from() != null || e.cause() == Source.WEBHOOK);
    }

    private Optional<Incident> observe(String brokerageId, Seen s, Instant now) {
        List<IncidentStore.Member> live = new ArrayList<>();
        List<IncidentStore.Member> gone = new ArrayList<>();
        s.members.forEach((m, isLive) -> (isLive ? live : gone).add(m));
        store.recordMembers(brokerageId, live, gone);
        if (!s.breaks.isEmpty()) {
            store.recordBreaks(brokerageId, s.breaks);
        }
        if (!s.resolved.isEmpty()) {
            store.recordResolved(brokerageId, s.resolved, now);
        }
        Incident current = store.incident(brokerageId).orElse(null);
        if (current != null && current.open() && (!s.resolved.isEmpty() || !now.isBefore(holdUntil(current)))) {
            current = settle(current, now); // perhaps ended now: then it bounds the next one's window
        }
        if (current != null && current.open()) {
            return Optional.of(current);
        }
        return s.breaks.isEmpty() ? Optional.empty() : suspect(s.brokerage, s.breaks, current, now);
    }

    /**
     * The open incidents, after ending those that lasted {@link IncidentRules#maxDuration} or whose connections are
     * mostly fixed; by brokerage id.
     */
    public Map<String, Incident> review(Instant now) {
        Map<String, Incident> open = new LinkedHashMap<>();
        for (Incident incident : store.openIncidents()) {
            Incident latest;
            try {
                latest = settle(incident, now);
            } catch (RuntimeException e) {
                JsonLog.error("incident_review_failed", "brokerageId", incident.brokerageId(), "error",
                        e.getClass().getSimpleName(), "message", e.getMessage());
                latest = incident; // held as it was; looked at again at the next run
            }
            if (latest.open()) {
                open.put(latest.brokerageId(), latest);
            }
        }
        return open;
    }

    /**
     * For the reminder run: the brokerages with an open incident (after {@linkplain #review ending} those that are
     * over), each held until its incident's longest end.
     */
    @Override
    public Map<String, Instant> held(Instant now) {
        Map<String, Instant> held = new LinkedHashMap<>();
        review(now).forEach((brokerageId, incident) -> held.put(brokerageId, holdUntil(incident)));
        return held;
    }

    /** When reminders held for an open incident are looked at again at the latest: its longest end. */
    public Instant holdUntil(Incident incident) {
        return incident.openedAt().plus(rules.maxDuration());
    }

    /**
     * The batch's events, each {@code Connection Broken} of a brokerage with an open incident that covers the break
     * marked with that incident.
     */
    public static List<LifecycleEvent> mark(List<? extends LifecycleEvent> events, Map<String, Incident> open) {
        List<LifecycleEvent> marked = new ArrayList<>(events.size());
        for (LifecycleEvent event : events) {
            if (event instanceof ConnectionEvent e && e.kind() == EventKind.CONNECTION_BROKEN
                    && e.brokerage().id() != null) {
                Incident incident = open.get(e.brokerage().id());
                marked.add(incident != null && incident.covers(e.brokenSince()) ? e.withIncident(incident.id()) : e);
            } else {
                marked.add(event);
            }
        }
        return marked;
    }

    /**
     * Ends the open incident if it is over (mostly resolved, or at its longest); the incident as it now stands: still
     * open, ended by this call, or as another writer left it.
     */
    private Incident settle(Incident incident, Instant now) {
        Incident.EndReason reason = null;
        Instant endedAt = now;
        IncidentStore.Tally tally = store.tally(incident.brokerageId(), incident.since());
        if (!now.isBefore(holdUntil(incident))) {
            // it ended at its longest, whenever that is noticed: breaks after that belong to the next one
            reason = Incident.EndReason.EXPIRED;
            endedAt = holdUntil(incident);
        } else if (IncidentRules.mostlyResolved(tally)) {
            reason = Incident.EndReason.REPAIRED;
        }
        if (reason == null) {
            return incident;
        }
        Incident ended = incident.ended(endedAt, reason, tally.total(), tally.unresolved());
        if (store.end(ended)) {
            return ended;
        }
        return store.incident(incident.brokerageId()).orElse(ended); // ended (or replaced) meanwhile
    }

    /**
     * Suspects an incident if, around this batch's breaks, some window holds enough connections' breaks: all the
     * brokerage's breaks from a window before the batch's earliest to a window after its latest are read (so breaks
     * recorded out of time order, by other batches, count together), and the window with the most connections
     * decides. Breaks before the previous incident's end do not count.
     */
    private Optional<Incident> suspect(ConnectionEvent.Brokerage brokerage, List<IncidentStore.Break> batch,
                                       Incident previous, Instant now) {
        Instant earliest = batch.get(0).brokenSince();
        Instant latest = earliest;
        for (IncidentStore.Break b : batch) {
            earliest = b.brokenSince().isBefore(earliest) ? b.brokenSince() : earliest;
            latest = b.brokenSince().isAfter(latest) ? b.brokenSince() : latest;
        }
        Instant from = earliest.minus(rules.window());
        if (previous != null && previous.endedAt() != null && previous.endedAt().isAfter(from)) {
            from = previous.endedAt();
        }
        Window best = busiestWindow(store.breaks(brokerage.id(), from, latest.plus(rules.window())));
        if (best == null || best.connections() < rules.minBreaks()) {
            return Optional.empty();
        }
        IncidentStore.Known known = store.known(brokerage.id())
                .filter(k -> k.countedAt().plus(KNOWN_COUNT_TTL).isAfter(now))
                .orElseGet(() -> store.countKnown(brokerage.id(), now));
        if (!rules.crossed(best.connections(), known.connections())) {
            return Optional.empty();
        }
        Incident incident = Incident.suspected(brokerage, best.first(), best.last(), rules.window(), now,
                best.connections(), known.connections());
        if (store.open(incident)) {
            return Optional.of(incident);
        }
        return store.incident(brokerage.id()).filter(Incident::open); // another batch suspected it first
    }

    /** A window's distinct connections and its first and last break. */
    private record Window(int connections, Instant first, Instant last) {
    }

    /**
     * The window of at most {@link IncidentRules#window} with the most distinct connections among {@code breaks}
     * (in time order); null when there are none. Two pointers over the breaks, counting each connection's breaks in
     * the window.
     */
    private Window busiestWindow(List<IncidentStore.Break> breaks) {
        Map<IncidentStore.Member, Integer> inWindow = new HashMap<>();
        Window best = null;
        int left = 0;
        for (int right = 0; right < breaks.size(); right++) {
            IncidentStore.Break r = breaks.get(right);
            inWindow.merge(new IncidentStore.Member(r.userId(), r.connectionId()), 1, Integer::sum);
            while (Duration.between(breaks.get(left).brokenSince(), r.brokenSince()).compareTo(rules.window()) > 0) {
                IncidentStore.Break l = breaks.get(left++);
                inWindow.computeIfPresent(new IncidentStore.Member(l.userId(), l.connectionId()),
                        (k, n) -> n == 1 ? null : n - 1);
            }
            if (best == null || inWindow.size() > best.connections()) {
                best = new Window(inWindow.size(), breaks.get(left).brokenSince(), r.brokenSince());
            }
        }
        return best;
    }
}
