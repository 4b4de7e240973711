package com.connectionkeeper.core.model;

import java.time.Instant;

/**
 * What we know of one connection (SnapTrade brokerage authorization) of one user.
 *
 * @param brokenSince        set exactly while the status is BROKEN: when it broke
 * @param fixedAt            when it was last repaired (CONNECTION_FIXED, a sweep or the portal)
 * @param verifyRequestedAt  set while the connection waits for the sweep to verify it (e.g. after CONNECTION_UPDATED)
 * @param watermark          the newest event applied; anything not after it is stale
 * @param lastEventType      the type of that event
 * @param source             who reported that event
 * @param observed           what SnapTrade itself last said of it (brokerage, type, when), or null if never asked
 */
public record ConnectionState(
        String userId,
        String connectionId,
        ConnectionStatus status,
        String brokerageId,
        Instant brokenSince,
        Instant fixedAt,
        Instant verifyRequestedAt,
        Watermark watermark,
        String lastEventType,
        Source source,
        Observed observed) {

    /** A connection SnapTrade has not been asked about. */
    public ConnectionState(String userId, String connectionId, ConnectionStatus status, String brokerageId,
                           Instant brokenSince, Instant fixedAt, Instant verifyRequestedAt, Watermark watermark,
                           String lastEventType, Source source) {
        this(userId, connectionId, status, brokerageId, brokenSince, fixedAt, verifyRequestedAt, watermark,
                lastEventType, source, null);
    }

    public boolean needsVerification() {
        return verifyRequestedAt != null;
    }

    public boolean needsReconnect() {
        return status == ConnectionStatus.BROKEN;
    }
}
