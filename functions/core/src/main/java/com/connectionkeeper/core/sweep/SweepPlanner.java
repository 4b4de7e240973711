package com.connectionkeeper.core.sweep;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Chooses whom one sweep run checks. The sweep works in passes: every user is verified exactly once per pass, so
 * with N users and C checks per run a pass takes ceil(N / C) runs and no user starves. Within a pass the order is:
 * users with a BROKEN connection (oldest break first, to catch fixes), users with a connection flagged for
 * verification, users whose retry after a transient failure is due (a failed check counts as the user's check in
 * the pass, so one failing user never holds a pass open; its retries follow its own backoff), users never checked,
 * then the least recently checked. Users out of the sweep — no secret held, or one SnapTrade rejected (its recheck
 * comes through the retry list, on its own backoff), or deleted — take no place in a plan. Everything is read page by
 * page from the table's indexes; nothing proportional to the number of users is held.
 *
 * <p>Once there is a lifetime history ({@link ScheduleSource}), the users after the priority lists and the retries
 * come likely to break first instead of least recently checked: the deadline guard (never checked, or about to go
 * unchecked for the maximum interval), then by due time ({@link CheckSchedule}).
 */
public final class SweepPlanner {
    /** How far ahead the deadline guard looks: users that would pass their maximum interval by then come first. */
    static final Duration GUARD_LOOKAHEAD = Duration.ofMinutes(5);
    /** Users just checked the due order may pass over, per user planned, before the plan stops looking. */
    private static final int SKIPS_PER_USER = 4;

    private final SweepQueue queue;
    private final ScheduleSource schedules;

    /** Least recently checked order only (no lifetime history is ever read). */
    public SweepPlanner(SweepQueue queue) {
        this(queue, null);
    }

    /**
     * Likely to break first once {@code schedules} has a lifetime history ({@link ScheduleSource#modelled()}); until
     * then, and with null, least recently checked order.
     */
    public SweepPlanner(SweepQueue queue, ScheduleSource schedules) {
        this.queue = queue;
        this.schedules = schedules;
    }

    /** At most {@code capacity} distinct users, in the order to check them. */
    public List<String> plan(int capacity, Instant now) {
        return plan(capacity, now, true);
    }

    /**
     * As {@link #plan(int, Instant)}; with {@code mayStartPass} false, a pass in which everyone has been checked is not
     * followed by a new one (a run's later chunks: a run spans at most the rest of one pass, so a small deployment's
     * users are not checked over and over within one run). Empty when there is nothing left.
     */
    public List<String> plan(int capacity, Instant now, boolean mayStartPass) {
        Optional<SweepQueue.Pass> inProgress = mayStartPass ? Optional.of(currentPass(now)) : passInProgress();
        if (inProgress.isEmpty()) {
            return List.of();
        }
        SweepQueue.Pass current = inProgress.get();
        Instant pass = current.startedAt();
        Set<String> chosen = new LinkedHashSet<>();
        String brokenAfter = takePriority(queue.usersWithBrokenConnections(current.brokenAfter()),
                current.brokenAfter(), pass, capacity, chosen);
        String flaggedAfter = takePriority(queue.usersWithFlaggedConnections(current.flaggedAfter()),
                current.flaggedAfter(), pass, capacity, chosen);
        if (!Objects.equals(brokenAfter, current.brokenAfter()) || !Objects.equals(flaggedAfter,
                current.flaggedAfter())) {
            queue.advancePass(new SweepQueue.Pass(pass, brokenAfter, flaggedAfter));
        }
        takeRetries(queue.usersDueForRetry(now), capacity, chosen);
        if (schedules != null && schedules.modelled()) {
            takeLikelyFirst(capacity, now, chosen);
            return new ArrayList<>(chosen);
        }
        try (Stream<SweepQueue.SweepEntry> order = queue.usersInSweepOrder()) {
            Iterator<SweepQueue.SweepEntry> it = order.iterator();
            while (chosen.size() < capacity && it.hasNext()) {
                SweepQueue.SweepEntry e = it.next();
                if (!dueIn(e.lastChecked(), pass)) {
                    break; // the order is by last check: everyone after this one is done too
                }
                chosen.add(e.userId());
            }
        }
        return new ArrayList<>(chosen);
    }

    /**
     * Likely to break first ({@link CheckSchedule}): the deadline guard — users never checked, and users whose last
     * check is about to be {@code maxInterval} old, least recently checked first — then users by due time, earliest
     * first, passing over those checked less than {@code minInterval} ago (due later than now, they are taken only
     * when the budget reaches that far).
     */
    private void takeLikelyFirst(int capacity, Instant now, Set<String> chosen) {
        CheckSchedule.Settings settings = schedules.settings();
        Instant cutoff = now.plus(GUARD_LOOKAHEAD).minus(settings.maxInterval());
        try (Stream<SweepQueue.SweepEntry> order = queue.usersInSweepOrder()) {
            Iterator<SweepQueue.SweepEntry> it = order.iterator();
            while (chosen.size() < capacity && it.hasNext()) {
                SweepQueue.SweepEntry e = it.next();
                if (e.lastChecked() != null && e.lastChecked().isAfter(cutoff)) {
                    break; // in last-check order: everyone after this one is further from its deadline
                }
                chosen.add(e.userId());
            }
        }
        Instant recent = now.minus(settings.minInterval());
        int skipsLeft = SKIPS_PER_USER * capacity;
        try (Stream<SweepQueue.SweepEntry> order = queue.usersInDueOrder()) {
            Iterator<SweepQueue.SweepEntry> it = order.iterator();
            while (chosen.size() < capacity && skipsLeft > 0 && it.hasNext()) {
                SweepQueue.SweepEntry e = it.next();
                if (e.lastChecked() != null && e.lastChecked().isAfter(recent)) {
                    skipsLeft--;
                } else {
                    chosen.add(e.userId());
                }
            }
        }
    }

    /** The pass in progress, unless every user has been checked since it began (or none began yet). */
    private Optional<SweepQueue.Pass> passInProgress() {
        Optional<SweepQueue.Pass> pass = queue.pass();
        if (pass.isEmpty()) {
            return pass;
        }
        try (Stream<SweepQueue.SweepEntry> order = queue.usersInSweepOrder()) {
            boolean someoneDue = order.findFirst().map(e -> dueIn(e.lastChecked(), pass.get().startedAt()))
                    .orElse(false);
            return someoneDue ? pass : Optional.empty();
        }
    }

    /** The pass in progress, or a new one when every user has been checked since the last began. */
    private SweepQueue.Pass currentPass(Instant now) {
        return passInProgress().orElseGet(() -> {
            queue.startPass(now);
            return new SweepQueue.Pass(now, null, null);
        });
    }

    /**
     * Takes users from a priority list, read from where the pass left it, skipping those checked in this pass.
     * Returns the position to resume from: after the entries before the first user taken in this run — those were
     * checked in the pass already — so a user taken but left unchecked (the run ran out of time or requests) is
     * taken again by the next run; the next run reads at most this run's entries again.
     */
    private String takePriority(Stream<SweepQueue.Ranked> users, String after, Instant pass, int capacity,
                                Set<String> chosen) {
        String settled = after;
        boolean taken = false;
        try (users) {
            Iterator<SweepQueue.Ranked> it = users.iterator();
            while (chosen.size() < capacity && it.hasNext()) {
                SweepQueue.Ranked next = it.next();
                if (!chosen.contains(next.userId()) && due(queue.standing(next.userId()), pass)) {
                    chosen.add(next.userId());
                    taken = true;
                } else if (!taken && !chosen.contains(next.userId())) {
                    settled = next.position();
                }
            }
        }
        return settled;
    }

    /** Users whose retry time has come, whether or not they were checked in this pass. */
    private static void takeRetries(Stream<String> users, int capacity, Set<String> chosen) {
        try (users) {
            Iterator<String> it = users.iterator();
            while (chosen.size() < capacity && it.hasNext()) {
                chosen.add(it.next());
            }
        }
    }

    /** In the sweep (a secret held, not rejected, not deleted) and not checked in this pass. */
    private static boolean due(Optional<SweepQueue.Standing> standing, Instant pass) {
        return standing.map(s -> s.inSweep() && dueIn(s.lastChecked(), pass)).orElse(false);
    }

    private static boolean dueIn(Instant lastChecked, Instant pass) {
        return lastChecked == null || lastChecked.isBefore(pass);
    }
}
