package com.connectionkeeper.core.model;

import java.time.Instant;
import java.util.Objects;

/**
 * What one event does to a connection, stated so that both the pure rules and a single conditional DynamoDB update
 * can carry it out: every field is "set", "keep" or "remove", never "compute from the old value" — except
 * {@code brokenSince}, which is set only if absent so a second BROKEN keeps the first break time. Built by the named
 * constructors ({@link #broke}, {@link #fixed}, {@link #observedActive}, …), each from an {@link Origin}.
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

    /**
     * Where a change comes from: its place in the timeline, when it happened, the event type recorded on the
     * connection, and who told us.
     */
    public record Origin(Watermark watermark, Instant at, String eventType, Source source) {
        public Origin {
            Objects.requireNonNull(watermark, "watermark");
            Objects.requireNonNull(at, "at");
            Objects.requireNonNull(eventType, "eventType");
            Objects.requireNonNull(source, "source");
        }
    }

    /** SnapTrade said the connection broke (CONNECTION_BROKEN): broken since {@code since} unless broken already. */
    public static ConnectionChange broke(Origin o, String brokerageId, Instant since) {
        return of(o, ConnectionStatus.BROKEN, brokerageId, since, null, Verification.KEEP, null);
    }

    /** SnapTrade said the connection was repaired (CONNECTION_FIXED): active, fixed at the event's time. */
    public static ConnectionChange fixed(Origin o, String brokerageId) {
        return of(o, ConnectionStatus.ACTIVE, brokerageId, null, o.at(), Verification.KEEP, null);
    }

    /** SnapTrade said the connection was added (CONNECTION_ADDED): active. */
    public static ConnectionChange added(Origin o, String brokerageId) {
        return of(o, ConnectionStatus.ACTIVE, brokerageId, null, null, Verification.KEEP, null);
    }

    /**
     * SnapTrade said something about the connection changed (CONNECTION_UPDATED) without saying its status: the
     * status stays, and the connection is flagged for verification.
     */
    public static ConnectionChange updated(Origin o, String brokerageId) {
        return of(o, null, brokerageId, null, null, Verification.REQUEST, null);
    }

    /** The connection is gone (deleted at SnapTrade, with its user, or no longer listed): any flag is cleared. */
    public static ConnectionChange deleted(Origin o, String brokerageId) {
        return of(o, ConnectionStatus.DELETED, brokerageId, null, null, Verification.CLEAR, null);
    }

    /** SnapTrade's own answer lists the connection as disabled: broken since {@code since}, verified. */
    public static ConnectionChange observedBroken(Origin o, String brokerageId, Instant since, Observed observed) {
        return of(o, ConnectionStatus.BROKEN, brokerageId, since, null, Verification.CLEAR,
                Objects.requireNonNull(observed, "observed"));
    }

    /**
     * SnapTrade's own answer lists the connection as enabled: active, verified; fixed at the observation's time when
     * it was {@code repaired} (broken in our state before).
     */
    public static ConnectionChange observedActive(Origin o, String brokerageId, boolean repaired, Observed observed) {
        return of(o, ConnectionStatus.ACTIVE, brokerageId, null, repaired ? o.at() : null, Verification.CLEAR,
                Objects.requireNonNull(observed, "observed"));
    }

    private static ConnectionChange of(Origin o, ConnectionStatus status, String brokerageId, Instant brokenAt,
                                       Instant fixedAt, Verification verification, Observed observed) {
        return new ConnectionChange(o.watermark(), status, brokerageId, brokenAt, fixedAt, verification, o.at(),
                o.eventType(), o.source(), observed);
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
