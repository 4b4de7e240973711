package com.connectionkeeper.core.domain;

import com.connectionkeeper.core.snaptrade.UserCredentials;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Where connection, user and history state lives. Every write is a single-item conditional write that is safe to
 * repeat: replaying the same change gives the same item, so a retried webhook completes what a crash interrupted.
 */
public interface StateStore {

    /**
     * Outcome of a conditional connection write: {@code applied} unless stale; {@code firstOrReplay} when the write
     * created the connection or replayed the very change that set its watermark (a duplicate or a retry).
     */
    record ConnectionWrite(boolean applied, boolean firstOrReplay) {
    }

    /** Applies {@code change} unless the connection's watermark is after the change's. */
    ConnectionWrite applyToConnection(String userId, String connectionId, ConnectionChange change);

    /** Applies a registration, deletion or attempt event to the user unless stale; true if applied. */
    boolean applyToUser(WebhookEvent event);

    Optional<UserState> user(String userId);

    Optional<ConnectionState> connection(String userId, String connectionId);

    /** Every connection we know for the user, in connection-id order. */
    List<ConnectionState> connections(String userId);

    /**
     * Keeps a delivery in history. Returns true the first time; a redelivery (same user, connection, event time and
     * webhook id) only counts the extra delivery, keeps the first result, and returns false.
     */
    boolean recordDelivery(Delivery delivery);

    /**
     * Stores the user's SnapTrade secret (registration or import): the user becomes sweepable, any flag is cleared.
     * False, and nothing stored, when the user is deleted (a deletion racing an import wins).
     */
    boolean saveUserSecret(String userId, String userSecret);

    /** The user's id and secret, when we have a secret that SnapTrade has not rejected. */
    Optional<UserCredentials> credentials(String userId);

    /** A secret we hold, and what SnapTrade last said was wrong with it ({@code problem}; null: nothing). */
    record HeldSecret(UserCredentials credentials, String problem) {
    }

    /**
     * The secret we hold for the user, flagged or not (the sweep rechecks flagged users with it); empty when we hold
     * none or the user is deleted.
     */
    Optional<HeldSecret> heldSecret(String userId);

    /**
     * Takes the user out of the sweep (e.g. SnapTrade rejected {@code secretUsed}) until its secret is saved again or
     * a recheck finds it accepted: the recheck is due after {@link RetryBackoff#FLAGGED_RECHECK} for the consecutive
     * flags. Nothing for a deleted user, or when the user holds another secret by now (a new one saved meanwhile is
     * not the one SnapTrade rejected).
     */
    void flagUser(String userId, String problem, Instant at, String secretUsed);

    /**
     * SnapTrade accepted {@code secretUsed} again: the flag ends and the user is back in the sweep. False, nothing
     * changed, when the user is deleted or holds another secret now.
     */
    boolean clearFlag(String userId, String secretUsed);

    /** The history of one connection (or, with a null connection id, of the user), oldest event first. */
    List<Delivery> history(String userId, String connectionId);
}
