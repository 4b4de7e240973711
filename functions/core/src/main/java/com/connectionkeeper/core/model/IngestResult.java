package com.connectionkeeper.core.model;

import java.util.Locale;

/** What a webhook did: the answer we give SnapTrade and the result kept in history. */
public enum IngestResult {
    /** It changed (or, replayed after a crash, re-established) our state. */
    APPLIED,
    /** We had already received this webhook; nothing changed. */
    DUPLICATE,
    /** Older than what we already know; kept in history, nothing changed. */
    STALE,
    /** Recorded only: account/trade events, unknown types, connection events without a connection id. */
    IGNORED;

    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static IngestResult fromWire(String s) {
        return valueOf(s.toUpperCase(Locale.ROOT));
    }
}
