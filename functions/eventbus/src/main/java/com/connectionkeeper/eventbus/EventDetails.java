package com.connectionkeeper.eventbus;

import com.connectionkeeper.core.json.JsonText;
import com.connectionkeeper.core.lifecycle.ConnectionEvent;
import com.connectionkeeper.core.lifecycle.Incident;
import com.connectionkeeper.core.lifecycle.IncidentEvent;
import com.connectionkeeper.core.lifecycle.LifecycleEvent;
import com.connectionkeeper.core.lifecycle.ReminderEvent;
import com.connectionkeeper.core.lifecycle.UserEvent;
import com.connectionkeeper.core.model.Source;
import java.time.Instant;

/**
 * The {@code detail} of an event on the bus: an envelope ({@code id}, {@code version}, {@code time}) and the
 * event's {@code data}. Every field of a version is always present; unknown values are {@code null}.
 */
public final class EventDetails {
    /** The {@code source} of every event Connection Keeper publishes. */
    public static final String SOURCE = "connection-keeper";

    private EventDetails() {
    }

    public static String detail(LifecycleEvent event) {
        StringBuilder out = new StringBuilder(512).append('{');
        field(out, "id", event.id()).append(',');
        JsonText.string(out, "version");
        out.append(':').append(LifecycleEvent.VERSION).append(',');
        field(out, "time", event.time()).append(",\"data\":{");
        if (event instanceof ConnectionEvent e) {
            connection(out, e);
        } else if (event instanceof UserEvent e) {
            user(out, e);
        } else if (event instanceof ReminderEvent e) {
            reminder(out, e);
        } else if (event instanceof IncidentEvent e) {
            incident(out, e.incident());
        } else {
            throw new IllegalArgumentException("no detail layout for " + event.getClass().getSimpleName());
        }
        return out.append("}}").toString();
    }

    private static void connection(StringBuilder out, ConnectionEvent e) {
        field(out, "userId", e.userId()).append(',');
        field(out, "connectionId", e.connectionId()).append(',');
        brokerage(out, e.brokerage()).append(',');
        field(out, "type", e.type() == null ? null : e.type().wire()).append(',');
        field(out, "from", e.from() == null ? null : e.from().name()).append(',');
        field(out, "to", e.to().name()).append(',');
        field(out, "at", e.at()).append(',');
        field(out, "cause", cause(e.cause())).append(',');
        field(out, "brokenSince", e.brokenSince()).append(",\"needsReconnect\":").append(e.needsReconnect())
                .append(",\"suspectedIncident\":").append(e.suspectedIncident()).append(',');
        field(out, "incidentId", e.incidentId());
    }

    /** Both incident events have this one layout; what is not known yet (the end, while suspected) is null. */
    private static void incident(StringBuilder out, Incident i) {
        field(out, "incidentId", i.id()).append(',');
        brokerage(out, i.brokerage()).append(',');
        field(out, "status", i.open() ? "suspected" : "ended").append(',');
        field(out, "since", i.since()).append(',');
        field(out, "until", i.until()).append(",\"windowMinutes\":").append(i.window().toMinutes())
                .append(",\"breaks\":").append(i.breaks()).append(",\"knownConnections\":").append(i.known())
                .append(',');
        field(out, "suspectedAt", i.openedAt()).append(',');
        field(out, "endedAt", i.endedAt()).append(',');
        field(out, "endReason", i.endReason() == null ? null : i.endReason().wire()).append(',');
        number(out, "total", i.open() ? null : i.total()).append(',');
        number(out, "stillBroken", i.open() ? null : i.stillBroken());
    }

    private static StringBuilder number(StringBuilder out, String name, Integer value) {
        JsonText.string(out, name);
        return out.append(':').append(value == null ? "null" : value.toString());
    }

    private static void reminder(StringBuilder out, ReminderEvent e) {
        field(out, "userId", e.userId()).append(',');
        field(out, "connectionId", e.connectionId()).append(',');
        brokerage(out, e.brokerage()).append(',');
        field(out, "type", e.type() == null ? null : e.type().wire()).append(",\"step\":").append(e.step())
                .append(',');
        field(out, "brokenSince", e.brokenSince()).append(",\"daysBroken\":").append(e.daysBroken())
                .append(",\"linkIssuedSinceLastReminder\":").append(e.linkIssuedSinceLastReminder()).append(',');
        field(out, "at", e.at()).append(",\"needsReconnect\":true");
    }

    private static void user(StringBuilder out, UserEvent e) {
        field(out, "userId", e.userId()).append(',');
        field(out, "at", e.at()).append(',');
        field(out, "cause", cause(e.cause()));
    }

    private static StringBuilder brokerage(StringBuilder out, ConnectionEvent.Brokerage b) {
        out.append("\"brokerage\":{");
        field(out, "id", b.id()).append(',');
        field(out, "slug", b.slug()).append(',');
        return field(out, "name", b.name()).append('}');
    }

    private static String cause(Source source) {
        return source == null ? null : source.wire();
    }

    private static StringBuilder field(StringBuilder out, String name, Instant value) {
        return field(out, name, value == null ? null : value.toString());
    }

    private static StringBuilder field(StringBuilder out, String name, String value) {
        JsonText.string(out, name);
        out.append(':');
        if (value == null) {
            out.append("null");
        } else {
            JsonText.string(out, value);
        }
        return out;
    }
}
