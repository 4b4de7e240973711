package com.connectionkeeper.core.domain;

import com.connectionkeeper.core.domain.Reconciliation.Observation;
import com.connectionkeeper.core.snaptrade.BrokerageConnection;
import com.connectionkeeper.core.snaptrade.SnapTradeException;
import com.connectionkeeper.core.snaptrade.SnapTradeGateway;
import com.connectionkeeper.core.snaptrade.UserCredentials;
import java.time.Clock;
import java.time.Instant;
import java.util.EnumMap;
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
        /** Known only from a webhook: no secret stored (skipped, moved to the end of the order). */
        NO_SECRET,
        /** SnapTrade rejected the secret: flagged, skipped until the secret is saved again. */
        CREDENTIALS_REJECTED,
        /** SnapTrade does not know the user: flagged like a rejected secret. */
        USER_UNKNOWN,
        /** Rate limited after the gateway's retries: left for the next run. */
        RATE_LIMITED,
        /** SnapTrade down or timing out after the gateway's retries: left for the next run. */
        UNAVAILABLE,
        /** An answer we could not read: recorded in the user's history, moved to the end of the order. */
        BAD_RESPONSE
    }

    /** What checking one user did: transitions applied, or why it failed; SnapTrade calls made. */
    public record Outcome(String userId, Map<Transition, Integer> transitions, Optional<Failure> failure,
                          int requests) {
    }

    private final StateStore store;
    private final SweepQueue queue;
    private final SnapTradeGateway gateway;
    private final Clock clock;

    public UserSweep(StateStore store, SweepQueue queue, SnapTradeGateway gateway, Clock clock) {
        this.store = store;
        this.queue = queue;
        this.gateway = gateway;
        this.clock = clock;
    }

    public Outcome check(String userId, String runId) {
        Instant observedAt = clock.instant();
        Optional<UserCredentials> credentials = store.credentials(userId);
        if (credentials.isEmpty()) {
            queue.markVerified(userId, observedAt);
            return failed(userId, Failure.NO_SECRET, 0);
        }
        List<BrokerageConnection> listed;
        try {
            listed = gateway.listConnections(credentials.get());
        } catch (SnapTradeException e) {
            return failedAtSnapTrade(userId, runId, observedAt, e);
        }
        Map<Transition, Integer> transitions = new EnumMap<>(Transition.class);
        for (Observation o : Reconciliation.observe(store.connections(userId), listed, observedAt, runId)) {
            boolean applied = store.applyToConnection(userId, o.connectionId(), o.change()).applied();
            transitions.merge(applied ? o.transition() : Transition.NONE, 1, Integer::sum);
            store.recordDelivery(new Delivery(userId, o.connectionId(), runId, o.seen().eventType(), observedAt,
                    clock.instant(), applied ? IngestResult.APPLIED : IngestResult.STALE,
                    "{\"seen\":\"" + o.seen() + "\"}", Source.SWEEP));
        }
        queue.markVerified(userId, observedAt);
        return new Outcome(userId, transitions, Optional.empty(), 1);
    }

    private Outcome failedAtSnapTrade(String userId, String runId, Instant at, SnapTradeException e) {
        switch (e.kind()) {
            case CREDENTIALS_REJECTED -> {
                return flagged(userId, Failure.CREDENTIALS_REJECTED, at);
            }
            case NOT_FOUND -> {
                return flagged(userId, Failure.USER_UNKNOWN, at);
            }
            case BAD_RESPONSE -> {
                store.recordDelivery(new Delivery(userId, null, runId, "SWEEP_BAD_RESPONSE", at, clock.instant(),
                        IngestResult.IGNORED, "{\"httpStatus\":" + e.httpStatus() + "}", Source.SWEEP));
                queue.markVerified(userId, at);
                return failed(userId, Failure.BAD_RESPONSE, 1);
            }
            case RATE_LIMITED -> {
                return failed(userId, Failure.RATE_LIMITED, 1);
            }
            default -> {
                return failed(userId, Failure.UNAVAILABLE, 1);
            }
        }
    }

    /** Takes the user out of the sweep until its secret is saved again; its check still counts as done. */
    private Outcome flagged(String userId, Failure failure, Instant at) {
        store.flagUser(userId, failure.name());
        queue.markVerified(userId, at);
        return failed(userId, failure, 1);
    }

    private static Outcome failed(String userId, Failure failure, int requests) {
        return new Outcome(userId, Map.of(), Optional.of(failure), requests);
    }
}
