package com.connectionkeeper.core.snaptrade;

import java.util.Locale;

/** A connection's access level at SnapTrade; a reconnect must ask for the same one or a trade connection turns read-only. */
public enum ConnectionType {
    READ, TRADE;

    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** SnapTrade's {@code type}; anything but "trade" is read access. */
    public static ConnectionType fromWire(String type) {
        return "trade".equalsIgnoreCase(type) ? TRADE : READ;
    }
}
