package com.connectionkeeper.core.ingest;

import com.connectionkeeper.core.model.ConnectionChange;
import com.connectionkeeper.core.model.ConnectionRules;
import com.connectionkeeper.core.model.ConnectionState;
import com.connectionkeeper.core.model.ConnectionStatus;
import com.connectionkeeper.core.model.EventType;
import com.connectionkeeper.core.model.IngestResult;
import com.connectionkeeper.core.model.Source;
import com.connectionkeeper.core.model.UserState;
import com.connectionkeeper.core.model.UserStatus;
import com.connectionkeeper.core.model.Watermark;
import java.time.Instant;
import java.util.Optional;

/**
 * A user's deletion, from SnapTrade's USER_DELETED webhook or our API's DELETE: written on the user first, then on
 * each of its connections. A connection created concurrently either shows up in the list read after the user's
 * write or, on its first sight, finds the deletion on the user (see {@link WebhookIngestion}).
 */
public final class UserDeletion {
    private UserDeletion() {
    }

    /**
     * A deletion's place in the user's timeline: its time, USER_DELETED's tie precedence, and {@code deletionId}
     * (SnapTrade's webhook id, or the id of our request that deleted the user).
     */
    public static Watermark watermark(Instant deletedAt, String deletionId) {
        return Watermark.of(deletedAt, EventType.USER_DELETED.tiePrecedence(), deletionId);
    }

    /**
     * Applies the user's deletion at {@code watermark} (see {@link #watermark}) and {@code deletedAt}, by
     * {@code source}, unless the user has seen a newer registration or deletion; returns APPLIED or STALE and the
     * number of connections it deleted.
     */
    public static Result apply(ConnectionStore store, String userId, Watermark watermark, Instant deletedAt,
                               Source source) {
        if (!store.applyUserDeletion(userId, watermark, deletedAt, source)) {
            // Stale: a newer registration or deletion. If it is a deletion, finish it — an earlier attempt may have
            // failed after writing the user (e.g. DynamoDB between two writes), leaving connections live.
            return new Result(IngestResult.STALE, finish(store, userId, source));
        }
        ConnectionChange change = ConnectionRules.userDeletion(watermark, deletedAt, source);
        int deleted = 0;
        for (ConnectionState c : store.connections(userId)) {
            ConnectionStore.ConnectionWrite write = store.applyToConnection(userId, c.connectionId(), change);
            if (write.applied() && c.status() != ConnectionStatus.DELETED) {
                deleted++;
            }
        }
        return new Result(IngestResult.APPLIED, deleted);
    }

    /**
     * Writes the user's recorded deletion onto every connection still live from before it; nothing when the user is
     * not deleted. Returns how many connections it deleted. Idempotent: a retry of a half-done deletion finishes it.
     */
    public static int finish(ConnectionStore store, String userId, Source source) {
        Optional<UserState> user = store.user(userId);
        if (user.isEmpty() || user.get().status() != UserStatus.DELETED || user.get().deletionWatermark() == null) {
            return 0;
        }
        Watermark deletion = user.get().deletionWatermark();
        ConnectionChange change = ConnectionRules.userDeletion(deletion, user.get().deletedAt(), source);
        int deleted = 0;
        for (ConnectionState c : store.connections(userId)) {
            if (c.status() == ConnectionStatus.DELETED || (c.watermark() != null && c.watermark().isAfter(deletion))) {
                continue; // deleted already, or changed after the deletion (newer wins)
            }
            if (store.applyToConnection(userId, c.connectionId(), change).applied()) {
                deleted++;
            }
        }
        return deleted;
    }

    /** What a deletion did: applied or stale, and how many live connections it deleted. */
    public record Result(IngestResult result, int connectionsDeleted) {
    }
}
