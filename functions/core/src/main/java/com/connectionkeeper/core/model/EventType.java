package com.connectionkeeper.core.model;

import java.util.Locale;

/** The SnapTrade webhook event types we know, each with what it does to our state. */
public enum EventType {
    USER_REGISTERED(Effect.USER_REGISTRATION, 0),
    USER_DELETED(Effect.USER_DELETION, 6),
    CONNECTION_ATTEMPTED(Effect.USER_ATTEMPT, 0),
    CONNECTION_FAILED(Effect.USER_ATTEMPT, 0),
    CONNECTION_ADDED(Effect.CONNECTION_STATUS, 2),
    CONNECTION_FIXED(Effect.CONNECTION_STATUS, 3),
    CONNECTION_BROKEN(Effect.CONNECTION_STATUS, 4),
    CONNECTION_DELETED(Effect.CONNECTION_STATUS, 5),
    CONNECTION_UPDATED(Effect.CONNECTION_STATUS, 1),
    NEW_ACCOUNT_AVAILABLE(Effect.RECORD_ONLY, 0),
    ACCOUNT_REMOVED(Effect.RECORD_ONLY, 0),
    ACCOUNT_TRANSACTIONS_INITIAL_UPDATE(Effect.RECORD_ONLY, 0),
    ACCOUNT_TRANSACTIONS_UPDATED(Effect.RECORD_ONLY, 0),
    ACCOUNT_HOLDINGS_UPDATED(Effect.RECORD_ONLY, 0),
    TRADE_DETECTION(Effect.RECORD_ONLY, 0),
    TRADE_UPDATE(Effect.RECORD_ONLY, 0),
    /** Any type SnapTrade adds later: recorded, answered "ignored". */
    UNKNOWN(Effect.RECORD_ONLY, 0);

    /** What an event of this type changes. */
    public enum Effect { CONNECTION_STATUS, USER_REGISTRATION, USER_DELETION, USER_ATTEMPT, RECORD_ONLY }

    private final Effect effect;
    private final int tiePrecedence;

    EventType(Effect effect, int tiePrecedence) {
        this.effect = effect;
        this.tiePrecedence = tiePrecedence;
    }

    public Effect effect() {
        return effect;
    }

    /**
     * Breaks a tie between two events with the same timestamp: the higher one wins. Deletion beats breakage beats
     * repair beats addition beats "updated", so an exact tie errs toward the state that prompts a check.
     */
    public int tiePrecedence() {
        return tiePrecedence;
    }

    /** The type for SnapTrade's wire name; {@link #UNKNOWN} for names we do not know. */
    public static EventType fromWire(String name) {
        if (name == null) {
            return UNKNOWN;
        }
        try {
            EventType type = valueOf(name.trim().toUpperCase(Locale.ROOT));
            return type == UNKNOWN ? UNKNOWN : type;
        } catch (IllegalArgumentException notKnown) {
            return UNKNOWN;
        }
    }
}
