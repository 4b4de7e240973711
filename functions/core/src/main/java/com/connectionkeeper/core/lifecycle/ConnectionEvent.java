package com.connectionkeeper.core.lifecycle;

import com.connectionkeeper.core.model.ConnectionStatus;
import com.connectionkeeper.core.model.Source;
import com.connectionkeeper.core.snaptrade.ConnectionType;
import java.time.Instant;
import java.util.Objects;

/**
 * A connection's status changed.
 *
 * @param brokerage      what we know of its brokerage (fields null when unknown)
 * @param type           read or trade, when SnapTrade told us
 * @param from           the status before; null when the connection was first seen
 * @param to             the status after
 * @param at             the change's own time (the event's time at SnapTrade, the sweep's observation, the return)
 * @param cause          who told us: webhook, sweep, portal or api
 * @param brokenSince    since when it is (or, for a fix or deletion, was) broken; null if it was not
 * @param needsReconnect whether the user must now reconnect it through the portal
 * @param incidentId     for a break: the suspected incident at its brokerage the break belongs to, as far as known
 *                       when the event was published ({@code suspectedIncident} in the detail); else null
 */
public record ConnectionEvent(String id, EventKind kind, Instant time, String userId, String connectionId,
                              Brokerage brokerage, ConnectionType type, ConnectionStatus from, ConnectionStatus to,
                              Instant at, Source cause, Instant brokenSince, boolean needsReconnect,
                              String incidentId)
        implements LifecycleEvent {

    /** An event no incident is known for. */
    public ConnectionEvent(String id, EventKind kind, Instant time, String userId, String connectionId,
                           Brokerage brokerage, ConnectionType type, ConnectionStatus from, ConnectionStatus to,
                           Instant at, Source cause, Instant brokenSince, boolean needsReconnect) {
        this(id, kind, time, userId, connectionId, brokerage, type, from, to, at, cause, brokenSince, needsReconnect,
                null);
    }

    public ConnectionEvent {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(time, "time");
        Objects.requireNonNull(userId, "userId");
        Objects.requireNonNull(connectionId, "connectionId");
        Objects.requireNonNull(brokerage, "brokerage");
        Objects.requireNonNull(to, "to");
        Objects.requireNonNull(at, "at");
    }

    /** This event, marked as part of the suspected incident {@code incidentId} (same id: the same change). */
    public ConnectionEvent withIncident(String incidentId) {
        return new ConnectionEvent(id, kind, time, userId, connectionId, brokerage, type, from, to, at, cause,
                brokenSince, needsReconnect, incidentId);
    }

    /** Whether the break is probably the brokerage's trouble (a suspected incident there covers it). */
    public boolean suspectedIncident() {
        return incidentId != null;
    }

    @Override
    public String subject() {
        return LifecycleEvent.connectionSubject(userId, connectionId);
    }

    /** A brokerage as far as we know it: SnapTrade's id, slug and display name, each null when unknown. */
    public record Brokerage(String id, String slug, String name) {
        public static final Brokerage UNKNOWN = new Brokerage(null, null, null);
    }
}
