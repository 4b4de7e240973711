package com.connectionkeeper.core.model;

import java.time.Instant;
import java.util.Objects;

/**
 * What one event does to a connection, stated so that both the pure rules and a single conditional DynamoDB update
 * can carry it out: every field is "set", "keep" or "remove", never "compute from the old value" — except
 * {@code brokenSince}, which is set only if absent so a second BROKEN keeps the first break time.
 *
 * @param watermark     the event's position; applied only if after the connection's watermark (or equal: a replay)
 * @param status        the new status, or null to keep it (a new connection then starts ACTIVE)
 * @param brokerageId   set when not null
 * @param brokenAt      when status is BROKEN: brokenSince if not already set; otherwise brokenSince is removed
 * @param fixedAt       set when not null
 * @param verification  what happens to the "needs verification" flag
 * @param eventTime     the event time (used as the flag time when verification is requested)
 * @param eventType     recorded as the connection's last event type
 * @param source        recorded as the source of the last change
 * @param observed      what SnapTrade said of the connection (observations only), or null to keep what is stored
 */
public record ConnectionChange(
        Watermark watermark,
        ConnectionStatus status,
        String brokerageId,
        Instant brokenAt,
        Instant fixedAt,
        Verification verification,
        Instant eventTime,
        String eventType,
        Source source,
        Observed observed) {

    /** A change that brings no word from SnapTrade itself (a webhook, a deletion). */
    public ConnectionChange(Watermark watermark, ConnectionStatus status, String brokerageId, Instant brokenAt,
                            Instant fixedAt, Verification verification, Instant eventTime, String eventType,
                            Source source) {
        this(watermark, status, brokerageId, brokenAt, fixedAt, verification, eventTime, eventType, source, null);
    }

    /** The "needs verification" flag: keep it, raise it (keeping an earlier flag time), or clear it. */
    public enum Verification { KEEP, REQUEST, CLEAR }

    public ConnectionChange {
        Objects.requireNonNull(watermark);
        Objects.requireNonNull(verification);
        Objects.requireNonNull(eventTime);
        Objects.requireNonNull(eventType);
        Objects.requireNonNull(source);
        if ((status == ConnectionStatus.BROKEN) != (brokenAt != null)) {
            throw new IllegalArgumentException("brokenAt is given exactly when the change breaks the connection");
        }
    }

    /** Status this change leaves on a connection that had {@code current} (null: none yet). */
    public ConnectionStatus statusAfter(ConnectionStatus current) {
        if (status != null) {
            return status;
        }
        return current == null ? ConnectionStatus.ACTIVE : current;
    }
}
