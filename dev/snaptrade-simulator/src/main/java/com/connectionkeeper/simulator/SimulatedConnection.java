package com.connectionkeeper.simulator;

import java.time.Instant;

/**
 * A connection as the simulator holds it (the truth tests assert against).
 *
 * @param id            the connection id (brokerageAuthorizationId)
 * @param userId        its owner
 * @param brokerageSlug the brokerage, e.g. "ALPACA"
 * @param brokerageId   the brokerage's uuid
 * @param type          "read" or "trade"
 * @param disabled      true while broken
 * @param disabledDate  when it broke, or null
 * @param createdDate   when it was added
 * @param updatedDate   when it last changed
 * @param account       the brokerage login it belongs to (a reconnect must use the same one)
 */
public record SimulatedConnection(String id, String userId, String brokerageSlug, String brokerageId, String type,
                                  boolean disabled, Instant disabledDate, Instant createdDate, Instant updatedDate,
                                  String account) {
}
