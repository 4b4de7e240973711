package com.connectionkeeper.core.model;

import com.connectionkeeper.core.model.ConnectionChange.Verification;
import java.time.Instant;
import java.util.Optional;

/**
 * The rules that turn an event into a connection change, and a change into a new connection state. Pure: the
 * DynamoDB store carries out the same change with one conditional update.
 */
public final class ConnectionRules {
    private ConnectionRules() {
    }

    /** What a webhook does to its connection; empty when it does not concern one connection's state. */
    public static Optional<ConnectionChange> changeFor(WebhookEvent e) {
        if (e.type().effect() != EventType.Effect.CONNECTION_STATUS || e.connectionId() == null) {
            return Optional.empty();
        }
        ConnectionChange.Origin o = new ConnectionChange.Origin(e.watermark(), e.eventTime(), e.type().name(),
                Source.WEBHOOK);
        String brokerage = e.brokerageId();
        ConnectionChange change = switch (e.type()) {
            case CONNECTION_BROKEN -> ConnectionChange.broke(o, brokerage, e.eventTime());
            case CONNECTION_FIXED -> ConnectionChange.fixed(o, brokerage);
            case CONNECTION_ADDED -> ConnectionChange.added(o, brokerage);
            case CONNECTION_DELETED -> ConnectionChange.deleted(o, brokerage);
            case CONNECTION_UPDATED -> ConnectionChange.updated(o, brokerage);
            default -> throw new IllegalStateException("not a connection status event: " + e.type());
        };
        return Optional.of(change);
    }

    /** What a user's deletion does to each of its connections. */
    public static ConnectionChange userDeletion(Watermark w, Instant t, Source source) {
        return ConnectionChange.deleted(new ConnectionChange.Origin(w, t, EventType.USER_DELETED.name(), source), null);
    }

    /** Whether a change at this watermark may be applied over {@code current} (equal: the same event replayed). */
    public static boolean applies(ConnectionState current, ConnectionChange change) {
        return current == null || !current.watermark().isAfter(change.watermark());
    }

    /**
     * The state after {@code change}; {@code current} unchanged when the change is stale. A replay of the change
     * that set the current watermark yields the same state.
     */
    public static ConnectionState apply(String userId, String connectionId, ConnectionState current,
                                        ConnectionChange change) {
        if (!applies(current, change)) {
            return current;
        }
        ConnectionStatus before = current == null ? null : current.status();
        ConnectionStatus after = change.statusAfter(before);
        Instant brokenSince = null;
        if (after == ConnectionStatus.BROKEN) {
            Instant old = current == null ? null : current.brokenSince();
            brokenSince = old != null ? old : change.brokenAt();
        }
        Instant verifyRequestedAt = current == null ? null : current.verifyRequestedAt();
        if (change.verification() == Verification.REQUEST && verifyRequestedAt == null) {
            verifyRequestedAt = change.eventTime();
        } else if (change.verification() == Verification.CLEAR) {
            verifyRequestedAt = null;
        }
        return new ConnectionState(
                userId,
                connectionId,
                after,
                change.brokerageId() != null ? change.brokerageId() : current == null ? null : current.brokerageId(),
                brokenSince,
                change.fixedAt() != null ? change.fixedAt() : current == null ? null : current.fixedAt(),
                verifyRequestedAt,
                change.watermark(),
                change.eventType(),
                change.source(),
                change.observed() != null ? change.observed() : current == null ? null : current.observed());
    }
}
