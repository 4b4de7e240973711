package com.connectionkeeper.core.reminders;

import java.time.Instant;
import java.util.Map;

/**
 * Brokerages whose reminders are held for now (a suspected incident there: the user could not reconnect, or it is
 * not their doing), each with the time until which it is held at the longest. Asked once per reminder run.
 */
@FunctionalInterface
public interface ReminderHolds {
    /** Nothing held. */
    ReminderHolds NONE = now -> Map.of();

    /** The held brokerages at {@code now}, by brokerage id, with the latest time their hold may last. */
    Map<String, Instant> held(Instant now);
}
