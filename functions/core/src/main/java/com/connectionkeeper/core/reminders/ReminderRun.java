package com.connectionkeeper.core.reminders;

import com.connectionkeeper.core.log.JsonLog;
import com.connectionkeeper.core.model.Watermark;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

/**
 * The scheduled reminder run: the broken connections whose next step may be due — read from a sparse due-time index
 * page by page, never a scan — each either gets the latest step now due (one conditional claim that also moves its
 * due time to the next step) or, not due yet or already sent, its due time moved on. A connection that broke long
 * before it was recorded (a late webhook, the sweep finding it broken for days) gets the latest step due at once.
 * Every connection read leaves the range the run reads, so a run that stops at its deadline needs no saved place:
 * the next one reads what is left. The claim's write reaches the table's stream, where the lifecycle function
 * publishes {@code Connection Reconnect Reminder}. While a brokerage's reminders are {@linkplain ReminderHolds held}
 * (a suspected incident there), a step that falls due for one of its connections is not claimed: its due time moves
 * to when the hold is looked at again ({@link #HOLD_RECHECK} at most), and the step is claimed then if it is over.
 */
public final class ReminderRun {
    /** The due time of a connection whose reminders are all sent: beyond every run, yet in the index. */
    public static final Instant NEVER = Watermark.MAX_TIME;
    /** How long a held reminder waits before its brokerage's hold is looked at again, at most. */
    public static final Duration HOLD_RECHECK = Duration.ofHours(1);
    private final ReminderStore store;
    private final ReminderCadence cadence;
    private final Clock clock;
    private final int pageSize;
    private final ReminderHolds holds;

    /**
     * What a run did: whether it read everything due, steps claimed, steps held for an incident, connections read,
     * pages read.
     */
    public record Summary(boolean finished, int claimed, int held, int candidates, int pages) {
    }

    /** A run that holds no brokerage's reminders. */
    public ReminderRun(ReminderStore store, ReminderCadence cadence, Clock clock, int pageSize) {
        this(store, cadence, clock, pageSize, ReminderHolds.NONE);
    }

    public ReminderRun(ReminderStore store, ReminderCadence cadence, Clock clock, int pageSize,
                       ReminderHolds holds) {
        if (pageSize < 1) {
            throw new IllegalArgumentException("page size must be positive");
        }
        this.store = store;
        this.cadence = cadence;
        this.clock = clock;
        this.pageSize = pageSize;
        this.holds = holds;
    }

    /** Runs until nothing due is left or {@code deadline} passes. */
    public Summary run(Instant deadline) {
        Instant now = clock.instant();
        Map<String, Instant> held;
        try {
            held = holds.held(now);
        } catch (RuntimeException e) {
            // reminders without holds rather than none: an incident's users may hear of their break once more
            JsonLog.error("reminder_holds_unavailable", "error", e.getClass().getSimpleName(), "message",
                    e.getMessage());
            held = Map.of();
        }
        int claimed = 0;
        int heldSteps = 0;
        int candidates = 0;
        int pages = 0;
        String cursor = null;
        do {
            if (!clock.instant().isBefore(deadline)) {
                return new Summary(false, claimed, heldSteps, candidates, pages);
            }
            ReminderStore.Page page = store.due(now, cursor, pageSize);
            pages++;
            for (ReminderStore.Due d : page.items()) {
                candidates++;
                int due = cadence.dueStep(d.brokenSince(), now);
                Instant holdUntil = d.brokerageId() == null ? null : held.get(d.brokerageId());
                if (due > d.step() && holdUntil != null) {
                    Instant recheck = now.plus(HOLD_RECHECK);
                    store.reschedule(d.userId(), d.connectionId(), d.brokenSince(),
                            holdUntil.isAfter(now) && holdUntil.isBefore(recheck) ? holdUntil : recheck);
                    heldSteps++;
                } else if (due > d.step()) {
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
        return new Summary(true, claimed, heldSteps, candidates, pages);
    }

    /** When the step after {@code step} is due; {@link #NEVER} after the last. */
    private Instant next(ReminderStore.Due d, int step) {
        return step >= cadence.maxSteps() ? NEVER : cadence.dueAt(d.brokenSince(), step + 1);
    }
}
