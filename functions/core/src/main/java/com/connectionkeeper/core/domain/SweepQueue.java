package com.connectionkeeper.core.domain;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * What the sweep reads and writes besides connection state: who to check in which order (all paged from the
 * table's indexes, never a scan, nothing O(users) in memory), when each user was last verified, and the lease
 * that keeps two sweep runs from calling SnapTrade at once.
 */
public interface SweepQueue {

    /** Users with a BROKEN connection, oldest break first; a user may repeat (one entry per broken connection). */
    Stream<String> usersWithBrokenConnections();

    /** Users with a connection flagged for verification, oldest flag first; a user may repeat. */
    Stream<String> usersWithFlaggedConnections();

    /** A user in sweep order, with its last verification (null: never). */
    record SweepEntry(String userId, Instant lastVerified) {
    }

    /** Every user to sweep: never verified first, then least recently verified. */
    Stream<SweepEntry> usersInSweepOrder();

    /** When the current pass over all users began (every user is verified once per pass); empty before the first. */
    Optional<Instant> passStart();

    /** Begins a new pass. */
    void startPass(Instant at);

    /** When the sweep last verified the user (empty: never, or unknown user). */
    Optional<Instant> lastVerified(String userId);

    /**
     * Records a verification: the user moves to the end of the sweep order. A deleted user stays out of it; a flagged
     * one (see {@link StateStore#flagUser}) only has the time recorded.
     */
    void markVerified(String userId, Instant at);

    /** Takes the sweep lease unless another owner holds an unexpired one; true if taken (or already ours). */
    boolean tryLease(String owner, Instant now, Duration ttl);

    /** Gives the lease back if {@code owner} holds it. */
    void releaseLease(String owner);
}
