package com.connectionkeeper.core.sweep;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * Our own history of token lifetimes, one {@link LifetimeHistogram} per brokerage (learned from ADDED/FIXED → BROKEN),
 * and what the schedule needs to know of a user's connections.
 */
public interface LifetimeStore {

    /** Counts one observed lifetime of a token of {@code brokerageId} (one single-item write). */
    void recordLifetime(String brokerageId, Duration lifetime);

    /** Every brokerage's histogram, by brokerage id. */
    Map<String, LifetimeHistogram> lifetimes();

    /** The user's connections as the schedule sees them: brokerage, when the current token was issued, broken. */
    List<CheckSchedule.Connection> tokens(String userId);
}
