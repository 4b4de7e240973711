package com.connectionkeeper.sweep;

import com.connectionkeeper.core.log.JsonLog;
import com.connectionkeeper.core.model.Transition;
import com.connectionkeeper.core.sweep.SweepPlanner;
import com.connectionkeeper.core.sweep.SweepQueue;
import com.connectionkeeper.core.sweep.UserSweep;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.IntSupplier;
import java.util.function.LongSupplier;

/**
 * One sweep run: takes the lease (or skips, calling nobody), then plans a chunk of users and checks them through one
 * gateway with bounded concurrency, chunk after chunk, until the run's requests or time run out or nobody is left to
 * check; waits for the checks in flight, gives the lease back and logs its summary. A user is checked whole or not at
 * all. The gateway takes its slots from the deployment's shared SnapTrade budget, behind the API's calls: that, not a
 * fixed number per run, is what paces a run.
 */
public final class SweepRun {
    /** Failure kind of a check that threw (e.g. DynamoDB unavailable): the user waits for the next run. */
    public static final String ERROR = "ERROR";
    /** The lease outlives the run's own time by this much, then a crashed run no longer blocks the next. */
    private static final Duration LEASE_SLACK = Duration.ofSeconds(30);
    /** No run holds the lease longer than Lambda's longest timeout (a local run without a Context has no limit). */
    private static final long LONGEST_RUN_MILLIS = Duration.ofMinutes(15).toMillis();
    /**
     * A wait for a slot this short (or an eighth of the margin, about half the gateway's retry budget, if less) is left
     * to the check itself: within a sub-window, well inside its budget.
     */
    private static final long SLOT_WAIT_IGNORED_MILLIS = 3_000;

    private final SweepQueue queue;
    private final SweepPlanner planner;
    private final UserSweep users;
    private final Clock clock;
    private final SweepSettings settings;

    public SweepRun(SweepQueue queue, SweepPlanner planner, UserSweep users, Clock clock, SweepSettings settings) {
        this.queue = queue;
        this.planner = planner;
        this.users = users;
        this.clock = clock;
        this.settings = settings;
    }

    /**
     * Runs the sweep once.
     *
     * @param runId           unique per run: the lease owner and the observations' id
     * @param remainingMillis time left before the Lambda timeout (Context.getRemainingTimeInMillis)
     */
    public SweepSummary run(String runId, LongSupplier remainingMillis) {
        long started = System.nanoTime();
        Instant now = clock.instant();
        long runMillis = Math.min(Math.max(0, remainingMillis.getAsLong()), LONGEST_RUN_MILLIS);
        Duration ttl = Duration.ofMillis(runMillis).plus(LEASE_SLACK);
        if (!queue.tryLease(runId, now, ttl)) {
            SweepSummary skipped = SweepSummary.skipped(runId, settings.requestsPerRun(), millisSince(started));
            skipped.log();
            return skipped;
        }
        try {
            long sentBefore = users.requestsSent();
            long rateLimitedBefore = users.rateLimitedAnswers();
            IntSupplier requestsUsed = () -> (int) (users.requestsSent() - sentBefore);
            Tally tally = new Tally(settings.suspectStreak());
            int planned = checkUntilSpent(runId, remainingMillis, requestsUsed, tally);
            Tally done = tally.snapshot();
            SweepSummary summary = new SweepSummary(runId, false, planned, done.checked, done.transitions,
                    done.failures, requestsUsed.getAsInt(), (int) (users.rateLimitedAnswers() - rateLimitedBefore),
                    settings.requestsPerRun(), millisSince(started), planned - done.checked, done.suspect);
            summary.log();
            return summary;
        } finally {
            queue.releaseLease(runId);
        }
    }

    /**
     * Plans and checks chunk after chunk — each plan read afresh, so users that broke, were flagged or became due
     * meanwhile come first — until the run's requests or time are spent, nobody is left in the pass (a run starts at
     * most one new pass: its first plan may), or SnapTrade refused our client; the shared budget paces the checks. No
     * user is planned twice in a run. Returns the users planned.
     */
    private int checkUntilSpent(String runId, LongSupplier remainingMillis, IntSupplier requestsUsed, Tally tally) {
        Set<String> attempted = new HashSet<>();
        int planned = 0;
        int started = 0;
        while (!tally.stopped() && mayStart(remainingMillis, requestsUsed.getAsInt(), started)) {
            int room = settings.requestsPerRun() - Math.max(requestsUsed.getAsInt(), started);
            List<String> plan = new ArrayList<>(planner.plan(Math.min(settings.chunk(), room), clock.instant(),
                    planned == 0));
            plan.removeIf(u -> !attempted.add(u));
            if (plan.isEmpty()) {
                break; // nobody left to check in this run (or only users it has tried already)
            }
            planned += plan.size();
            started += checkAll(plan, runId, remainingMillis, requestsUsed, tally, started);
        }
        settleBlames(tally, runId);
        return planned;
    }

    /** Checks one plan's users with bounded concurrency; returns how many it started (all in flight are waited for). */
    private int checkAll(List<String> plan, String runId, LongSupplier remainingMillis, IntSupplier requestsUsed,
                         Tally tally, int startedBefore) {
        int concurrency = settings.concurrency();
        Semaphore slots = new Semaphore(concurrency);
        int started = 0;
        ExecutorService pool = Executors.newFixedThreadPool(concurrency, SweepRun::daemon);
        try {
            for (String userId : plan) {
                slots.acquire();
                if (tally.clientRejected()) {
                    JsonLog.error("sweep_client_rejected", "runId", runId, "hint",
                            "SnapTrade refused our client: check SNAPTRADE_CLIENT_ID, SNAPTRADE_CONSUMER_KEY, the clock");
                    slots.release();
                    break;
                }
                if (tally.suspect()) {
                    JsonLog.error("sweep_client_suspect", "runId", runId, "usersBlamedInARow",
                            settings.suspectStreak(), "hint", "SnapTrade rejected the secret of (or did not know) "
                                    + settings.suspectStreak() + " users in a row: check SNAPTRADE_CLIENT_ID, "
                                    + "SNAPTRADE_CONSUMER_KEY and SNAPTRADE_BASE_URL; nobody was flagged");
                    slots.release();
                    break;
                }
                if (!mayStart(remainingMillis, requestsUsed.getAsInt(), startedBefore + started)
                        || !awaitSlot(remainingMillis)) {
                    slots.release();
                    break;
                }
                started++;
                pool.execute(() -> {
                    try {
                        settle(tally.add(users.check(userId, runId)), true, runId);
                    } catch (RuntimeException e) {
                        JsonLog.error("sweep_user_error", "runId", runId, "userId", userId,
                                "error", e.getClass().getSimpleName());
                        tally.error();
                    } finally {
                        slots.release();
                    }
                });
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            pool.shutdown();
            awaitInFlight(pool, remainingMillis);
        }
        return started;
    }

    /**
     * The users blamed since the last verification: believed (flagged) unless the streak made the client suspect,
     * then retried later like a transient failure. Each user either way; one failure does not stop the others.
     */
    private void settleBlames(Tally tally, String runId) {
        // believed only when SnapTrade accepted our client for someone in this run: blames alone prove nothing
        settle(tally.takeBlamed(), !tally.suspect() && tally.verifiedAny(), runId);
    }

    private void settle(List<UserSweep.Outcome> blamedUsers, boolean believe, String runId) {
        for (UserSweep.Outcome blamed : blamedUsers) {
            try {
                if (believe) {
                    users.confirm(blamed);
                } else {
                    users.doubt(blamed);
                }
            } catch (RuntimeException e) {
                JsonLog.error("sweep_user_error", "runId", runId, "userId", blamed.userId(),
                        "error", e.getClass().getSimpleName());
            }
        }
    }

    /**
     * Time left above the margin, and requests left for one more check: every check started costs at least one
     * request, and retries count once the gateway has sent them, so the larger of the two is what is spent already.
     */
    private boolean mayStart(LongSupplier remainingMillis, int requestsSent, int checksStarted) {
        return remainingMillis.getAsLong() >= settings.safetyMargin().toMillis()
                && Math.max(requestsSent, checksStarted) < settings.requestsPerRun();
    }

    /**
     * Waits, before starting a user, while SnapTrade has paused us (a 429) or the shared budget has nothing now: a
     * check started then would wait for its slot past its retry budget and fail without a request, and the user would
     * count as a transient failure. False when the wait would reach into the run's margin: start nobody more.
     */
    private boolean awaitSlot(LongSupplier remainingMillis) throws InterruptedException {
        for (int i = 0; i < 1000; i++) {
            long wait = users.nextSlotIn().toMillis();
            if (wait <= Math.min(SLOT_WAIT_IGNORED_MILLIS, settings.safetyMargin().toMillis() / 8)) {
                return true;
            }
            if (remainingMillis.getAsLong() - wait < settings.safetyMargin().toMillis()) {
                return false;
            }
            Thread.sleep(wait);
        }
        return true;
    }

    /** Waits for the checks in flight, at most the remaining time (Lambda ends the run after that anyway). */
    private static void awaitInFlight(ExecutorService pool, LongSupplier remainingMillis) {
        try {
            if (!pool.awaitTermination(Math.max(1, remainingMillis.getAsLong()), TimeUnit.MILLISECONDS)) {
                pool.shutdownNow();
            }
        } catch (InterruptedException e) {
            pool.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }

    private static long millisSince(long nanoTime) {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - nanoTime);
    }

    private static Thread daemon(Runnable task) {
        Thread thread = new Thread(task, "sweep-check");
        thread.setDaemon(true);
        return thread;
    }

    /**
     * The counts of the checks that finished, and the users SnapTrade blamed since the last verification (in
     * completion order); thread-safe.
     */
    private static final class Tally {
        private final Map<Transition, Integer> transitions = new EnumMap<>(Transition.class);
        private final Map<String, Integer> failures = new TreeMap<>();
        private final int suspectStreak;
        private List<UserSweep.Outcome> blamed = new ArrayList<>();
        private int checked;
        private boolean suspect;
        private boolean verifiedAny;

        Tally(int suspectStreak) {
            this.suspectStreak = suspectStreak;
        }

        /**
         * Counts the outcome. Returns the blamed users to flag now: those held since the last verification, once this
         * outcome verifies a user (SnapTrade accepts our client, so its blames are believable).
         */
        synchronized List<UserSweep.Outcome> add(UserSweep.Outcome outcome) {
            checked++;
            outcome.transitions().forEach((kind, n) -> transitions.merge(kind, n, Integer::sum));
            outcome.failure().ifPresent(f -> failures.merge(f.name(), 1, Integer::sum));
            if (outcome.blamesUser() && outcome.recheck()) {
                // flagged before and rejected again: consistent with its flag, no evidence against our client
                return List.of(outcome);
            }
            if (outcome.verified()) {
                verifiedAny = true;
            }
            if (outcome.blamesUser()) {
                blamed.add(outcome);
                if (blamed.size() >= suspectStreak) {
                    suspect = true;
                }
            } else if (outcome.verified() && !suspect) {
                return takeBlamed();
            }
            return List.of();
        }

        synchronized List<UserSweep.Outcome> takeBlamed() {
            List<UserSweep.Outcome> taken = blamed;
            blamed = new ArrayList<>();
            return taken;
        }

        /** Some user was verified in this run: SnapTrade accepted our client. */
        synchronized boolean verifiedAny() {
            return verifiedAny;
        }

        /** As many users blamed in a row as the streak allows: our client is more likely wrong than all of them. */
        synchronized boolean suspect() {
            return suspect;
        }

        /** SnapTrade refused our client on some check: no further user can succeed in this run. */
        /** The run starts nobody more: our client was refused, or is suspect. */
        synchronized boolean stopped() {
            return suspect || clientRejected();
        }

        synchronized boolean clientRejected() {
            return failures.containsKey(UserSweep.Failure.CLIENT_REJECTED.name());
        }

        synchronized void error() {
            checked++;
            failures.merge(ERROR, 1, Integer::sum);
        }

        synchronized Tally snapshot() {
            Tally copy = new Tally(suspectStreak);
            copy.transitions.putAll(transitions);
            copy.failures.putAll(failures);
            copy.checked = checked;
            copy.suspect = suspect;
            copy.verifiedAny = verifiedAny;
            return copy;
        }
    }
}
