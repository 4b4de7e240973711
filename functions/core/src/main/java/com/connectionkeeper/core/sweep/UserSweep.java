package com.connectionkeeper.core.sweep;

import com.connectionkeeper.core.ingest.ConnectionStore;
import com.connectionkeeper.core.log.JsonLog;
import com.connectionkeeper.core.model.HistoryEntry;
import com.connectionkeeper.core.model.IngestResult;
import com.connectionkeeper.core.model.RetryBackoff;
import com.connectionkeeper.core.model.Source;
import com.connectionkeeper.core.model.Transition;
import com.connectionkeeper.core.reconcile.Reconciler;
import com.connectionkeeper.core.secrets.SealingException;
import com.connectionkeeper.core.secrets.SecretStore;
import com.connectionkeeper.core.snaptrade.BrokerageConnection;
import com.connectionkeeper.core.snaptrade.SnapTradeException;
import com.connectionkeeper.core.snaptrade.SnapTradeGateway;
import com.connectionkeeper.core.snaptrade.UserCredentials;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Verifies one user against SnapTrade: lists its connections, reconciles them with ours (each observation applied
 * under the watermark rules and kept in history), and records the verification. One user's failure is reported,
 * never thrown, so a sweep run goes on with the next user.
 */
public final class UserSweep {
    /** Why a user could not be verified. */
    public enum Failure {
        /** Known only from a webhook: no secret stored (reported, moved to the end of the order). */
        NO_SECRET,
        /**
         * SnapTrade rejected the secret: once the caller confirms it ({@link #confirm}), flagged — out of the sweep
         * until the secret is saved again or a recheck on {@link RetryBackoff#FLAGGED_RECHECK} finds it accepted.
         */
        CREDENTIALS_REJECTED,
        /**
         * SnapTrade refused our client (consumer key, clock, permission), not this user: nothing is written, the user
         * stays where it is, and the run stops starting users — every call would fail alike.
         */
        CLIENT_REJECTED,
        /** SnapTrade itself said it does not know the user: flagged like a rejected secret, once confirmed. */
        USER_UNKNOWN,
        /** Rate limited after the gateway's retries: retried in a later run, with backoff. */
        RATE_LIMITED,
        /** SnapTrade down or timing out after the gateway's retries: retried in a later run, with backoff. */
        UNAVAILABLE,
        /** An answer we could not read: recorded in the user's history, moved to the end of the order. */
        BAD_RESPONSE,
        /**
         * The secret we hold would not open (sealed with another key or for another user or table, changed, or the
         * sealing service unreachable): SnapTrade is not asked, the user is retried in a later run, with backoff.
         */
        SECRET_UNREADABLE
    }

    /**
     * What checking one user did: transitions applied, or why it failed; {@code checkedAt} when it asked;
     * {@code recheck} when the user was flagged already (its recheck was due).
     */
    public record Outcome(String userId, Map<Transition, Integer> transitions, Optional<Failure> failure,
                          Instant checkedAt, boolean recheck) {

        /**
         * SnapTrade blamed the user (rejected secret, unknown user). Nothing is written yet: the caller decides whether
         * to believe it ({@link #confirm}) or, when many users in a row are blamed alike — our client, not all of
         * them, is more likely wrong — to retry later ({@link #doubt}).
         */
        public boolean blamesUser() {
            return failure.filter(f -> f == Failure.CREDENTIALS_REJECTED || f == Failure.USER_UNKNOWN).isPresent();
        }

        /** SnapTrade answered and the user's connections were reconciled. */
        public boolean verified() {
            return failure.isEmpty();
        }
    }

    private final ConnectionStore store;
    private final SecretStore secrets;
    private final SweepQueue queue;
    private final SnapTradeGateway gateway;
    private final Clock clock;
    private final RetryBackoff backoff;
    private final Reconciler reconciler;
    private final ScheduleSource schedules;
    /** The version of the secret each blamed user was checked with, until the blame is confirmed or doubted. */
    private final Map<String, String> blamedSecrets = new ConcurrentHashMap<>();

    public UserSweep(ConnectionStore store, SecretStore secrets, SweepQueue queue, SnapTradeGateway gateway,
                     Clock clock, RetryBackoff backoff) {
        this(store, secrets, queue, gateway, clock, backoff, null);
    }

    /**
     * A sweep that records, at each verification, when the user is next due by {@code schedules} (null: no due time,
     * least recently checked order only).
     */
    public UserSweep(ConnectionStore store, SecretStore secrets, SweepQueue queue, SnapTradeGateway gateway,
                     Clock clock, RetryBackoff backoff, ScheduleSource schedules) {
        this.schedules = schedules;
        this.store = store;
        this.secrets = secrets;
        this.queue = queue;
        this.gateway = gateway;
        this.clock = clock;
        this.backoff = backoff;
        this.reconciler = new Reconciler(store, clock);
    }

    /** HTTP requests sent to SnapTrade so far through this sweep's gateway, retries included. */
    public long requestsSent() {
        return gateway.requestsSent();
    }

    /** How long a check starting now would wait for its first SnapTrade slot at least. */
    public java.time.Duration nextSlotIn() {
        return gateway.nextSlotIn();
    }

    /** Of those, the ones SnapTrade answered 429. */
    public long rateLimitedAnswers() {
        return gateway.rateLimitedAnswers();
    }

    /**
     * Checks the user with the secret we hold — also a flagged one, whose recheck is due: if SnapTrade accepts it
     * now, the flag ends. A user-blaming answer ({@link Outcome#blamesUser()}) writes nothing until
     * {@link #confirm} or {@link #doubt}.
     */
    public Outcome check(String userId, String runId) {
        Instant observedAt = clock.instant();
        Optional<SecretStore.HeldSecret> held;
        try {
            held = secrets.heldSecret(userId);
        } catch (SealingException e) {
            JsonLog.error("sweep_secret_unreadable", "runId", runId, "userId", userId, "kind", e.kind().name(),
                    "reason", e.getMessage());
            queue.scheduleRetry(userId, observedAt, backoff);
            return failed(userId, Failure.SECRET_UNREADABLE, observedAt);
        }
        if (held.isEmpty()) {
            queue.markChecked(userId, observedAt);
            return failed(userId, Failure.NO_SECRET, observedAt);
        }
        UserCredentials credentials = held.get().credentials();
        boolean recheck = held.get().problem() != null;
        List<BrokerageConnection> listed;
        try {
            listed = gateway.listConnections(credentials);
        } catch (SnapTradeException e) {
            Outcome failed = failedAtSnapTrade(userId, runId, observedAt, e, recheck);
            if (failed.blamesUser()) {
                blamedSecrets.put(userId, held.get().version());
            }
            return failed;
        }
        if (recheck) {
            secrets.clearFlag(userId, held.get().version()); // accepted again: back in the sweep
        }
        Map<Transition, Integer> transitions = reconciler.reconcile(userId, listed, observedAt, runId, Source.SWEEP);
        if (schedules == null) {
            queue.markVerified(userId, observedAt);
        } else {
            queue.markVerified(userId, observedAt, schedules.dueAt(userId, observedAt));
        }
        return new Outcome(userId, transitions, Optional.empty(), observedAt, recheck);
    }

    /** Believes a user-blaming outcome: the user is flagged out of the sweep, its recheck scheduled. */
    public void confirm(Outcome outcome) {
        requireBlame(outcome);
        String versionUsed = blamedSecrets.remove(outcome.userId());
        if (versionUsed != null) { // only the secret SnapTrade rejected: a new one saved meanwhile stays unflagged
            secrets.flagUser(outcome.userId(), outcome.failure().orElseThrow().name(), outcome.checkedAt(),
                    versionUsed);
        }
    }

    /**
     * Does not believe a user-blaming outcome (too many users blamed in a row): the user is retried after the
     * transient backoff, as if SnapTrade had been unavailable, and nobody is flagged.
     */
    public void doubt(Outcome outcome) {
        requireBlame(outcome);
        blamedSecrets.remove(outcome.userId());
        queue.scheduleRetry(outcome.userId(), outcome.checkedAt(), backoff);
    }

    private static void requireBlame(Outcome outcome) {
        if (!outcome.blamesUser()) {
            throw new IllegalArgumentException("not a user-blaming outcome: " + outcome.failure());
        }
    }

    private Outcome failedAtSnapTrade(String userId, String runId, Instant at, SnapTradeException e,
                                      boolean recheck) {
        switch (e.kind()) {
            case CREDENTIALS_REJECTED -> {
                return new Outcome(userId, Map.of(), Optional.of(Failure.CREDENTIALS_REJECTED), at, recheck);
            }
            case NOT_FOUND -> {
                return new Outcome(userId, Map.of(), Optional.of(Failure.USER_UNKNOWN), at, recheck);
            }
            case CLIENT_REJECTED -> {
                return failed(userId, Failure.CLIENT_REJECTED, at);
            }
            case BAD_RESPONSE -> {
                store.recordHistory(new HistoryEntry(userId, null, runId, "SWEEP_BAD_RESPONSE", at, clock.instant(),
                        IngestResult.IGNORED, "{\"httpStatus\":" + e.httpStatus() + "}", Source.SWEEP));
                queue.markChecked(userId, at);
                return failed(userId, Failure.BAD_RESPONSE, at);
            }
            case RATE_LIMITED -> {
                queue.scheduleRetry(userId, at, backoff);
                return failed(userId, Failure.RATE_LIMITED, at);
            }
            default -> {
                queue.scheduleRetry(userId, at, backoff);
                return failed(userId, Failure.UNAVAILABLE, at);
            }
        }
    }

    private static Outcome failed(String userId, Failure failure, Instant at) {
        return new Outcome(userId, Map.of(), Optional.of(failure), at, false);
    }
}
