package com.connectionkeeper.core.sweep;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * What our own history says about how long each brokerage's access tokens live: one {@link Curve} per brokerage,
 * learned from its {@link LifetimeHistogram}, giving the survival S(a) — the chance a token lives past age a — and the
 * chance that a token alive at age a breaks within the next Δ.
 *
 * <p><b>The model.</b> At each bucket bound the survival is the share of observed lifetimes at or beyond it; within a
 * bucket the hazard (breaks per unit of time among tokens still alive) is constant, so the cumulative hazard
 * H(a) = −ln S(a) is piecewise linear and a token alive at age a breaks by age a + Δ with probability
 * 1 − exp(−(H(a + Δ) − H(a))). Two places where the histogram alone says nothing useful get a bounded hazard:
 * <ul>
 *   <li><b>The last observed bucket.</b> Every token seen there broke in it, so the empirical survival drops to 0 at
 *       its end — an infinite hazard. It gets the life-table (actuarial) hazard instead, breaks spread evenly over
 *       the bucket: 2 / width. A token in that bucket is checked often, but for a bounded time (the bucket's width, a
 *       tenth of the age).</li>
 *   <li><b>Overdue tokens</b> — older than the end of the last observed bucket, or than 400 days: the survival there
 *       would be 0, which is no basis for a schedule. Such a token has outlived every token we saw break at its
 *       brokerage; most likely its token was renewed without an ADDED or FIXED we saw, so its age no longer tells us
 *       anything. It gets a constant hazard of 1 / (median lifetime): a token of unknown age that breaks, on average,
 *       once per typical lifetime. That is far below the hazard near a typical expiry, so overdue connections do not
 *       hog the sweep, yet above 0, so they are still checked ({@link CheckSchedule} clamps their interval anyway).
 *       The hazard of the last buckets was the other candidate; it rests on the fewest samples and is highest exactly
 *       where the data thin out — the opposite of what an overdue token deserves.</li>
 * </ul>
 *
 * <p><b>Fallbacks.</b>
 * <ul>
 *   <li><b>No samples anywhere</b> (a new deployment): {@link #isEmpty()}, no curve for any brokerage — the sweep
 *       stays uniform.</li>
 *   <li><b>A new brokerage</b> (no lifetime of its own yet): no curve. Token policies differ by brokerage (7 days,
 *       90 days, random), so the other brokerages' mix is no guess for a brokerage that has never broken; its
 *       connections are checked at the uniform cadence, as today, until the first of them breaks.</li>
 *   <li><b>Few samples</b> — n lifetimes of its own, 0 &lt; n &lt; {@code minSamples} (m): the brokerage borrows from
 *       the pooled histogram of all brokerages, its distribution the blend (n / m) × its own + (1 − n / m) × pooled
 *       (shrinkage by sample count). The weight of its own data grows with every break and reaches 1 at m samples.</li>
 * </ul>
 *
 * <p><b>A known bias.</b> Only tokens that broke are counted: tokens still alive (and connections deleted before
 * breaking) are not, so until the history is long compared with the longest lifetimes, the learned lifetimes are too
 * short. The error is on the safe side — checks come early, not late.
 *
 * <p>Immutable; built once per sweep run from the stored histograms.
 */
public final class BrokerageLifetimes {
    /** Below this many lifetimes of its own, a brokerage's distribution is blended with the pooled one. */
    public static final int DEFAULT_MIN_SAMPLES = 30;

    /** No history at all: every schedule is uniform. */
    public static final BrokerageLifetimes NONE = new BrokerageLifetimes(Map.of(), null, 0);

    private final Map<String, Curve> curves;
    private final Curve pooled;
    private final long pooledSamples;

    private BrokerageLifetimes(Map<String, Curve> curves, Curve pooled, long pooledSamples) {
        this.curves = curves;
        this.pooled = pooled;
        this.pooledSamples = pooledSamples;
    }

    /** The model learned from each brokerage's histogram, with {@link #DEFAULT_MIN_SAMPLES}. */
    public static BrokerageLifetimes learn(Map<String, LifetimeHistogram> byBrokerage) {
        return learn(byBrokerage, DEFAULT_MIN_SAMPLES);
    }

    /**
     * The model learned from each brokerage's histogram (keyed by the brokerage id the connections carry).
     *
     * @param minSamples below this many lifetimes of its own a brokerage borrows from the pooled histogram (at least 1)
     */
    public static BrokerageLifetimes learn(Map<String, LifetimeHistogram> byBrokerage, int minSamples) {
        if (minSamples < 1) {
            throw new IllegalArgumentException("minSamples must be at least 1: " + minSamples);
        }
        LifetimeHistogram all = LifetimeHistogram.EMPTY;
        for (LifetimeHistogram h : byBrokerage.values()) {
            all = all.merge(h);
        }
        if (all.samples() == 0) {
            return NONE;
        }
        double[] pooledShares = shares(all);
        Map<String, Curve> curves = new HashMap<>();
        for (Map.Entry<String, LifetimeHistogram> e : byBrokerage.entrySet()) {
            LifetimeHistogram own = e.getValue();
            long n = own.samples();
            if (n == 0) {
                continue; // a new brokerage: no curve, uniform
            }
            double ownWeight = Math.min(1.0, (double) n / minSamples);
            double[] shares = shares(own);
            for (int k = 0; k < shares.length; k++) {
                shares[k] = ownWeight * shares[k] + (1 - ownWeight) * pooledShares[k];
            }
            curves.put(e.getKey(), new Curve(shares, n, ownWeight));
        }
        return new BrokerageLifetimes(Map.copyOf(curves), new Curve(pooledShares, all.samples(), 1.0),
                all.samples());
    }

    private static double[] shares(LifetimeHistogram h) {
        double[] shares = new double[LifetimeHistogram.BUCKETS];
        for (int k = 0; k < shares.length; k++) {
            shares[k] = (double) h.count(k) / h.samples();
        }
        return shares;
    }

    /** True when no lifetime has been observed at any brokerage: no curve at all. */
    public boolean isEmpty() {
        return pooled == null;
    }

    /** The brokerage's curve; empty for a brokerage without a lifetime of its own (or a null id). */
    public Optional<Curve> curve(String brokerageId) {
        return brokerageId == null ? Optional.empty() : Optional.ofNullable(curves.get(brokerageId));
    }

    /** The curve of every brokerage's lifetimes together (what few-sample brokerages borrow from). */
    public Optional<Curve> pooled() {
        return Optional.ofNullable(pooled);
    }

    /** How many lifetimes were observed, all brokerages together. */
    public long pooledSamples() {
        return pooledSamples;
    }

    /**
     * One brokerage's token lifetime distribution as a piecewise-constant hazard over the histogram's buckets (see the
     * class comment); ages are token ages, from the token's issue.
     */
    public static final class Curve {
        private static final int B = LifetimeHistogram.BUCKETS;

        private final long samples;
        private final double ownWeight;
        /** Breaks per second among live tokens, in each bucket. */
        private final double[] hazard = new double[B];
        /** The cumulative hazard at each bucket's lower bound. */
        private final double[] cumulative = new double[B];
        private final long overdueFromSeconds;
        private final long medianSeconds;

        private Curve(double[] shares, long samples, double ownWeight) {
            this.samples = samples;
            this.ownWeight = ownWeight;
            double[] survival = new double[B + 1]; // at each lower bound; [B] = 0 past the overflow bucket
            for (int k = B - 1; k >= 0; k--) {
                survival[k] = survival[k + 1] + shares[k];
            }
            int last = B - 1;
            while (shares[last] == 0) {
                last--;
            }
            medianSeconds = Math.max(60, median(shares, survival[0]));
            double overdueHazard = 1.0 / medianSeconds;
            overdueFromSeconds = LifetimeHistogram.lowerSeconds(Math.min(last + 1, LifetimeHistogram.OVERFLOW));
            for (int k = 0; k < B; k++) {
                if (LifetimeHistogram.lowerSeconds(k) >= overdueFromSeconds) {
                    hazard[k] = overdueHazard;
                } else if (k == last) {
                    hazard[k] = 2.0 / width(k); // actuarial: the breaks spread evenly over the last bucket
                } else if (shares[k] > 0) {
                    hazard[k] = Math.log(survival[k] / survival[k + 1]) / width(k);
                }
            }
            for (int k = 1; k < B; k++) {
                cumulative[k] = cumulative[k - 1] + hazard[k - 1] * width(k - 1);
            }
        }

        private static long width(int bucket) {
            return LifetimeHistogram.lowerSeconds(bucket + 1) - LifetimeHistogram.lowerSeconds(bucket);
        }

        /** The age by which half of the tokens broke, interpolated within its bucket (400 days if in overflow). */
        private static long median(double[] shares, double total) {
            double before = 0;
            for (int k = 0; k < B - 1; k++) {
                if (before + shares[k] >= total / 2) {
                    double within = (total / 2 - before) / shares[k];
                    return LifetimeHistogram.lowerSeconds(k) + Math.round(within * width(k));
                }
                before += shares[k];
            }
            return LifetimeHistogram.lowerSeconds(LifetimeHistogram.OVERFLOW);
        }

        /** Lifetimes the brokerage itself contributed (the pooled curve: all of them). */
        public long samples() {
            return samples;
        }

        /** The weight of the brokerage's own lifetimes in this curve, n / minSamples up to 1; the rest is pooled. */
        public double ownWeight() {
            return ownWeight;
        }

        /** The typical lifetime: half of the tokens broke by this age. */
        public Duration median() {
            return Duration.ofSeconds(medianSeconds);
        }

        /** From this token age on, the token is overdue: it has outlived every break seen (or 400 days). */
        public Duration overdueFrom() {
            return Duration.ofSeconds(overdueFromSeconds);
        }

        /** The constant hazard of an overdue token, breaks per day: 1 / {@link #median()}. */
        public double overdueHazardPerDay() {
            return 86_400.0 / medianSeconds;
        }

        /**
         * The chance a token lives past {@code age}: the observed share at each bucket bound up to the last observed
         * bucket, exponential in between.
         */
        public double survival(Duration age) {
            return Math.exp(-cumulativeHazard(age));
        }

        /** The cumulative hazard H(age) = −ln S(age). */
        public double cumulativeHazard(Duration age) {
            return cumulativeHazardAt(Math.max(0, age.getSeconds()));
        }

        /** The chance that a token alive at {@code age} breaks within {@code within}. */
        public double breakProbability(Duration age, Duration within) {
            long a = Math.max(0, age.getSeconds());
            return -Math.expm1(-(cumulativeHazardAt(a + Math.max(0, within.getSeconds())) - cumulativeHazardAt(a)));
        }

        /** H at a non-negative age in seconds: one binary search over the bucket bounds, no allocation. */
        double cumulativeHazardAt(long ageSeconds) {
            int k = LifetimeHistogram.bucketOfSeconds(ageSeconds);
            return cumulative[k] + hazard[k] * (ageSeconds - LifetimeHistogram.lowerSeconds(k));
        }
    }
}
