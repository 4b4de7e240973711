package com.connectionkeeper.core.domain;

import java.util.Locale;

/** What told us about a change: a SnapTrade webhook, our sweep of SnapTrade, or the user's return from the portal. */
public enum Source {
    WEBHOOK, SWEEP, PORTAL;

    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Source fromWire(String s) {
        return valueOf(s.toUpperCase(Locale.ROOT));
    }
}
