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
}
