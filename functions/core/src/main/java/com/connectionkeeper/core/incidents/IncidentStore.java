package com.connectionkeeper.core.incidents;

import com.connectionkeeper.core.lifecycle.Incident;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * What incident awareness keeps in the table, per brokerage: a record of each break (marked when it is fixed or
 * deleted), the connections known there, and the brokerage's current incident. Every write is idempotent or
 * conditional, so a retried stream batch records nothing twice.
 */
public interface IncidentStore {
    /** A break of one connection, named by the break's own time. */
    record Break(String userId, String connectionId, Instant brokenSince) {
    }

    /** A connection at a brokerage. */
    record Member(String userId, String connectionId) {
    }

    /**
     * The connections that broke since a time, and how many of them are still broken (their latest break since then
     * neither fixed nor deleted). A connection that broke twice counts once.
     */
    record Tally(int total, int unresolved) {
    }

    /** The brokerage's known connections as last counted. */
    record Known(int connections, Instant countedAt) {
    }

    /** Records these breaks (again: no change). */
    void recordBreaks(String brokerageId, List<Break> breaks);

    /** Marks these breaks fixed or deleted at {@code at}; a break never recorded stays unrecorded. */
    void recordResolved(String brokerageId, List<Break> resolved, Instant at);

    /** Records connections now at the brokerage ({@code live}) and no longer there ({@code gone}). */
    void recordMembers(String brokerageId, List<Member> live, List<Member> gone);

    /** The breaks recorded with a time in [{@code from}, {@code to}], in time order. */
    List<Break> breaks(String brokerageId, Instant from, Instant to);

    /** The connections whose breaks are recorded at or after {@code since}, and how many are still broken. */
    Tally tally(String brokerageId, Instant since);

    /** The last count of the brokerage's connections, if any. */
    Optional<Known> known(String brokerageId);

    /** Counts the brokerage's connections now, and keeps the count (as of {@code at}). */
    Known countKnown(String brokerageId, Instant at);

    /** The brokerage's current (or last) incident, if it ever had one. */
    Optional<Incident> incident(String brokerageId);

    /** Every open incident. */
    List<Incident> openIncidents();

    /** Records {@code incident} (open) if the brokerage has none open; false if it has. */
    boolean open(Incident incident);

    /** Records {@code ended} if that incident (same brokerage and start) is still open; false if not. */
    boolean end(Incident ended);
}
