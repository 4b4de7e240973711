package com.connectionkeeper.reminders;

import com.connectionkeeper.core.config.Config;
import com.connectionkeeper.core.reminders.ReminderCadence;

/** The reminder run's settings, read once from {@link Config}: the cadence and the page size of its index reads. */
public record ReminderSettings(ReminderCadence cadence, int pageSize) {
    public static final String ENV_CADENCE = "REMINDER_CADENCE";
    public static final String ENV_MAX_COUNT = "REMINDER_MAX_COUNT";
    public static final String DEFAULT_CADENCE = "1d,3d,7d,14d,+14d";
    public static final int DEFAULT_MAX_COUNT = 8;
    /** Broken connections read per index page: bounds the run's memory whatever the number broken. */
    public static final int PAGE_SIZE = 100;

    /** A bad cadence or count stops the function at start, naming the variable and quoting the value. */
    public static ReminderSettings from(Config config) {
        String text = config.settings().optional(ENV_CADENCE).filter(v -> !v.isBlank()).orElse(DEFAULT_CADENCE);
        int max = config.settings().positiveInt(ENV_MAX_COUNT, DEFAULT_MAX_COUNT);
        try {
            return new ReminderSettings(ReminderCadence.parse(text, max), PAGE_SIZE);
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException(ENV_CADENCE + "/" + ENV_MAX_COUNT + ": " + e.getMessage(), e);
        }
    }
}
