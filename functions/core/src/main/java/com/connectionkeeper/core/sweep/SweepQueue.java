package com.connectionkeeper.core.sweep;

import com.connectionkeeper.core.ingest.ConnectionStore;
import com.connectionkeeper.core.model.RetryBackoff;
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

    /** A user met in a priority index, and the index position right after it (where to resume a later read). */
    record Ranked(String userId, String position) {
    }

    /**
     * Users with a BROKEN connection, oldest break first, from just after {@code after} (null: from the start); a
     * user may repeat (one entry per broken connection).
     */
    Stream<Ranked> usersWithBrokenConnections(String after);

    /** Users with a connection flagged for verification, oldest flag first, from after {@code after}; may repeat. */
    Stream<Ranked> usersWithFlaggedConnections(String after);

    /** Every user with a BROKEN connection, oldest break first. */
    default Stream<String> usersWithBrokenConnections() {
        return usersWithBrokenConnections(null).map(Ranked::userId);
    }

    /** Every user with a flagged connection, oldest flag first. */
    default Stream<String> usersWithFlaggedConnections() {
        return usersWithFlaggedConnections(null).map(Ranked::userId);
    }

    /** Users whose retry after a transient failure is due at {@code now}, earliest first. */
    Stream<String> usersDueForRetry(Instant now);

    /** A user in sweep order, with its last check (null: never checked). */
    record SweepEntry(String userId, Instant lastChecked) {
    }

    /** Every user to sweep: never checked first, then least recently checked. */
    Stream<SweepEntry> usersInSweepOrder();

    /**
     * Users by when they are next due ({@link CheckSchedule}), earliest first, with their last check; only users
     * verified since their due time was first recorded are in it (never-checked ones come through
     * {@link #usersInSweepOrder()}).
     */
    Stream<SweepEntry> usersInDueOrder();

    /**
     * The pass over all users in progress: when it began, and how far the planner has read the broken and flagged
     * lists in it (so a run does not read again, from the start, entries an earlier run of the pass has taken).
     */
    record Pass(Instant startedAt, String brokenAfter, String flaggedAfter) {
    }

    /** The current pass; empty before the first. */
    Optional<Pass> pass();

    /** When the current pass began (every user is checked once per pass); empty before the first. */
    default Optional<Instant> passStart() {
        return pass().map(Pass::startedAt);
    }

    /** Begins a new pass, reading the priority lists from their start again. */
    void startPass(Instant at);

    /** Records how far the current pass has read its priority lists (ignored if another pass has begun since). */
    void advancePass(Pass pass);

    /**
     * Where the user stands for the sweep: its last check (null: never), and whether it is in the sweep at all — we
     * hold its secret, SnapTrade has not rejected it, and it is not deleted. A user out of the sweep takes no place in
     * a plan (it would cost no request, but a real check's place).
     */
    record Standing(Instant lastChecked, boolean inSweep) {
    }

    /** The user's standing; empty for a user we have no user item for (known only from connection webhooks). */
    Optional<Standing> standing(String userId);

    /** When the sweep last checked the user, whatever the outcome (empty: never, or unknown user). */
    Optional<Instant> lastChecked(String userId);

    /**
     * Records a verification (SnapTrade answered and the user's connections were reconciled): the user moves to the
     * end of the sweep order and any pending retry is dropped. A deleted user stays out of the order; a flagged one
     * (see {@link ConnectionStore#flagUser}) only has the check time recorded.
     */
    void markVerified(String userId, Instant at);

    /** As {@link #markVerified(String, Instant)}, recording when the user is next due (its place in the due order). */
    void markVerified(String userId, Instant at, Instant dueAt);

    /**
     * Records a check that could not verify the user and would not be helped by retrying soon (no secret, an answer
     * we could not read, credentials rejected): the user moves to the end of the sweep order, its last verification
     * stays as it was; it leaves the due order until its next verification.
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
