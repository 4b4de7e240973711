package com.connectionkeeper.core.lifecycle;

import java.time.Instant;

/**
 * One event for the app's bus. Its {@link #id} is derived from what it reports (the connection or user and the
 * change that made it), so the same change read twice — a retried stream record, a retried publish — gives the same
 * id, and a consumer de-duplicates on it.
 */
public sealed interface LifecycleEvent permits ConnectionEvent, UserEvent, ReminderEvent, IncidentEvent {
    /** Version of the {@code detail} layout; a consumer may rely on every field of a version. */
    int VERSION = 1;

    String id();

    EventKind kind();

    /** When the change was recorded (the stream record's time): the envelope's {@code time}. */
    Instant time();

    /** The user the event is about; null for an event about a brokerage. */
    String userId();

    /**
     * What the event is about, for ordering: a connection's events (status changes, reminders) share one subject,
     * a user's deletion has its own, and a brokerage's incident events theirs. Events of one subject are published
     * in order; across subjects there is none.
     */
    String subject();

    /** The subject of a connection's events. */
    static String connectionSubject(String userId, String connectionId) {
        return "C\u0000" + userId + '\u0000' + connectionId;
    }
}
