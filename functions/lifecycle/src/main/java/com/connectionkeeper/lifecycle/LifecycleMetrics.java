package com.connectionkeeper.lifecycle;

import com.connectionkeeper.core.lifecycle.ConnectionEvent;
import com.connectionkeeper.core.lifecycle.EventKind;
import com.connectionkeeper.core.lifecycle.IncidentEvent;
import com.connectionkeeper.core.lifecycle.LifecycleEvent;
import com.connectionkeeper.core.lifecycle.ReminderEvent;
import com.connectionkeeper.core.log.Emf;
import com.connectionkeeper.core.log.JsonLog;
import com.connectionkeeper.core.log.MetricNames;
import com.connectionkeeper.core.sweep.ConnectionCensus;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What the lifecycle function tells CloudWatch, one Embedded Metric Format line per event it has just published (so a
 * change counts once, where the app hears of it; docs/operations.md → "Metrics"): connection transitions by cause and
 * brokerage, time to repair (broken to fixed) by brokerage, whether a repair came within a day of a reconnect link,
 * reminders sent, and brokerage incidents.
 */
final class LifecycleMetrics {
    static final String TRANSITIONS = MetricNames.CONNECTION_TRANSITIONS;
    static final String TIME_TO_REPAIR = MetricNames.TIME_TO_REPAIR;
    static final String REPAIRED_AFTER_LINK = MetricNames.REPAIRED_WITHIN_DAY_OF_LINK;
    static final String REMINDERS = MetricNames.REMINDERS_SENT;
    static final String INCIDENTS = MetricNames.BROKERAGE_INCIDENTS;
    /** A repair counts as a link's when the newest link before it is at most this old. */
    static final Duration LINK_WINDOW = Duration.ofDays(1);
    /** The brokerage dimension of a connection whose brokerage is not known yet (as in the census). */
    static final String UNKNOWN_BROKERAGE = ConnectionCensus.Census.UNKNOWN;

    private final Emf.Declaration transition;
    private final Emf.Declaration repair;
    private final Emf.Declaration repairWithoutDuration;
    private final Emf.Declaration reminder;
    private final Emf.Declaration incident;

    LifecycleMetrics(String namespace) {
        List<List<String>> byTransition = MetricNames.BY_TRANSITION;
        Emf.Metric transitions = new Emf.Metric(TRANSITIONS, "Count");
        Emf.Metric afterLink = new Emf.Metric(REPAIRED_AFTER_LINK, "Count");
        this.transition = new Emf.Declaration(namespace, byTransition, List.of(transitions));
        this.repair = new Emf.Declaration(namespace, byTransition, List.of(transitions,
                new Emf.Metric(TIME_TO_REPAIR, "Seconds"), afterLink));
        this.repairWithoutDuration = new Emf.Declaration(namespace, byTransition, List.of(transitions, afterLink));
        this.reminder = new Emf.Declaration(namespace, MetricNames.IN_ALL_AND_BY_BROKERAGE,
                List.of(new Emf.Metric(REMINDERS, "Count")));
        this.incident = new Emf.Declaration(namespace, MetricNames.BY_INCIDENT,
                List.of(new Emf.Metric(INCIDENTS, "Count")));
    }

    /**
     * The lines of the events just published.
     *
     * @param linksIssuedAt by event id, the newest reconnect link of the connection at the time of its change
     */
    void report(List<LifecycleEvent> published, Map<String, Instant> linksIssuedAt) {
        for (LifecycleEvent e : published) {
            if (e instanceof ConnectionEvent c) {
                connection(c, linksIssuedAt.get(c.id()));
            } else if (e instanceof ReminderEvent r) {
                JsonLog.metrics("INFO", "reminder_sent", reminder, "eventId", r.id(), "userId", r.userId(),
                        "connectionId", r.connectionId(), "step", r.step(), "brokerage", brokerage(r.brokerage()),
                        REMINDERS, 1);
            } else if (e instanceof IncidentEvent i) {
                JsonLog.metrics("INFO", "brokerage_incident", incident, "eventId", i.id(),
                        "incident", i.kind() == EventKind.BROKERAGE_INCIDENT_SUSPECTED ? "suspected" : "ended",
                        "brokerage", brokerage(i.incident().brokerage()), INCIDENTS, 1);
            }
        }
    }

    private void connection(ConnectionEvent c, Instant linkIssuedAt) {
        List<Object> fields = new ArrayList<>(List.of("eventId", c.id(), "userId", c.userId(),
                "connectionId", c.connectionId(), "transition", transition(c.kind()),
                "cause", c.cause() == null ? "unknown" : c.cause().wire(), "brokerage", brokerage(c.brokerage()),
                TRANSITIONS, 1));
        if (c.kind() != EventKind.CONNECTION_FIXED) {
            JsonLog.metrics("INFO", "connection_transition", transition, fields.toArray());
            return;
        }
        boolean afterLink = linkIssuedAt != null && !linkIssuedAt.isAfter(c.at())
                && Duration.between(linkIssuedAt, c.at()).compareTo(LINK_WINDOW) <= 0;
        fields.addAll(List.of(REPAIRED_AFTER_LINK, afterLink ? 1 : 0));
        if (c.brokenSince() != null && !c.brokenSince().isAfter(c.at())) {
            fields.addAll(List.of(TIME_TO_REPAIR, Duration.between(c.brokenSince(), c.at()).toSeconds()));
            JsonLog.metrics("INFO", "connection_transition", repair, fields.toArray());
        } else {
            JsonLog.metrics("INFO", "connection_transition", repairWithoutDuration, fields.toArray());
        }
    }

    /** "added", "broken", "fixed", "deleted": the kind without its CONNECTION_ prefix, lower case. */
    static String transition(EventKind kind) {
        return kind.name().replace("CONNECTION_", "").toLowerCase(Locale.ROOT);
    }

    /** The brokerage's slug, else its id, else {@value #UNKNOWN_BROKERAGE} (the census names them alike). */
    static String brokerage(ConnectionEvent.Brokerage b) {
        if (b == null) {
            return UNKNOWN_BROKERAGE;
        }
        if (b.slug() != null && !b.slug().isBlank()) {
            return b.slug();
        }
        return b.id() != null && !b.id().isBlank() ? b.id() : UNKNOWN_BROKERAGE;
    }
}
