package com.connectionkeeper.core.lifecycle;

import com.connectionkeeper.core.lifecycle.ConnectionEvent.Brokerage;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * A suspected incident at one brokerage: many of its connections broke within a short window. One per brokerage at a
 * time; a later burst after it ended is a new incident (a new {@link #since}).
 *
 * @param brokerage        the brokerage (its id always known)
 * @param since            the first break counted (the window's earliest)
 * @param until            the latest break counted when it was suspected
 * @param window           the window the breaks fell in (the rules' when it was suspected)
 * @param openedAt         when it was suspected
 * @param breaks           breaks counted within the window when it was suspected
 * @param known            the brokerage's known connections then
 * @param status           open, or ended
 * @param endedAt          when it ended (null while open)
 * @param endReason        why it ended (null while open)
 * @param total            breaks at the brokerage since {@link #since}, when it ended (0 while open)
 * @param stillBroken      of those, still broken when it ended (0 while open)
 */
public record Incident(Brokerage brokerage, Instant since, Instant until, Duration window, Instant openedAt,
                       int breaks, int known, Status status, Instant endedAt, EndReason endReason, int total,
                       int stillBroken) {

    public enum Status { OPEN, ENDED }

    /** Why an incident ended: most of its connections were fixed (or deleted), or it lasted its longest. */
    public enum EndReason {
        REPAIRED("repaired"), EXPIRED("expired");

        private final String wire;

        EndReason(String wire) {
            this.wire = wire;
        }

        public String wire() {
            return wire;
        }

        public static EndReason fromWire(String wire) {
            for (EndReason r : values()) {
                if (r.wire.equals(wire)) {
                    return r;
                }
            }
            throw new IllegalArgumentException("unknown incident end reason: " + wire);
        }
    }

    public Incident {
        Objects.requireNonNull(brokerage, "brokerage");
        Objects.requireNonNull(brokerage.id(), "brokerage id");
        Objects.requireNonNull(since, "since");
        Objects.requireNonNull(until, "until");
        Objects.requireNonNull(window, "window");
        Objects.requireNonNull(openedAt, "openedAt");
        Objects.requireNonNull(status, "status");
        if (status == Status.ENDED && (endedAt == null || endReason == null)) {
            throw new IllegalArgumentException("an ended incident has its end time and reason");
        }
    }

    /** A newly suspected incident. */
    public static Incident suspected(Brokerage brokerage, Instant since, Instant until, Duration window,
                                     Instant openedAt, int breaks, int known) {
        return new Incident(brokerage, since, until, window, openedAt, breaks, known, Status.OPEN, null, null, 0, 0);
    }

    public String brokerageId() {
        return brokerage.id();
    }

    public boolean open() {
        return status == Status.OPEN;
    }

    /** This incident, ended at {@code at} for {@code reason}, with its breaks then and those still broken. */
    public Incident ended(Instant at, EndReason reason, int total, int stillBroken) {
        return new Incident(brokerage, since, until, window, openedAt, breaks, known, Status.ENDED, at, reason,
                total, stillBroken);
    }

    /** The incident's identity, the same in its Suspected and Ended events: the brokerage and its first break. */
    public String id() {
        return Lifecycle.id("incident", brokerage.id(), since.toString());
    }

    /** Whether a break at {@code brokenSince} at this brokerage belongs to this incident. */
    public boolean covers(Instant brokenSince) {
        return brokenSince != null && !brokenSince.isBefore(since);
    }
}
