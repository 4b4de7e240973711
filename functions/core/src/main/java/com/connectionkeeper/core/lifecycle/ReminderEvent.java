package com.connectionkeeper.core.lifecycle;

import com.connectionkeeper.core.snaptrade.ConnectionType;
import java.time.Instant;
import java.util.Objects;

/**
 * A connection is still broken and a step of the reminder cadence fell due: nudge the user again.
 *
 * @param step                       which reminder of this break (1 for the first)
 * @param brokenSince                since when the connection is broken
 * @param daysBroken                 whole days from the break to {@code at}
 * @param linkIssuedSinceLastReminder whether a reconnect link was issued since the previous reminder of this break
 *                                   (for the first: since the break) — the app may word its message differently
 * @param at                         when the reminder fell due and was recorded
 */
public record ReminderEvent(String id, EventKind kind, Instant time, String userId, String connectionId,
                            ConnectionEvent.Brokerage brokerage, ConnectionType type,
                            int step, Instant brokenSince, long daysBroken, boolean linkIssuedSinceLastReminder,
                            Instant at) implements LifecycleEvent {

    public ReminderEvent {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(time, "time");
        Objects.requireNonNull(userId, "userId");
        Objects.requireNonNull(connectionId, "connectionId");
        Objects.requireNonNull(brokenSince, "brokenSince");
        Objects.requireNonNull(at, "at");
    }

    @Override
    public String subject() {
        return LifecycleEvent.connectionSubject(userId, connectionId);
    }
}
