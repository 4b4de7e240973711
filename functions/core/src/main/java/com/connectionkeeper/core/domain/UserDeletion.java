package com.connectionkeeper.core.domain;

/**
 * A user's deletion, from SnapTrade's USER_DELETED webhook or our API's DELETE: written on the user first, then on
 * each of its connections. A connection created concurrently either shows up in the list read after the user's
 * write or, on its first sight, finds the deletion on the user (see {@link WebhookIngestion}).
 */
public final class UserDeletion {
    private UserDeletion() {
    }

    /**
     * Applies the deletion {@code event} (type USER_DELETED) unless the user has seen a newer registration or
     * deletion; returns APPLIED or STALE and the number of connections it deleted.
     */
    public static Result apply(StateStore store, WebhookEvent event, Source source) {
        if (event.type() != EventType.USER_DELETED) {
            throw new IllegalArgumentException("not a deletion: " + event.type());
        }
        if (!store.applyToUser(event)) {
            return new Result(IngestResult.STALE, 0);
        }
        ConnectionChange change = ConnectionRules.userDeletion(event.watermark(), event.eventTime(), source);
        int deleted = 0;
        for (ConnectionState c : store.connections(event.userId())) {
            StateStore.ConnectionWrite write = store.applyToConnection(event.userId(), c.connectionId(), change);
            if (write.applied() && c.status() != ConnectionStatus.DELETED) {
                deleted++;
            }
        }
        return new Result(IngestResult.APPLIED, deleted);
    }

    /** What a deletion did: applied or stale, and how many live connections it deleted. */
    public record Result(IngestResult result, int connectionsDeleted) {
    }
}
