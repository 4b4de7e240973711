package com.connectionkeeper.core.model;

import com.connectionkeeper.core.snaptrade.ConnectionType;
import java.time.Instant;
import java.util.Objects;

/**
 * What SnapTrade itself last said about a connection (its list or detail answer, read by the sweep, an import or
 * the return from the portal): the brokerage, the access type — which a reconnect link must keep — and when.
 * Webhooks do not carry these, so a connection known only from webhooks has none yet.
 *
 * @param brokerageSlug  e.g. "ALPACA", or null
 * @param brokerageName  e.g. "Alpaca", or null
 * @param type           read or trade, or null when SnapTrade did not say
 * @param verifiedAt     when SnapTrade was asked
 */
public record Observed(String brokerageSlug, String brokerageName, ConnectionType type, Instant verifiedAt) {
    public Observed {
        Objects.requireNonNull(verifiedAt, "verifiedAt");
    }
}
