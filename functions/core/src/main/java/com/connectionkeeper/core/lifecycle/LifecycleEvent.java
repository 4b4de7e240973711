package com.connectionkeeper.core.lifecycle;

import java.time.Instant;

/**
 * One event for the app's bus. Its {@link #id} is derived from what it reports (the connection or user and the
 * change that made it), so the same change read twice — a retried stream record, a retried publish — gives the same
 * id, and a consumer de-duplicates on it.
 */
public sealed interface LifecycleEvent permits ConnectionEvent, UserEvent, ReminderEvent {
    /** Version of the {@code detail} layout; a consumer may rely on every field of a version. */
    int VERSION = 1;

    String id();

    EventKind kind();

    /** When the change was recorded (the stream record's time): the envelope's {@code time}. */
    Instant time();

    /** The user the event is about (every event has one). */
    String userId();

    /**
     * What the event is about, for ordering: a connection's events (status changes, reminders) share one subject,
     * a user's deletion has its own. Events of one subject are published in order; across subjects there is none.
     */
    default String subject() {
        return userId() + '\u0000' + (this instanceof ConnectionEvent c ? c.connectionId()
                : this instanceof ReminderEvent r ? r.connectionId() : "");
    }
}
