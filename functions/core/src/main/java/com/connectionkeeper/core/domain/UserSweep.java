package com.connectionkeeper.core.domain;

import com.connectionkeeper.core.snaptrade.BrokerageConnection;
import com.connectionkeeper.core.snaptrade.SnapTradeException;
import com.connectionkeeper.core.snaptrade.SnapTradeGateway;
import com.connectionkeeper.core.snaptrade.UserCredentials;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

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
        /** SnapTrade rejected the secret: flagged, skipped until the secret is saved again. */
        CREDENTIALS_REJECTED,
        /**
         * SnapTrade refused our client (consumer key, clock, permission), not this user: nothing is written, the user
         * stays where it is, and the run stops starting users — every call would fail alike.
         */
        CLIENT_REJECTED,
        /** SnapTrade does not know the user: flagged like a rejected secret. */
        USER_UNKNOWN,
        /** Rate limited after the gateway's retries: retried in a later run, with backoff. */
        RATE_LIMITED,
        /** SnapTrade down or timing out after the gateway's retries: retried in a later run, with backoff. */
        UNAVAILABLE,
        /** An answer we could not read: recorded in the user's history, moved to the end of the order. */
        BAD_RESPONSE
    }

    /** What checking one user did: transitions applied, or why it failed. */
    public record Outcome(String userId, Map<Transition, Integer> transitions, Optional<Failure> failure) {
    }

    private final StateStore store;
    private final SweepQueue queue;
    private final SnapTradeGateway gateway;
    private final Clock clock;
    private final RetryBackoff backoff;
    private final Reconciler reconciler;

    public UserSweep(StateStore store, SweepQueue queue, SnapTradeGateway gateway, Clock clock,
                     RetryBackoff backoff) {
        this.store = store;
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

    public Outcome check(String userId, String runId) {
        Instant observedAt = clock.instant();
        Optional<UserCredentials> credentials = store.credentials(userId);
        if (credentials.isEmpty()) {
            queue.markChecked(userId, observedAt);
            return failed(userId, Failure.NO_SECRET);
        }
        List<BrokerageConnection> listed;
        try {
            listed = gateway.listConnections(credentials.get());
        } catch (SnapTradeException e) {
            return failedAtSnapTrade(userId, runId, observedAt, e);
        }
        Map<Transition, Integer> transitions = reconciler.reconcile(userId, listed, observedAt, runId, Source.SWEEP);
        queue.markVerified(userId, observedAt);
        return new Outcome(userId, transitions, Optional.empty());
    }

    private Outcome failedAtSnapTrade(String userId, String runId, Instant at, SnapTradeException e) {
        switch (e.kind()) {
            case CREDENTIALS_REJECTED -> {
                return flagged(userId, Failure.CREDENTIALS_REJECTED, at);
            }
            case NOT_FOUND -> {
                return flagged(userId, Failure.USER_UNKNOWN, at);
            }
            case CLIENT_REJECTED -> {
                return failed(userId, Failure.CLIENT_REJECTED);
            }
            case BAD_RESPONSE -> {
                store.recordDelivery(new Delivery(userId, null, runId, "SWEEP_BAD_RESPONSE", at, clock.instant(),
                        IngestResult.IGNORED, "{\"httpStatus\":" + e.httpStatus() + "}", Source.SWEEP));
                queue.markChecked(userId, at);
                return failed(userId, Failure.BAD_RESPONSE);
            }
            case RATE_LIMITED -> {
                queue.scheduleRetry(userId, at, backoff);
                return failed(userId, Failure.RATE_LIMITED);
            }
            default -> {
                queue.scheduleRetry(userId, at, backoff);
                return failed(userId, Failure.UNAVAILABLE);
            }
        }
    }

    /** Takes the user out of the sweep until its secret is saved again; its check still counts as done. */
    private Outcome flagged(String userId, Failure failure, Instant at) {
        store.flagUser(userId, failure.name());
        queue.markChecked(userId, at);
        return failed(userId, failure);
    }

    private static Outcome failed(String userId, Failure failure) {
        return new Outcome(userId, Map.of(), Optional.of(failure));
    }
}
