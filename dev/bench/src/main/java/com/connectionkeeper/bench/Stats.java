package com.connectionkeeper.bench;

import java.util.Arrays;

/** Median and 90th percentile (nearest rank) of a sample. */
record Stats(double median, double p90, int n) {

    static Stats of(double[] sample) {
        double[] sorted = sample.clone();
        Arrays.sort(sorted);
        return new Stats(rank(sorted, 0.5), rank(sorted, 0.9), sorted.length);
    }

    /** Per-call nanoseconds as milliseconds. */
    static Stats ofNanos(long[] nanos) {
        return of(Arrays.stream(nanos).mapToDouble(ns -> ns / 1e6).toArray());
    }

    private static double rank(double[] sorted, double q) {
        return sorted[Math.max(0, (int) Math.ceil(q * sorted.length) - 1)];
    }
}
