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

    /** Users whose retry after a transient failure is due at {@code now}, earliest first. */
    Stream<String> usersDueForRetry(Instant now);

    /** A user in sweep order, with its last check (null: never checked). */
    record SweepEntry(String userId, Instant lastChecked) {
    }

    /** Every user to sweep: never checked first, then least recently checked. */
    Stream<SweepEntry> usersInSweepOrder();

    /** When the current pass over all users began (every user is verified once per pass); empty before the first. */
    Optional<Instant> passStart();

    /** Begins a new pass. */
    void startPass(Instant at);

    /** When the sweep last checked the user, whatever the outcome (empty: never, or unknown user). */
    Optional<Instant> lastChecked(String userId);

    /**
     * Records a verification (SnapTrade answered and the user's connections were reconciled): the user moves to the
     * end of the sweep order and any pending retry is dropped. A deleted user stays out of the order; a flagged one
     * (see {@link StateStore#flagUser}) only has the check time recorded.
     */
    void markVerified(String userId, Instant at);

    /**
     * Records a check that could not verify the user and would not be helped by retrying soon (no secret, an answer
     * we could not read, credentials rejected): the user moves to the end of the sweep order, its last verification
     * stays as it was.
     */
    void markChecked(String userId, Instant at);

    /**
     * Records a transient failure (rate limited or unavailable after the gateway's retries): the user moves to the end
     * of the sweep order, so the pass goes on without it, and is retried once {@code backoff} for its consecutive
     * failures has passed. Returns that number of consecutive failures (0 if the user is not in the sweep).
     */
    int scheduleRetry(String userId, Instant at, RetryBackoff backoff);

    /** Takes the sweep lease unless another owner holds an unexpired one; true if taken (or already ours). */
    boolean tryLease(String owner, Instant now, Duration ttl);

    /** Gives the lease back if {@code owner} holds it. */
    void releaseLease(String owner);
}
