package com.connectionkeeper.core.sweep;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * When each user is next due for a sweep check: as soon as its connections have probably broken since its last
 * verification, never sooner than {@link Settings#minInterval()} and never later than
 * {@link Settings#maxInterval()} after it. The sweep checks users earliest due first, spending its whole budget all
 * the time, so due times matter through their order.
 *
 * <p><b>Why a risk threshold.</b> A user verified at v, whose live connections had token ages a<sub>i</sub> then, has
 * had at least one of them break by v + Δ with probability
 * P(Δ) = 1 − exp(−Σ<sub>i</sub> [H<sub>i</sub>(a<sub>i</sub> + Δ) − H<sub>i</sub>(a<sub>i</sub>)]), H<sub>i</sub> the
 * cumulative hazard of its brokerage's token lifetimes ({@link BrokerageLifetimes}). The user is due when P reaches
 * θ ({@link Settings#risk()}), i.e. when the hazard accumulated since the last check reaches −ln(1 − θ). The hazard is
 * low for a token just issued and high near its brokerage's typical lifetime, so a user whose token is near its
 * expected expiry accumulates θ within minutes or hours and a user just renewed not for days: checks concentrate where
 * breaks are likely, and each check of a user near expiry resets its clock, so it is checked again and again while the
 * risk lasts. Every user is due once it has accumulated the same risk, so ordering by due time spends the budget on
 * the users most likely broken now; a lost webhook's break is then found soon after it happens. With one threshold for
 * all, the order is the order in which users cross the same risk; the budget decides how far down it the sweep gets.
 *
 * <p><b>No starvation.</b> Every due time is at most v + maxInterval. An earliest-due-first sweep checks a user at its
 * due time plus the time to get through the users due before it, and that backlog is bounded: a user checked at t is
 * next due no sooner than t + minInterval, so once a user's due time has passed, nobody checked later can overtake it;
 * only the at most N − 1 users already due before it do, which takes at most N / C with C checks per unit of time.
 * So the clamp alone bounds every gap between checks by maxInterval + N / C. The backlog is real when the users near
 * expiry ask for more checks than the budget gives (the sweep then runs behind their due times; in the simulation
 * test, 2,000 users and an 8-hour pass, gaps reached 25 h 11 min against a 24-hour maximum). To hold maxInterval
 * itself, the sweep puts a <b>deadline guard</b> first: each run takes, least recently checked first (today's sweep
 * order), every user last checked at or before {@link #deadlineCutoff} of the next run — about to go unchecked for
 * maxInterval — and spends the rest of its budget earliest due first. The guard never takes more than a run's
 * capacity once the sweep is in its steady state: the users it takes in a run are those checked in one run's span
 * maxInterval earlier, at most one run's capacity of them. It needs C ≥ N / maxInterval (the budget allows a pass
 * within maxInterval) and costs little: users due by risk are checked long before their deadline, low-risk ones reach
 * it only when the sweep is behind.
 *
 * <p><b>Without a model.</b> A connection contributes only when its brokerage has a curve and we know when its token
 * was issued; a broken connection contributes nothing (the planner's broken list checks those). A user with a
 * connection that contributes nothing but is not broken — unknown brokerage, a brokerage with no history yet, an
 * unknown issue time — is due no later than v + {@link Settings#uniformInterval()}, the cadence of today's uniform
 * sweep, so adding history never checks such a connection less often than before. A user with no contributing
 * connection at all, and every user while there is no history anywhere, is due at exactly v + uniformInterval: then
 * the order by due time is the order by last verification — today's least-recently-checked sweep. A brokerage with
 * few lifetimes of its own borrows from the pooled ones ({@link BrokerageLifetimes}).
 *
 * <p><b>Cost.</b> One due time is a bisection over whole seconds in [minInterval, maxInterval] (about 17 steps for
 * a day), each step one binary search over the buckets per connection: O(connections × log buckets × 17), allocating
 * three arrays of the user's connection count.
 */
public final class CheckSchedule {
    /**
     * How the schedule spends the budget.
     *
     * @param minInterval     no user is due sooner than this after its last verification (e.g. 10 minutes)
     * @param maxInterval     no user is due later than this after its last verification (e.g. 24 hours)
     * @param uniformInterval when a user without a model is due: e.g. the time one pass over all users takes
     *                        (users / budget); between minInterval and maxInterval
     * @param risk            θ: the user is due once the chance that a connection broke since its last verification
     *                        reaches this (0 &lt; θ &lt; 1)
     */
    public record Settings(Duration minInterval, Duration maxInterval, Duration uniformInterval, double risk) {
        /** 10 minutes, 24 hours, 24 hours, 5 %. */
        public static final Settings DEFAULT =
                new Settings(Duration.ofMinutes(10), Duration.ofHours(24), Duration.ofHours(24), 0.05);

        /** Refuses intervals out of order and a threshold outside (0, 1). */
        public Settings {
            Objects.requireNonNull(minInterval, "minInterval");
            Objects.requireNonNull(maxInterval, "maxInterval");
            Objects.requireNonNull(uniformInterval, "uniformInterval");
            if (minInterval.compareTo(Duration.ofSeconds(1)) < 0 || maxInterval.compareTo(minInterval) < 0) {
                throw new IllegalArgumentException("need 1 s <= minInterval <= maxInterval: " + minInterval + ", "
                        + maxInterval);
            }
            if (uniformInterval.compareTo(minInterval) < 0 || uniformInterval.compareTo(maxInterval) > 0) {
                throw new IllegalArgumentException("uniformInterval must lie between minInterval and maxInterval: "
                        + uniformInterval);
            }
            if (!(risk > 0 && risk < 1)) {
                throw new IllegalArgumentException("risk must lie strictly between 0 and 1: " + risk);
            }
        }

        /** Settings whose uniform interval is the maximum one. */
        public static Settings of(Duration minInterval, Duration maxInterval, double risk) {
            return new Settings(minInterval, maxInterval, maxInterval, risk);
        }
    }

    /**
     * One of the user's connections as the schedule sees it.
     *
     * @param brokerageId   its brokerage (the key of the lifetime histograms), or null if not known
     * @param tokenIssuedAt when its current token was issued — the connection added or last fixed — or null if not
     *                      known
     * @param broken        BROKEN now (contributes nothing: the planner checks broken connections on its own list)
     */
    public record Connection(String brokerageId, Instant tokenIssuedAt, boolean broken) {
        /** A live connection. */
        public static Connection live(String brokerageId, Instant tokenIssuedAt) {
            return new Connection(brokerageId, tokenIssuedAt, false);
        }
    }

    private final BrokerageLifetimes lifetimes;
    private final Settings settings;
    /** −ln(1 − θ): the cumulative hazard at which the user is due. */
    private final double dueHazard;

    /** The schedule of this model (learned once per sweep run) with these settings. */
    public CheckSchedule(BrokerageLifetimes lifetimes, Settings settings) {
        this.lifetimes = Objects.requireNonNull(lifetimes, "lifetimes");
        this.settings = Objects.requireNonNull(settings, "settings");
        this.dueHazard = -Math.log1p(-settings.risk());
    }

    /** The settings in use. */
    /** The lifetimes the schedule reads. */
    public BrokerageLifetimes lifetimes() {
        return lifetimes;
    }

    public Settings settings() {
        return settings;
    }

    /**
     * When the user verified at {@code verifiedAt} with these connections is next due: the first time from
     * verifiedAt + minInterval on at which the chance that one of them has broken since reaches the risk threshold —
     * to the second, rounded up — but no later than verifiedAt + maxInterval (+ uniformInterval with a connection
     * the model cannot judge, and exactly that without any it can).
     */
    public Instant dueAt(Instant verifiedAt, List<Connection> connections) {
        Scored scored = score(verifiedAt, connections);
        long min = settings.minInterval().getSeconds();
        long cap = scored.count == 0 || scored.unjudged ? settings.uniformInterval().getSeconds()
                : settings.maxInterval().getSeconds();
        if (scored.count == 0) {
            return verifiedAt.plusSeconds(cap);
        }
        if (scored.hazardSince(min) >= dueHazard) {
            return verifiedAt.plusSeconds(min);
        }
        if (scored.hazardSince(cap) < dueHazard) {
            return verifiedAt.plusSeconds(cap);
        }
        long low = min; // hazard below the threshold
        long high = cap; // hazard at or above it
        while (high - low > 1) {
            long mid = low + (high - low) / 2;
            if (scored.hazardSince(mid) >= dueHazard) {
                high = mid;
            } else {
                low = mid;
            }
        }
        return verifiedAt.plusSeconds(high);
    }

    /**
     * The deadline guard's cutoff for a run whose successor starts at {@code nextRun}: a user last checked at or before
     * this instant goes unchecked longer than maxInterval unless this run checks it.
     */
    public Instant deadlineCutoff(Instant nextRun) {
        return nextRun.minus(settings.maxInterval());
    }

    /**
     * The chance that at least one of the connections the model can judge broke between {@code verifiedAt} (all live
     * then) and {@code at}: 0 without any.
     */
    public double breakProbability(Instant verifiedAt, List<Connection> connections, Instant at) {
        Scored scored = score(verifiedAt, connections);
        return -Math.expm1(-scored.hazardSince(Math.max(0, Duration.between(verifiedAt, at).getSeconds())));
    }

    private Scored score(Instant verifiedAt, List<Connection> connections) {
        Objects.requireNonNull(verifiedAt, "verifiedAt");
        BrokerageLifetimes.Curve[] curves = new BrokerageLifetimes.Curve[connections.size()];
        long[] ages = new long[connections.size()];
        double[] base = new double[connections.size()];
        int count = 0;
        boolean unjudged = false;
        for (Connection c : connections) {
            if (c.broken()) {
                continue;
            }
            BrokerageLifetimes.Curve curve = c.tokenIssuedAt() == null ? null
                    : lifetimes.curve(c.brokerageId()).orElse(null);
            if (curve == null) {
                unjudged = true;
                continue;
            }
            curves[count] = curve;
            ages[count] = Math.max(0, Duration.between(c.tokenIssuedAt(), verifiedAt).getSeconds());
            base[count] = curve.cumulativeHazardAt(ages[count]);
            count++;
        }
        return new Scored(curves, ages, base, count, unjudged);
    }

    /**
     * The judged connections' curves, token ages and cumulative hazards at the verification; {@code unjudged}: some
     * live connection could not be judged.
     */
    private record Scored(BrokerageLifetimes.Curve[] curves, long[] ages, double[] base, int count,
                          boolean unjudged) {
        /** Σ H(a + Δ) − H(a) over the judged connections, Δ in seconds. */
        double hazardSince(long seconds) {
            double sum = 0;
            for (int i = 0; i < count; i++) {
                sum += curves[i].cumulativeHazardAt(ages[i] + seconds) - base[i];
            }
            return sum;
        }
    }
}
