package com.connectionkeeper.core.incidents;

import com.connectionkeeper.core.lifecycle.ConnectionEvent;
import com.connectionkeeper.core.lifecycle.EventKind;
import com.connectionkeeper.core.lifecycle.Incident;
import com.connectionkeeper.core.lifecycle.LifecycleEvent;
import com.connectionkeeper.core.model.ConnectionStatus;
import com.connectionkeeper.core.reminders.ReminderHolds;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
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

    public IncidentRules rules() {
        return rules;
    }

    /** What one brokerage's events of a batch tell. */
    private static final class Seen {
        final ConnectionEvent.Brokerage brokerage;
        final List<IncidentStore.Break> breaks = new ArrayList<>();
        final List<IncidentStore.Break> resolved = new ArrayList<>();
        final Map<IncidentStore.Member, Boolean> members = new LinkedHashMap<>();
        Instant latestBreak;

        Seen(ConnectionEvent.Brokerage brokerage) {
            this.brokerage = brokerage;
        }
    }

    /**
     * Records what a batch's connection events tell of their brokerages and answers the incidents open at those
     * brokerages afterwards, by brokerage id (for marking the batch's {@code Connection Broken} events).
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
            if (e.kind() == EventKind.CONNECTION_BROKEN && e.brokenSince() != null) {
                s.breaks.add(new IncidentStore.Break(e.userId(), e.connectionId(), e.brokenSince()));
                if (s.latestBreak == null || e.brokenSince().isAfter(s.latestBreak)) {
                    s.latestBreak = e.brokenSince();
                }
            } else if (e.from() == ConnectionStatus.BROKEN && e.brokenSince() != null) {
                s.resolved.add(new IncidentStore.Break(e.userId(), e.connectionId(), e.brokenSince()));
            }
        }
        Map<String, Incident> open = new LinkedHashMap<>();
        for (Map.Entry<String, Seen> entry : seen.entrySet()) {
            String brokerageId = entry.getKey();
            Seen s = entry.getValue();
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
            Optional<Incident> current = store.incident(brokerageId);
            Incident incident = current.filter(Incident::open).orElse(null);
            if (incident != null && (!s.resolved.isEmpty() || !now.isBefore(holdUntil(incident)))) {
                incident = endIfDone(incident, now).orElse(null);
            }
            if (incident == null && s.latestBreak != null) {
                incident = suspect(s.brokerage, s.latestBreak, current.orElse(null), now).orElse(null);
            }
            if (incident != null) {
                open.put(brokerageId, incident);
            }
        }
        return open;
    }

    /**
     * The open incidents, after ending those that lasted {@link IncidentRules#maxDuration} or whose connections are
     * mostly fixed; by brokerage id.
     */
    public Map<String, Incident> review(Instant now) {
        Map<String, Incident> open = new LinkedHashMap<>();
        for (Incident incident : store.openIncidents()) {
            endIfDone(incident, now).ifPresent(i -> open.put(i.brokerageId(), i));
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

    /** The incident, or empty once it is ended (by this call or by another). */
    private Optional<Incident> endIfDone(Incident incident, Instant now) {
        Incident.EndReason reason = null;
        IncidentStore.Tally tally = store.tally(incident.brokerageId(), incident.since());
        if (IncidentRules.mostlyResolved(tally)) {
            reason = Incident.EndReason.REPAIRED;
        } else if (!now.isBefore(holdUntil(incident))) {
            reason = Incident.EndReason.EXPIRED;
        }
        if (reason == null) {
            return Optional.of(incident);
        }
        if (!store.end(incident.ended(now, reason, tally.total(), tally.unresolved()))) {
            // ended (or replaced) meanwhile: what is there now decides
            return store.incident(incident.brokerageId()).filter(Incident::open);
        }
        return Optional.empty();
    }

    /** Suspects an incident if the breaks in the window ending at {@code latest} cross the rules. */
    private Optional<Incident> suspect(ConnectionEvent.Brokerage brokerage, Instant latest, Incident previous,
                                       Instant now) {
        Instant until = latest.isAfter(now) ? now : latest;
        Instant from = until.minus(rules.window());
        if (previous != null && previous.endedAt() != null && previous.endedAt().isAfter(from)) {
            from = previous.endedAt(); // breaks counted in an ended incident do not start the next
        }
        IncidentStore.Window window = store.breaks(brokerage.id(), from, until);
        if (window.count() < rules.minBreaks()) {
            return Optional.empty();
        }
        IncidentStore.Known known = store.known(brokerage.id())
                .filter(k -> k.countedAt().plus(KNOWN_COUNT_TTL).isAfter(now))
                .orElseGet(() -> store.countKnown(brokerage.id(), now));
        if (!rules.crossed(window.count(), known.connections())) {
            return Optional.empty();
        }
        Incident incident = Incident.suspected(brokerage, window.first(), until, rules.window(), now,
                window.count(), known.connections());
        if (store.open(incident)) {
            return Optional.of(incident);
        }
        return store.incident(brokerage.id()).filter(Incident::open); // another batch suspected it first
    }
}
