package com.connectionkeeper.core.model;

/** A connection's status change as the outside world sees it: the lifecycle events (and the sweep's counts). */
public enum Transition {
    ADDED, BROKEN, FIXED, DELETED, NONE;

    /** The transition from {@code before} (null: unknown connection) to {@code after}. */
    public static Transition of(ConnectionStatus before, ConnectionStatus after) {
        if (before == after) {
            return NONE;
        }
        return switch (after) {
            case DELETED -> DELETED;
            case BROKEN -> before == null ? ADDED : BROKEN;
            case ACTIVE -> before == null ? ADDED : before == ConnectionStatus.BROKEN ? FIXED : ADDED;
        };
    }
}
