package com.connectionkeeper.core.reminders;

import java.time.Instant;

/**
 * One sweep of the reminder windows: every step whose due time fell in {@code (from, to]} (from null: any time up
 * to {@code to}, for the first pass ever). Steps are visited from the last to the first, so a connection due
 * several steps at once (after an outage) gets only the latest; {@code step} and {@code cursor} say where the pass
 * stands (step 0: not started).
 */
public record ReminderPass(String owner, Instant from, Instant to, int step, String cursor) {
    public ReminderPass at(int step, String cursor) {
        return new ReminderPass(owner, from, to, step, cursor);
    }
}
