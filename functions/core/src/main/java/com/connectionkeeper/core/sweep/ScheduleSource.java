package com.connectionkeeper.core.sweep;

import com.connectionkeeper.core.log.JsonLog;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.function.IntSupplier;

/**
 * The sweep's {@link CheckSchedule} over the lifetimes learned so far: read from the {@link LifetimeStore} at first
 * use and again every {@code refresh}; if a read fails, the schedule held goes on (before any read: none, uniform).
 * The uniform interval — when a user without a model is due — is the time a pass over all users takes at the sweep's
 * pace (users ÷ checks per minute, within the settings' minimum and maximum), read again at each refresh: users of a
 * brokerage with no history are then checked as often as a uniform sweep would check them.
 */
public final class ScheduleSource {
    private final LifetimeStore store;
    private final CheckSchedule.Settings settings;
    private final Clock clock;
    private final Duration refresh;
    private final IntSupplier users;
    private final double perMinute;
    private volatile CheckSchedule schedule;
    private volatile Instant readAt;

    public ScheduleSource(LifetimeStore store, CheckSchedule.Settings settings, Clock clock, Duration refresh) {
        this(store, settings, clock, refresh, () -> -1, 0);
    }

    /**
     * @param users     how many users the sweep checks (negative: unknown, the uniform interval is the settings')
     * @param perMinute the sweep's checks per minute at most (what the shared budget leaves it)
     */
    public ScheduleSource(LifetimeStore store, CheckSchedule.Settings settings, Clock clock, Duration refresh,
                          IntSupplier users, double perMinute) {
        this.users = users;
        this.perMinute = perMinute;
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
                        schedule = new CheckSchedule(BrokerageLifetimes.learn(lifetimes), withPassTime());
                    } catch (RuntimeException e) {
                        JsonLog.warn("sweep_lifetimes_unreadable", "error", e.getClass().getSimpleName(),
                                "kept", schedule.lifetimes().isEmpty() ? "uniform order" : "the lifetimes read before");
                    }
                }
            }
        }
        return schedule;
    }

    /** The settings with the uniform interval of a pass over the users at the sweep's pace (when both are known). */
    private CheckSchedule.Settings withPassTime() {
        int n = users.getAsInt();
        if (n < 0 || perMinute <= 0) {
            return settings;
        }
        Duration pass = Duration.ofSeconds((long) Math.ceil(n / perMinute * 60));
        Duration uniform = pass.compareTo(settings.minInterval()) < 0 ? settings.minInterval()
                : pass.compareTo(settings.maxInterval()) > 0 ? settings.maxInterval() : pass;
        return new CheckSchedule.Settings(settings.minInterval(), settings.maxInterval(), uniform, settings.risk());
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
