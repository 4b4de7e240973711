package com.connectionkeeper.core.domain;

import com.connectionkeeper.core.snaptrade.UserCredentials;
import java.util.List;
import java.util.Optional;

/** A store that "crashes" (throws) instead of performing its n-th write: a Lambda dying between two writes. */
final class CrashingStore implements StateStore {
    /** The simulated crash. */
    static final class Crash extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Crash() {
            super("simulated crash", null, false, false);
        }
    }

    private final StateStore delegate;
    private int writesLeft;

    /** Performs {@code writesBeforeCrash} writes, then throws on the next one. */
    CrashingStore(StateStore delegate, int writesBeforeCrash) {
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
    public boolean recordDelivery(Delivery delivery) {
        write();
        return delegate.recordDelivery(delivery);
    }

    @Override
    public boolean saveUserSecret(String userId, String userSecret) {
        write();
        return delegate.saveUserSecret(userId, userSecret);
    }

    @Override
    public void flagUser(String userId, String problem, java.time.Instant at, String secretUsed) {
        write();
        delegate.flagUser(userId, problem, at, secretUsed);
    }

    @Override
    public boolean clearFlag(String userId, String secretUsed) {
        write();
        return delegate.clearFlag(userId, secretUsed);
    }

    @Override
    public Optional<HeldSecret> heldSecret(String userId) {
        return delegate.heldSecret(userId);
    }

    @Override
    public Optional<UserCredentials> credentials(String userId) {
        return delegate.credentials(userId);
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
    public List<Delivery> history(String userId, String connectionId) {
        return delegate.history(userId, connectionId);
    }
}
