package com.connectionkeeper.snaptrade;

import java.time.Duration;
import java.util.Optional;

/** How a call waits for its turn at SnapTrade: a slot per attempt, a pause after a 429. */
interface Limiter {

    /** A slot within {@code maxWait}, or empty; close it when the request has completed. */
    Optional<Permit> acquire(Duration maxWait) throws InterruptedException;

    /** Holds back every caller for {@code delay} (SnapTrade answered 429). */
    void pause(Duration delay);

    /** How long a caller arriving now would wait at least. */
    Duration nextFreeIn();

    /**
     * What SnapTrade's answer said of the client's window ({@code X-RateLimit-Remaining}, {@code X-RateLimit-Reset}):
     * a correction for a count that has drifted. Ignored by default.
     */
    default void remaining(int remaining, Duration reset) {
    }

    /** One request's slot. */
    interface Permit extends AutoCloseable {
        @Override
        void close();
    }
}
