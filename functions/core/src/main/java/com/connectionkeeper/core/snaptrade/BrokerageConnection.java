package com.connectionkeeper.core.snaptrade;

import java.time.Instant;

/**
 * A connection as SnapTrade reports it (a BrokerageAuthorization).
 *
 * @param id            the connection id (brokerageAuthorizationId; the value for {@code reconnect})
 * @param brokerageId   the brokerage's id, or null
 * @param brokerageSlug the brokerage's slug, e.g. "ALPACA", or null
 * @param brokerageName the brokerage's display name, or null
 * @param name          SnapTrade's name for the connection, or null
 * @param type          read or trade access, or null when SnapTrade did not say
 * @param disabled      true when SnapTrade considers it broken
 * @param disabledDate  when it was disabled, or null
 * @param createdDate   when it was created, or null
 * @param updatedDate   when it last changed, or null
 */
public record BrokerageConnection(
        String id,
        String brokerageId,
        String brokerageSlug,
        String brokerageName,
        String name,
        ConnectionType type,
        boolean disabled,
        Instant disabledDate,
        Instant createdDate,
        Instant updatedDate) {
}
