package com.connectionkeeper.core.sweep;

import java.time.Duration;
import java.util.Arrays;
import java.util.Collections;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * How long one brokerage's access tokens lived: counts of observed token lifetimes (from the token's issue — the
 * connection ADDED or FIXED — to its BROKEN) in fixed buckets. Shaped for storage as one item per brokerage with one
 * numeric attribute per bucket, so that recording a break is a single {@code ADD} of 1 to the attribute of
 * {@link #bucketOf} its lifetime, and reading it back is {@link #of} the item's bucket counts.
 *
 * <p>The layout (105 buckets) is part of the stored format — change it only with a new attribute
 * prefix:
 * <ul>
 *   <li>buckets 0–47: one hour wide, [0 h, 48 h) — the brokerages whose tokens last hours or a day or two;</li>
 *   <li>buckets 48–103: geometric, each lower bound 10 % above the last (48 h × 1.1<sup>j</sup>, rounded to whole
 *       minutes), the last one ending at 400 days — a resolution of about a tenth of the age, enough to tell a
 *       7-day token from an 8-day one and a 90-day one from a 100-day one;</li>
 *   <li>bucket 104 ({@link #OVERFLOW}): 400 days and longer.</li>
 * </ul>
 * Immutable.
 */
public final class LifetimeHistogram {
    /** Hour-wide buckets before the geometric ones begin. */
    private static final int HOURLY = 48;
    /** Growth of the geometric buckets' bounds. */
    private static final double GROWTH = 1.1;
    /** Where the last geometric bucket ends and the overflow bucket begins. */
    private static final Duration LONGEST = Duration.ofDays(400);
    /** The lower bound of each bucket, in seconds, ascending; the overflow bucket's is {@link #LONGEST}. */
    private static final long[] LOWER_SECONDS = lowerBounds();

    /** How many buckets there are, the overflow bucket included. */
    public static final int BUCKETS = LOWER_SECONDS.length;
    /** The last bucket: lifetimes of {@code 400} days and longer. */
    public static final int OVERFLOW = BUCKETS - 1;
    /** No lifetime observed. */
    public static final LifetimeHistogram EMPTY = new LifetimeHistogram(new long[BUCKETS], 0);

    private final long[] counts;
    private final long samples;

    private LifetimeHistogram(long[] counts, long samples) {
        this.counts = counts;
        this.samples = samples;
    }

    private static long[] lowerBounds() {
        long[] bounds = new long[HOURLY + 60];
        int n = 0;
        for (int hour = 0; hour <= HOURLY; hour++) {
            bounds[n++] = hour * 3600L;
        }
        long start = HOURLY * 3600L;
        for (int j = 1; ; j++) {
            long minutes = Math.round(start / 60.0 * StrictMath.pow(GROWTH, j));
            if (minutes * 60 >= LONGEST.toSeconds()) {
                break;
            }
            bounds[n++] = minutes * 60;
        }
        bounds[n++] = LONGEST.toSeconds();
        return Arrays.copyOf(bounds, n);
    }

    /**
     * The bucket a token lifetime falls in: the last whose lower bound is not after it ({@link #OVERFLOW} from 400
     * days on).
     *
     * @throws IllegalArgumentException for a negative lifetime (a break before the token's issue: bad data)
     */
    public static int bucketOf(Duration lifetime) {
        if (lifetime.isNegative()) {
            throw new IllegalArgumentException("a token lifetime cannot be negative: " + lifetime);
        }
        return bucketOfSeconds(lifetime.getSeconds());
    }

    /** {@link #bucketOf} for a non-negative lifetime in whole seconds. */
    static int bucketOfSeconds(long seconds) {
        int found = Arrays.binarySearch(LOWER_SECONDS, seconds);
        return found >= 0 ? found : -found - 2;
    }

    /** The shortest lifetime in the bucket. */
    public static Duration lowerBound(int bucket) {
        return Duration.ofSeconds(LOWER_SECONDS[checkBucket(bucket)]);
    }

    /** Where the bucket ends (exclusive); empty for the {@link #OVERFLOW} bucket, which has no end. */
    public static Optional<Duration> upperBound(int bucket) {
        checkBucket(bucket);
        return bucket == OVERFLOW ? Optional.empty() : Optional.of(Duration.ofSeconds(LOWER_SECONDS[bucket + 1]));
    }

    /** The lower bound of a bucket in seconds (no check: for the model's inner loops). */
    static long lowerSeconds(int bucket) {
        return LOWER_SECONDS[bucket];
    }

    private static int checkBucket(int bucket) {
        if (bucket < 0 || bucket >= BUCKETS) {
            throw new IllegalArgumentException("no lifetime bucket " + bucket + " (0 to " + OVERFLOW + ")");
        }
        return bucket;
    }

    /**
     * The histogram of stored bucket counts (what the store reads back; buckets not named count 0).
     *
     * @throws IllegalArgumentException for a bucket index outside 0 to {@link #OVERFLOW} or a negative count
     */
    public static LifetimeHistogram of(Map<Integer, Long> bucketCounts) {
        long[] counts = new long[BUCKETS];
        long samples = 0;
        for (Map.Entry<Integer, Long> e : bucketCounts.entrySet()) {
            int bucket = checkBucket(e.getKey());
            long count = e.getValue();
            if (count < 0) {
                throw new IllegalArgumentException("bucket " + bucket + " has a negative count: " + count);
            }
            counts[bucket] = count;
            samples = Math.addExact(samples, count);
        }
        return new LifetimeHistogram(counts, samples);
    }

    /** This histogram with one more lifetime observed. */
    public LifetimeHistogram plus(Duration lifetime) {
        long[] more = counts.clone();
        more[bucketOf(lifetime)]++;
        return new LifetimeHistogram(more, samples + 1);
    }

    /** Both histograms' lifetimes together (e.g. every brokerage's: the pooled histogram). */
    public LifetimeHistogram merge(LifetimeHistogram other) {
        long[] sum = counts.clone();
        for (int k = 0; k < BUCKETS; k++) {
            sum[k] = Math.addExact(sum[k], other.counts[k]);
        }
        return new LifetimeHistogram(sum, Math.addExact(samples, other.samples));
    }

    /** How many lifetimes were observed. */
    public long samples() {
        return samples;
    }

    /** How many observed lifetimes fall in the bucket. */
    public long count(int bucket) {
        return counts[checkBucket(bucket)];
    }

    /** The buckets that hold lifetimes, ascending, with their counts (what the store writes; {@link #of} reverses). */
    public Map<Integer, Long> counts() {
        TreeMap<Integer, Long> nonZero = new TreeMap<>();
        for (int k = 0; k < BUCKETS; k++) {
            if (counts[k] != 0) {
                nonZero.put(k, counts[k]);
            }
        }
        return Collections.unmodifiableMap(nonZero);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof LifetimeHistogram other && Arrays.equals(counts, other.counts);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(counts);
    }

    @Override
    public String toString() {
        return "LifetimeHistogram" + counts();
    }
}
