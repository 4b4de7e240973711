package com.connectionkeeper.core.sweep;

import java.util.Map;
import java.util.Objects;

/**
 * How many users and connections the deployment holds now, and how many connections are broken, by brokerage: the
 * gauges operators watch ("how many are broken, where"). Counted from the store's indexes, not from SnapTrade.
 */
public interface ConnectionCensus {
    /** Connections (not deleted) and, of those, broken ones. */
    record Count(int connections, int broken) {
        public Count {
            if (connections < 0 || broken < 0 || broken > connections) {
                throw new IllegalArgumentException("0 <= broken <= connections");
            }
        }

        Count plus(Count other) {
            return new Count(connections + other.connections, broken + other.broken);
        }
    }

    /**
     * @param users       users the sweep knows (its sweep order)
     * @param byBrokerage counts by brokerage slug (its id where no slug is known yet; {@value #UNKNOWN} for
     *                    connections whose brokerage is not known yet: a webhook named none, the sweep has not listed
     *                    them)
     */
    record Census(int users, Map<String, Count> byBrokerage) {
        public static final String UNKNOWN = "?";

        public Census {
            byBrokerage = Map.copyOf(Objects.requireNonNull(byBrokerage, "byBrokerage"));
        }

        /** Every brokerage's counts added up. */
        public Count total() {
            Count total = new Count(0, 0);
            for (Count c : byBrokerage.values()) {
                total = total.plus(c);
            }
            return total;
        }

        /** Broken connections as a percentage of all (0 without connections). */
        public double brokenPercent() {
            Count total = total();
            return total.connections() == 0 ? 0 : 100.0 * total.broken() / total.connections();
        }
    }

    /** Users the sweep knows now (a count of an index). */
    int users();

    /** Connections now (not deleted), and broken ones, by brokerage (reads a whole index: once per sweep run). */
    Map<String, Count> connectionsByBrokerage();
}
