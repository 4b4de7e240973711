package com.connectionkeeper.simulator;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A clock that moves only when told, for running weeks of SnapTrade in minutes: give it to
 * {@link SimulatorConfig.Builder#clock}, then {@link #advanceTo} or {@link #advance}. Advancing runs every token expiry
 * due up to the new time, in expiry order, each with the clock standing at its own instant (so a broken connection's
 * {@code disabled_date} and its webhook's {@code eventTimestamp} are that instant), across every simulator on this
 * clock; then the clock stands at the new time. Thread-safe; advances are serialized. Signed API requests are checked
 * against the wall clock, not this one, since the SDK signs with the caller's wall clock (see
 * {@link SimulatorConfig#clock()}).
 */
public final class SimulatedClock extends Clock {
    private final Timekeeper keeper;
    private final ZoneId zone;

    /** A clock standing at {@code start}, in UTC. */
    public SimulatedClock(Instant start) {
        this(new Timekeeper(Objects.requireNonNull(start, "start")), ZoneOffset.UTC);
    }

    private SimulatedClock(Timekeeper keeper, ZoneId zone) {
        this.keeper = keeper;
        this.zone = zone;
    }

    @Override
    public Instant instant() {
        return keeper.now;
    }

    @Override
    public ZoneId getZone() {
        return zone;
    }

    /** The same clock (advancing one advances both) in another zone. */
    @Override
    public Clock withZone(ZoneId newZone) {
        return new SimulatedClock(keeper, newZone);
    }

    /**
     * Moves the clock to {@code target}, running every event due up to it first, each at its own instant; returns how
     * many token expiries ran. {@link IllegalArgumentException} when {@code target} is before the clock's time.
     */
    public int advanceTo(Instant target) {
        return keeper.advanceTo(Objects.requireNonNull(target, "target"));
    }

    /** {@link #advanceTo} the clock's time plus {@code duration} (not negative). */
    public int advance(Duration duration) {
        if (duration.isNegative()) {
            throw new IllegalArgumentException("a simulated clock only moves forward, not by " + duration);
        }
        synchronized (keeper) {
            return advanceTo(keeper.now.plus(duration));
        }
    }

    /** Lets {@code timeline}'s events run as this clock passes them (until {@link #release}). */
    void register(Timeline timeline) {
        keeper.timelines.add(timeline);
    }

    void release(Timeline timeline) {
        keeper.timelines.remove(timeline);
    }

    /** Events due at instants: a simulator's token expiries. */
    interface Timeline {
        /** When the next event is due, or empty. */
        Optional<Instant> nextDue();

        /** Runs every event due at or before {@code now}; returns how many ran. */
        int runDue(Instant now);
    }

    /** The time and the timelines, shared by a clock and its {@link #withZone} copies. */
    private static final class Timekeeper {
        private final List<Timeline> timelines = new CopyOnWriteArrayList<>();
        private volatile Instant now;

        Timekeeper(Instant start) {
            this.now = start;
        }

        synchronized int advanceTo(Instant target) {
            if (target.isBefore(now)) {
                throw new IllegalArgumentException("a simulated clock only moves forward: it is " + now
                        + ", cannot go back to " + target);
            }
            int ran = 0;
            while (true) {
                Timeline first = null;
                Instant firstDue = null;
                for (Timeline timeline : timelines) {
                    Optional<Instant> due = timeline.nextDue();
                    if (due.isPresent() && !due.get().isAfter(target)
                            && (firstDue == null || due.get().isBefore(firstDue))) {
                        first = timeline;
                        firstDue = due.get();
                    }
                }
                if (first == null) {
                    break;
                }
                if (firstDue.isAfter(now)) {
                    now = firstDue;
                }
                ran += first.runDue(now);
            }
            now = target;
            return ran;
        }
    }
}
