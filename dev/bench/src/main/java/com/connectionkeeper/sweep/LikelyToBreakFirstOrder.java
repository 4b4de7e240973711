package com.connectionkeeper.sweep;

import com.connectionkeeper.core.sweep.CheckSchedule;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.PriorityQueue;

/**
 * The shared-budget sweep order of {@link CheckSchedule}: each run first takes, least recently checked first, every
 * user last checked at or before {@link CheckSchedule#deadlineCutoff} of the next run (the deadline guard), then
 * spends the rest of its capacity earliest {@link CheckSchedule#dueAt} first — due or not yet, the whole budget all
 * the time — never taking a user checked less than {@code minInterval} ago. A user's due time is computed when it is
 * checked, from the schedule in use then ({@link #use}: the model learned for the run) and what the check left known.
 */
final class LikelyToBreakFirstOrder implements SweepOrder {
    private final long[] lastCheck;
    /** The run each user was last taken in (no user twice in a run). */
    private final int[] takenInRun;
    /** {user, checked at}, in check order: least recently checked at the head; stale once the user is checked again. */
    private final ArrayDeque<long[]> leastRecent = new ArrayDeque<>();
    /** {due, checked at, user}, earliest due first (ties: least recently checked); stale as above. */
    private final PriorityQueue<long[]> byDue = new PriorityQueue<>(LikelyToBreakFirstOrder::compare);
    /** Entries taken off {@link #byDue} while their user was checked less than minInterval ago, oldest check first. */
    private final PriorityQueue<long[]> cooling = new PriorityQueue<>(Comparator.comparingLong(e -> e[1]));
    private CheckSchedule schedule;
    private int run;
    private long guardChecks;

    /** An order over {@code users} users, none checked yet: report each one's last check to {@link #checked}. */
    LikelyToBreakFirstOrder(int users, CheckSchedule schedule) {
        this.lastCheck = new long[users];
        Arrays.fill(lastCheck, Long.MIN_VALUE);
        this.takenInRun = new int[users];
        Arrays.fill(takenInRun, -1);
        use(schedule);
    }

    /** The schedule (the model learned for the coming run) that due times are computed with from now on. */
    void use(CheckSchedule newSchedule) {
        this.schedule = Objects.requireNonNull(newSchedule, "schedule");
    }

    /** Users the deadline guard took, all runs together. */
    long guardChecks() {
        return guardChecks;
    }

    @Override
    public int[] next(int capacity, long now, long nextRun) {
        run++;
        long cutoff = schedule.deadlineCutoff(Instant.ofEpochSecond(nextRun)).getEpochSecond();
        long minInterval = schedule.settings().minInterval().getSeconds();
        int[] taken = new int[capacity];
        int n = 0;
        fresh();
        for (long[] e : leastRecent) { // entries stand until the check replaces them: iterate, do not poll
            if (n == capacity || e[1] > cutoff) {
                break;
            }
            int user = (int) e[0];
            if (lastCheck[user] == e[1] && takenInRun[user] != run) {
                takenInRun[user] = run;
                taken[n++] = user;
                guardChecks++;
            }
        }
        while (!cooling.isEmpty() && now - cooling.peek()[1] >= minInterval) {
            long[] e = cooling.poll();
            if (lastCheck[(int) e[2]] == e[1]) {
                byDue.add(e);
            }
        }
        List<long[]> aside = new ArrayList<>();
        while (n < capacity && !byDue.isEmpty()) {
            long[] e = byDue.poll();
            int user = (int) e[2];
            if (lastCheck[user] != e[1]) {
                continue; // stale: checked again since
            }
            if (now - lastCheck[user] < minInterval) {
                cooling.add(e);
            } else {
                aside.add(e); // its entry stands until the check replaces it
                if (takenInRun[user] != run) {
                    takenInRun[user] = run;
                    taken[n++] = user;
                }
            }
        }
        byDue.addAll(aside);
        return Arrays.copyOf(taken, n);
    }

    /** Drops the stale entries at the head of the least-recent line. */
    private void fresh() {
        while (!leastRecent.isEmpty() && lastCheck[(int) leastRecent.peek()[0]] != leastRecent.peek()[1]) {
            leastRecent.poll();
        }
    }

    /** Earliest due first; then least recently checked; then by user. */
    private static int compare(long[] a, long[] b) {
        if (a[0] != b[0]) {
            return Long.compare(a[0], b[0]);
        }
        return a[1] != b[1] ? Long.compare(a[1], b[1]) : Long.compare(a[2], b[2]);
    }

    @Override
    public void checked(int user, long at, List<CheckSchedule.Connection> seen) {
        lastCheck[user] = at;
        leastRecent.add(new long[] {user, at});
        byDue.add(new long[] {schedule.dueAt(Instant.ofEpochSecond(at), seen).getEpochSecond(), at, user});
    }
}
