package com.connectionkeeper.core.lifecycle;

/** What the app hears of, each with its EventBridge {@code detail-type}. */
public enum EventKind {
    CONNECTION_ADDED("Connection Added"),
    CONNECTION_BROKEN("Connection Broken"),
    CONNECTION_FIXED("Connection Fixed"),
    CONNECTION_DELETED("Connection Deleted"),
    USER_DELETED("User Deleted"),
    CONNECTION_RECONNECT_REMINDER("Connection Reconnect Reminder"),
    BROKERAGE_INCIDENT_SUSPECTED("Brokerage Incident Suspected"),
    BROKERAGE_INCIDENT_ENDED("Brokerage Incident Ended");

    private final String detailType;

    EventKind(String detailType) {
        this.detailType = detailType;
    }

    /** The event's {@code detail-type} on the bus. */
    public String detailType() {
        return detailType;
    }
}
