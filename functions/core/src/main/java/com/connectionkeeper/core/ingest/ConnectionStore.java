package com.connectionkeeper.core.ingest;

import com.connectionkeeper.core.model.ConnectionChange;
import com.connectionkeeper.core.model.ConnectionState;
import com.connectionkeeper.core.model.HistoryEntry;
import com.connectionkeeper.core.model.Source;
import com.connectionkeeper.core.model.UserState;
import com.connectionkeeper.core.model.Watermark;
import com.connectionkeeper.core.model.WebhookEvent;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Where connection, user and history state lives (secrets live behind {@code SecretStore}). Every write is a single-item conditional write that is safe to
 * repeat: replaying the same change gives the same item, so a retried webhook completes what a crash interrupted.
 */
public interface ConnectionStore {

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

    /**
     * Applies the user's deletion at {@code watermark} (SnapTrade's USER_DELETED webhook or our API's DELETE) unless
     * the user has seen a newer registration or deletion; true if applied. The user is DELETED as of
     * {@code deletedAt} and the watermark is kept as its deletion watermark; {@code source} (who deleted it) is kept
     * on the user, for its lifecycle event.
     */
    boolean applyUserDeletion(String userId, Watermark watermark, Instant deletedAt, Source source);

    Optional<UserState> user(String userId);

    Optional<ConnectionState> connection(String userId, String connectionId);

    /** Every connection we know for the user, in connection-id order. */
    List<ConnectionState> connections(String userId);

    /**
     * Keeps a delivery in history. Returns true the first time; a redelivery (same user, connection, event time and
     * webhook id) only counts the extra delivery, keeps the first result, and returns false.
     */
    boolean recordHistory(HistoryEntry entry);

    /** The history of one connection (or, with a null connection id, of the user), oldest event first. */
    List<HistoryEntry> history(String userId, String connectionId);
}
