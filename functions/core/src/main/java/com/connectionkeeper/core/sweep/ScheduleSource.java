package com.connectionkeeper.core.sweep;

import com.connectionkeeper.core.log.JsonLog;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

/**
 * The sweep's {@link CheckSchedule} over the lifetimes learned so far: read from the {@link LifetimeStore} at first
 * use and again every {@code refresh}; if a read fails, the schedule held goes on (before any read: none, uniform).
 */
public final class ScheduleSource {
    private final LifetimeStore store;
    private final CheckSchedule.Settings settings;
    private final Clock clock;
    private final Duration refresh;
    private volatile CheckSchedule schedule;
    private volatile Instant readAt;

    public ScheduleSource(LifetimeStore store, CheckSchedule.Settings settings, Clock clock, Duration refresh) {
        this.store = store;
        this.settings = settings;
        this.clock = clock;
        this.refresh = refresh;
        this.schedule = new CheckSchedule(BrokerageLifetimes.NONE, settings);
    }

    /** The schedule in force (the lifetimes read again when {@code refresh} has passed). */
    public CheckSchedule schedule() {
        Instant now = clock.instant();
        Instant last = readAt;
        if (last == null || !now.isBefore(last.plus(refresh))) {
            synchronized (this) {
                if (readAt == last) {
                    readAt = now;
                    try {
                        Map<String, LifetimeHistogram> lifetimes = store.lifetimes();
                        schedule = new CheckSchedule(BrokerageLifetimes.learn(lifetimes), settings);
                    } catch (RuntimeException e) {
                        JsonLog.warn("sweep_lifetimes_unreadable", "error", e.getClass().getSimpleName(),
                                "kept", schedule.lifetimes().isEmpty() ? "uniform order" : "the lifetimes read before");
                    }
                }
            }
        }
        return schedule;
    }

    /** True when some brokerage has a lifetime history: the sweep orders users by due time. */
    public boolean modelled() {
        return !schedule().lifetimes().isEmpty();
    }

    /** The user's due time after a verification at {@code at}. */
    public Instant dueAt(String userId, Instant at) {
        return schedule().dueAt(at, store.tokens(userId));
    }

    public CheckSchedule.Settings settings() {
        return settings;
    }
}
