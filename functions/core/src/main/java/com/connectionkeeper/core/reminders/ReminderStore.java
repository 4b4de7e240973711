package com.connectionkeeper.core.reminders;

import java.time.Instant;
import java.util.List;

/**
 * What the reminder run needs of the table: the broken connections whose next step may be due (a sparse index on
 * {@code reminderDueAt}, set when a connection breaks, removed when it is fixed or deleted), and conditional writes
 * that record a step or move the due time on.
 */
public interface ReminderStore {
    /**
     * A broken connection whose reminders may be due: its brokerage (null when unknown), its break, the last step
     * recorded for that break (0: none) and the due time the index holds.
     */
    record Due(String userId, String connectionId, String brokerageId, Instant brokenSince, int step,
               Instant dueAt) {
    }

    /** One page, earliest due first; {@code next} is null after the last page. */
    record Page(List<Due> items, String next) {
        public Page {
            items = List.copyOf(items);
        }
    }

    /** Connections due at or before {@code upTo}, from {@code cursor}, at most {@code limit}. */
    Page due(Instant upTo, String cursor, int limit);

    /**
     * Records {@code step} as sent for the break at {@code brokenSince} (at {@code at}) and moves the due time to
     * {@code nextDueAt}, if the connection is still broken since then and has had neither this step nor a later one
     * of that break; true if it did (the table's stream then publishes the reminder). One conditional write: two
     * runs never both record a step.
     */
    boolean claim(String userId, String connectionId, Instant brokenSince, int step, Instant at, Instant nextDueAt);

    /** Moves the due time to {@code nextDueAt}, if the connection is still broken since {@code brokenSince}. */
    void reschedule(String userId, String connectionId, Instant brokenSince, Instant nextDueAt);
}
