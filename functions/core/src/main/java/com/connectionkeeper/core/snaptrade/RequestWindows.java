package com.connectionkeeper.core.snaptrade;

/**
 * The deployment's shared count of SnapTrade requests for one client id: one counter per short sub-window of time
 * (numbered from the epoch: window {@code k} is {@code [k·s, (k+1)·s)} of the taker's clock), each taken with one
 * conditional write. Every process that calls SnapTrade with the client id takes its slots here, so together they keep
 * the client's rolling limit. A window can also be <em>closed</em>: nobody takes from it any more (SnapTrade answered
 * 429, or said almost nothing remains).
 */
public interface RequestWindows {

    /**
     * The two counters of a sub-window: the slots everyone shares, and those kept for interactive calls (which the
     * sweep may take too late in the sub-window). Each is taken against its own cap, so a take that asks for more than
     * is left (its count then passes the cap) never eats into the other.
     */
    enum Pool {
        SHARED,
        RESERVED
    }

    /**
     * Takes up to {@code wanted} slots of {@code pool} in window {@code window}, as long as fewer than {@code cap} are
     * taken from it and the window is not closed; returns how many were granted: {@code wanted}, fewer (the pool
     * filled up), or 0 (full or closed).
     *
     * @throws Unavailable when the shared count cannot be reached (the caller falls back to its own limit)
     */
    int take(long window, Pool pool, int wanted, int cap);

    /** Closes the windows {@code from} to {@code to}, both included: nothing more is taken from them by anyone. */
    void close(long from, long to);

    /** The shared count could not be read or written (e.g. DynamoDB unavailable or throttling). */
    final class Unavailable extends RuntimeException {
        public Unavailable(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
