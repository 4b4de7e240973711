package com.connectionkeeper.store;

import com.connectionkeeper.core.ingest.ConnectionStore;
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

/** A store that "crashes" (throws) instead of performing its n-th write: a Lambda dying between two writes. */
final class CrashingStore implements ConnectionStore {
    /** The simulated crash. */
    static final class Crash extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Crash() {
            super("simulated crash", null, false, false);
        }
    }

    private final ConnectionStore delegate;
    private int writesLeft;

    /** Performs {@code writesBeforeCrash} writes, then throws on the next one. */
    CrashingStore(ConnectionStore delegate, int writesBeforeCrash) {
        this.delegate = delegate;
        this.writesLeft = writesBeforeCrash;
    }

    private void write() {
        if (writesLeft-- <= 0) {
            throw new Crash();
        }
    }

    @Override
    public ConnectionWrite applyToConnection(String userId, String connectionId, ConnectionChange change) {
        write();
        return delegate.applyToConnection(userId, connectionId, change);
    }

    @Override
    public boolean applyToUser(WebhookEvent event) {
        write();
        return delegate.applyToUser(event);
    }

    @Override
    public boolean applyUserDeletion(String userId, Watermark watermark, Instant deletedAt, Source source) {
        write();
        return delegate.applyUserDeletion(userId, watermark, deletedAt, source);
    }

    @Override
    public boolean recordHistory(HistoryEntry delivery) {
        write();
        return delegate.recordHistory(delivery);
    }

    @Override
    public Optional<UserState> user(String userId) {
        return delegate.user(userId);
    }

    @Override
    public Optional<ConnectionState> connection(String userId, String connectionId) {
        return delegate.connection(userId, connectionId);
    }

    @Override
    public List<ConnectionState> connections(String userId) {
        return delegate.connections(userId);
    }

    @Override
    public List<HistoryEntry> history(String userId, String connectionId) {
        return delegate.history(userId, connectionId);
    }
}
