package com.connectionkeeper.simulator;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * Every token expiry the simulator ran, in the order it ran them (expiry order on a {@link SimulatedClock}), and
 * listeners told of each as it happens; thread-safe.
 */
public final class ExpiryLog {
    private final List<TokenExpiry> expiries = new ArrayList<>();
    private final List<Consumer<TokenExpiry>> listeners = new CopyOnWriteArrayList<>();

    /**
     * Calls {@code listener} with each later expiry, on the thread that runs it (the one advancing the clock), right
     * after the connection broke and its webhook went out or was lost. It may change the simulator (e.g. fix the
     * connection: on a simulated clock the new token's expiry then runs in the same advance when due).
     */
    public void subscribe(Consumer<TokenExpiry> listener) {
        listeners.add(listener);
    }

    public synchronized List<TokenExpiry> all() {
        return List.copyOf(expiries);
    }

    public synchronized void clear() {
        expiries.clear();
    }

    void add(TokenExpiry expiry) {
        synchronized (this) {
            expiries.add(expiry);
        }
        listeners.forEach(listener -> listener.accept(expiry));
    }
}
