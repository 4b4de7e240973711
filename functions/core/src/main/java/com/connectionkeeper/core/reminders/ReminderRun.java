package com.connectionkeeper.core.reminders;

import com.connectionkeeper.core.model.Watermark;
import java.time.Clock;
import java.time.Instant;

/**
 * The scheduled reminder run: the broken connections whose next step may be due — read from a sparse due-time index
 * page by page, never a scan — each either gets the latest step now due (one conditional claim that also moves its
 * due time to the next step) or, not due yet or already sent, its due time moved on. A connection that broke long
 * before it was recorded (a late webhook, the sweep finding it broken for days) gets the latest step due at once.
 * Every connection read leaves the range the run reads, so a run that stops at its deadline needs no saved place:
 * the next one reads what is left. The claim's write reaches the table's stream, where the lifecycle function
 * publishes {@code Connection Reconnect Reminder}.
 */
public final class ReminderRun {
    /** The due time of a connection whose reminders are all sent: beyond every run, yet in the index. */
    public static final Instant NEVER = Watermark.MAX_TIME;
    private final ReminderStore store;
    private final ReminderCadence cadence;
    private final Clock clock;
    private final int pageSize;

    /** What a run did: whether it read everything due, steps claimed, connections read, pages read. */
    public record Summary(boolean finished, int claimed, int candidates, int pages) {
    }

    public ReminderRun(ReminderStore store, ReminderCadence cadence, Clock clock, int pageSize) {
        if (pageSize < 1) {
            throw new IllegalArgumentException("page size must be positive");
        }
        this.store = store;
        this.cadence = cadence;
        this.clock = clock;
        this.pageSize = pageSize;
    }

    /** Runs until nothing due is left or {@code deadline} passes. */
    public Summary run(Instant deadline) {
        Instant now = clock.instant();
        int claimed = 0;
        int candidates = 0;
        int pages = 0;
        String cursor = null;
        do {
            if (!clock.instant().isBefore(deadline)) {
                return new Summary(false, claimed, candidates, pages);
            }
            ReminderStore.Page page = store.due(now, cursor, pageSize);
            pages++;
            for (ReminderStore.Due d : page.items()) {
                candidates++;
                int due = cadence.dueStep(d.brokenSince(), now);
                if (due > d.step()) {
                    // recorded at the write's own time: a link issued earlier in this run counts for this reminder
                    // only, not again for the next
                    if (store.claim(d.userId(), d.connectionId(), d.brokenSince(), due, clock.instant(),
                            next(d, due))) {
                        claimed++;
                    }
                } else {
                    store.reschedule(d.userId(), d.connectionId(), d.brokenSince(), next(d, Math.max(due, d.step())));
                }
            }
            cursor = page.next();
        } while (cursor != null);
        return new Summary(true, claimed, candidates, pages);
    }

    /** When the step after {@code step} is due; {@link #NEVER} after the last. */
    private Instant next(ReminderStore.Due d, int step) {
        return step >= cadence.maxSteps() ? NEVER : cadence.dueAt(d.brokenSince(), step + 1);
    }
}
