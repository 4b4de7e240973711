package com.connectionkeeper.reminders;

import com.connectionkeeper.core.reminders.ReminderCadence;
import com.connectionkeeper.core.reminders.ReminderRun;
import com.connectionkeeper.core.reminders.ReminderStore;
import com.connectionkeeper.sweep.HeapWatch;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * One reminder run over N broken connections in a JVM of its own (started by {@link ReminderBench}): a simulated
 * store that makes each index page on demand from arithmetic (connection i broke at {@code base + i} ms), so the
 * store itself holds nothing that grows with N and the heap measured is the run's. Prints one result line.
 */
public final class ReminderHeapProbe {
    private ReminderHeapProbe() {
    }

    /**
     * Broken connections i = 0 … n-1, broken at base + i ms and due from then; a claim always holds and moves the
     * connection out of the due range (every connection read once), so the store keeps one counter, not N states.
     */
    static final class SimulatedStore implements ReminderStore {
        private final int n;
        private final Instant base;
        long itemsRead;
        long pages;
        long claims;

        SimulatedStore(int n, Instant base) {
            this.n = n;
            this.base = base;
        }

        @Override
        public Page due(Instant upTo, String cursor, int limit) {
            pages++;
            long first = cursor == null ? 0 : Long.parseLong(cursor);
            long last = Math.min(n - 1L, Duration.between(base, upTo).toMillis());
            List<Due> items = new ArrayList<>(limit);
            long i = first;
            for (; i <= last && items.size() < limit; i++) {
                items.add(new Due("user-" + i, "conn-" + i, "brk-" + (i % 50), base.plusMillis(i), 0,
                        base.plusMillis(i)));
            }
            itemsRead += items.size();
            return new Page(items, i <= last ? Long.toString(i) : null);
        }

        @Override
        public boolean claim(String userId, String connectionId, Instant brokenSince, int step, Instant at,
                             Instant nextDueAt) {
            claims++;
            return true;
        }

        @Override
        public void reschedule(String userId, String connectionId, Instant brokenSince, Instant nextDueAt) {
        }
    }

    public static void main(String[] args) throws Exception {
        int n = Integer.parseInt(args[0]);
        Instant base = Instant.parse("2026-03-01T00:00:00Z");
        // every connection's first step (1 day) is due, no later step is
        Instant now = base.plus(Duration.ofDays(1)).plusMillis(n);
        SimulatedStore store = new SimulatedStore(n, base);
        ReminderRun run = new ReminderRun(store, ReminderCadence.parse("1d,3d,7d,14d,+14d", 8),
                Clock.fixed(now, ZoneOffset.UTC), 100);
        HeapWatch watch = HeapWatch.install();
        watch.open();
        long started = System.nanoTime();
        ReminderRun.Summary s = run.run(Instant.MAX);
        long ms = (System.nanoTime() - started) / 1_000_000;
        long afterFull = watch.forceGc();
        watch.close();
        System.out.printf(Locale.ROOT, "RESULT n=%d claimed=%d itemsRead=%d pages=%d ms=%d gcEvents=%d peakPostGc=%d"
                        + " afterFullGc=%d finished=%b%n", n, s.claimed(), store.itemsRead, store.pages, ms,
                watch.events(), watch.maxAfterAny(), afterFull, s.finished());
    }
}
