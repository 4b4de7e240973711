package com.connectionkeeper.core.reminders;

import com.connectionkeeper.core.model.Watermark;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * The scheduled reminder run: for each step of the cadence, the broken connections whose step fell due since the
 * last pass — found by range on the status index, never a scan — and one conditional claim each. The claim's write
 * reaches the table's stream, where the lifecycle function publishes {@code Connection Reconnect Reminder}. Paged
 * and resumable: progress is saved after every page, a run that runs out of time leaves the pass open for the next.
 */
public final class ReminderRun {
    private final ReminderStore store;
    private final ReminderCadence cadence;
    private final Clock clock;
    private final int pageSize;
    private final Duration lease;

    /** What a run did. */
    public record Summary(boolean ran, boolean finished, int claimed, int candidates, int pages) {
        static Summary skipped() {
            return new Summary(false, false, 0, 0, 0);
        }
    }

    public ReminderRun(ReminderStore store, ReminderCadence cadence, Clock clock, int pageSize, Duration lease) {
        if (pageSize < 1) {
            throw new IllegalArgumentException("page size must be positive");
        }
        this.store = store;
        this.cadence = cadence;
        this.clock = clock;
        this.pageSize = pageSize;
        this.lease = lease;
    }

    /** Runs until the pass is done or {@code deadline} passes (then the pass stays open, with its progress). */
    public Summary run(String owner, Instant deadline) {
        Instant now = clock.instant();
        Optional<ReminderPass> opened = store.open(now, owner, now.plus(lease));
        if (opened.isEmpty()) {
            return Summary.skipped();
        }
        ReminderPass pass = opened.get();
        int claimed = 0;
        int candidates = 0;
        int pages = 0;
        int step = pass.step() == 0 ? cadence.maxSteps() : pass.step();
        String cursor = pass.step() == 0 ? null : pass.cursor();
        for (; step >= 1; step--, cursor = null) {
            Duration offset = cadence.offset(step);
            Instant after = pass.from() == null ? Watermark.MIN_TIME : pass.from().minus(offset);
            Instant upTo = pass.to().minus(offset);
            if (!upTo.isAfter(after)) {
                continue;
            }
            do {
                if (!clock.instant().isBefore(deadline)) {
                    store.save(pass.at(step, cursor));
                    return new Summary(true, false, claimed, candidates, pages);
                }
                ReminderStore.Page page = store.broken(after, upTo, cursor, pageSize);
                pages++;
                for (ReminderStore.Broken b : page.items()) {
                    candidates++;
                    if (store.claim(b.userId(), b.connectionId(), b.brokenSince(), step, now)) {
                        claimed++;
                    }
                }
                cursor = page.next();
                if (cursor != null) {
                    store.save(pass.at(step, cursor));
                }
            } while (cursor != null);
        }
        store.close(pass);
        return new Summary(true, true, claimed, candidates, pages);
    }
}
