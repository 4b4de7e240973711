package com.connectionkeeper.core.incidents;

import com.connectionkeeper.core.config.EnvironmentVariables;
import java.time.Duration;

/**
 * When many breaks at one brokerage are probably the brokerage's (or SnapTrade's) trouble rather than each user's:
 * at least {@code minBreaks} connections broke within {@code window}, and they are at least {@code minSharePercent}
 * of the brokerage's known connections. An incident lasts until most of the connections that broke since it began
 * are fixed, or {@code maxDuration} after it was suspected, whichever comes first.
 */
public record IncidentRules(int minBreaks, int minSharePercent, Duration window, Duration maxDuration) {
    public static final int DEFAULT_MIN_BREAKS = 20;
    public static final int DEFAULT_MIN_SHARE_PERCENT = 30;
    public static final Duration DEFAULT_WINDOW = Duration.ofMinutes(30);
    public static final Duration DEFAULT_MAX_DURATION = Duration.ofHours(24);
    public static final String ENV_MIN_BREAKS = "INCIDENT_MIN_BREAKS";
    public static final String ENV_MIN_SHARE_PERCENT = "INCIDENT_MIN_SHARE_PERCENT";
    public static final String ENV_WINDOW_MINUTES = "INCIDENT_WINDOW_MINUTES";
    public static final String ENV_MAX_HOURS = "INCIDENT_MAX_HOURS";

    public IncidentRules {
        if (minBreaks < 1) {
            throw new IllegalArgumentException("minimum breaks must be at least 1, was " + minBreaks);
        }
        if (minSharePercent < 0 || minSharePercent > 100) {
            throw new IllegalArgumentException("minimum share must be 0 to 100 percent, was " + minSharePercent);
        }
        if (window == null || window.compareTo(Duration.ofMinutes(1)) < 0) {
            throw new IllegalArgumentException("window must be at least a minute, was " + window);
        }
        if (maxDuration == null || maxDuration.compareTo(window) < 0) {
            throw new IllegalArgumentException("an incident's longest duration (" + maxDuration
                    + ") must be at least its window (" + window + ")");
        }
    }

    public static IncidentRules defaults() {
        return new IncidentRules(DEFAULT_MIN_BREAKS, DEFAULT_MIN_SHARE_PERCENT, DEFAULT_WINDOW, DEFAULT_MAX_DURATION);
    }

    /**
     * The rules from the function's settings (the template's {@code Incident*} parameters), the defaults for those
     * unset; a bad value stops the function at start, naming the variable.
     */
    public static IncidentRules from(EnvironmentVariables env) {
        int share = env.positiveInt(ENV_MIN_SHARE_PERCENT, DEFAULT_MIN_SHARE_PERCENT);
        if (share > 100) {
            throw new IllegalStateException(ENV_MIN_SHARE_PERCENT + " must be 1 to 100");
        }
        try {
            return new IncidentRules(env.positiveInt(ENV_MIN_BREAKS, DEFAULT_MIN_BREAKS), share,
                    Duration.ofMinutes(env.positiveInt(ENV_WINDOW_MINUTES, (int) DEFAULT_WINDOW.toMinutes())),
                    Duration.ofHours(env.positiveInt(ENV_MAX_HOURS, (int) DEFAULT_MAX_DURATION.toHours())));
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException(ENV_WINDOW_MINUTES + "/" + ENV_MAX_HOURS + ": " + e.getMessage(), e);
        }
    }

    /**
     * How long a break is kept on record: the window, the longest incident, and a day's margin (the table's TTL
     * removes it after).
     */
    public Duration breakRetention() {
        return window.plus(maxDuration).plusDays(1);
    }

    /** Whether {@code breaks} within the window, of {@code known} connections, suggest an incident. */
    public boolean crossed(int breaks, int known) {
        return breaks >= minBreaks && (long) breaks * 100 >= (long) minSharePercent * known;
    }

    /** Whether most of the connections that broke since the incident began are no longer broken. */
    public static boolean mostlyResolved(IncidentStore.Tally tally) {
        return tally.total() > 0 && (long) tally.unresolved() * 2 < tally.total();
    }
}
