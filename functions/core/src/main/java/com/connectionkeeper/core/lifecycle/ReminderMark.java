package com.connectionkeeper.core.lifecycle;

import java.time.Instant;

/**
 * What a connection item records of its reminders: the last step sent, the break it was for (the connection's
 * {@code brokenSince} then) and when; and when the last reconnect link for the connection was issued.
 */
public record ReminderMark(int step, Instant forBreak, Instant at, Instant lastLinkIssuedAt) {
    /** A connection that has had no reminder, with its last link's time (null: none). */
    public static ReminderMark none(Instant lastLinkIssuedAt) {
        return new ReminderMark(0, null, null, lastLinkIssuedAt);
    }
}
