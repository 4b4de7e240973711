package com.connectionkeeper.simulator;

import java.time.Instant;

/**
 * A connection as the simulator holds it (the truth tests assert against).
 *
 * @param id             the connection id (brokerageAuthorizationId)
 * @param userId         its owner
 * @param brokerageSlug  the brokerage, e.g. "ALPACA"
 * @param brokerageId    the brokerage's uuid
 * @param type           "read" or "trade"
 * @param disabled       true while broken
 * @param disabledDate   when it broke, or null
 * @param createdDate    when it was added
 * @param updatedDate    when it last changed
 * @param account        the brokerage login it belongs to (a reconnect must use the same one)
 * @param tokenExpiresAt when its access token expires (drawn from its brokerage's {@link TokenLifetimes} when it was
 *                       added or last repaired; past once it expired), or null when it never does
 */
public record SimulatedConnection(String id, String userId, String brokerageSlug, String brokerageId, String type,
                                  boolean disabled, Instant disabledDate, Instant createdDate, Instant updatedDate,
                                  String account, Instant tokenExpiresAt) {

    /** A connection whose token never expires. */
    public SimulatedConnection(String id, String userId, String brokerageSlug, String brokerageId, String type,
                               boolean disabled, Instant disabledDate, Instant createdDate, Instant updatedDate,
                               String account) {
        this(id, userId, brokerageSlug, brokerageId, type, disabled, disabledDate, createdDate, updatedDate, account,
                null);
    }

    /** This connection broken at {@code at}. */
    SimulatedConnection brokenAt(Instant at) {
        return new SimulatedConnection(id, userId, brokerageSlug, brokerageId, type, true, at, createdDate, at, account,
                tokenExpiresAt);
    }

    /** This connection working again from {@code at}, as {@code newType}, with a new token. */
    SimulatedConnection workingAt(Instant at, String newType, Instant newTokenExpiresAt) {
        return new SimulatedConnection(id, userId, brokerageSlug, brokerageId, newType, false, null, createdDate, at,
                account, newTokenExpiresAt);
    }
}
