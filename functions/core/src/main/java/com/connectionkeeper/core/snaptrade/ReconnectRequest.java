package com.connectionkeeper.core.snaptrade;

import java.util.Objects;

/**
 * What a reconnect link asks of SnapTrade's login endpoint.
 *
 * @param connectionId       the broken connection: sent as {@code reconnect}
 * @param type               the connection's own type: sent as {@code connectionType}
 * @param customRedirect     where the portal sends the user afterwards, or null
 * @param immediateRedirect  SnapTrade's immediateRedirect, or null for its default
 * @param darkMode           SnapTrade's darkMode, or null for its default
 */
public record ReconnectRequest(String connectionId, ConnectionType type, String customRedirect,
                               Boolean immediateRedirect, Boolean darkMode) {
    public ReconnectRequest {
        Objects.requireNonNull(connectionId, "connectionId");
        Objects.requireNonNull(type, "type");
    }
}
