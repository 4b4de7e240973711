package com.connectionkeeper.core.model;

import java.util.Locale;

/**
 * What told us about a change: a SnapTrade webhook, our sweep of SnapTrade, the user's return from the portal, or a
 * call to our HTTP API (a user's import or deletion).
 */
public enum Source {
    WEBHOOK, SWEEP, PORTAL, API;

    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Source fromWire(String s) {
        return valueOf(s.toUpperCase(Locale.ROOT));
    }
}
