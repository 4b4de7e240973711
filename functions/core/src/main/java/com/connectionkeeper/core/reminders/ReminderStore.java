package com.connectionkeeper.core.reminders;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** What the reminder run needs of the table: broken connections by break time, the claim of a step, its pass. */
public interface ReminderStore {
    /** A broken connection as the status index holds it. */
    record Broken(String userId, String connectionId, Instant brokenSince) {
    }

    /** One page of broken connections, oldest break first; {@code next} is null after the last page. */
    record Page(List<Broken> items, String next) {
        public Page {
            items = List.copyOf(items);
        }
    }

    /** Broken connections with {@code brokenSince} in {@code (after, upTo]}, from {@code cursor}, at most {@code limit}. */
    Page broken(Instant after, Instant upTo, String cursor, int limit);

    /**
     * Records that {@code step} is sent for the connection's break at {@code brokenSince}, if the connection is
     * still broken since then and has had neither this step nor a later one of that break; true if it recorded it
     * (the table's stream then publishes the reminder). One conditional write: two runs never both claim a step.
     */
    boolean claim(String userId, String connectionId, Instant brokenSince, int step, Instant at);

    /**
     * The run's pass for {@code owner} until {@code leaseUntil}: the open one resumed, or a new one over
     * {@code (end of the last pass, now]} ({@code from} null when no pass ever ended); empty while another run holds
     * an unexpired lease.
     */
    Optional<ReminderPass> open(Instant now, String owner, Instant leaseUntil);

    /** Keeps the pass's progress (its step and cursor), so an interrupted run resumes there. */
    void save(ReminderPass pass);

    /** Ends the pass: the next one starts at its {@code to}; the lease is released. */
    void close(ReminderPass pass);
}
