package com.connectionkeeper.sweep;

import com.connectionkeeper.core.log.Emf;
import com.connectionkeeper.core.log.JsonLog;
import com.connectionkeeper.core.log.MetricNames;
import com.connectionkeeper.core.sweep.ConnectionCensus;
import com.connectionkeeper.core.sweep.ConnectionCensus.Census;
import com.connectionkeeper.core.sweep.ConnectionCensus.Count;
import com.connectionkeeper.core.sweep.SweepQueue;
import com.connectionkeeper.core.sweep.UserSweep;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a sweep run tells CloudWatch, in Embedded Metric Format log lines (docs/operations.md → "Metrics"): its progress
 * ({@code sweep_progress}: users checked, SnapTrade requests, 429s and refusals of our client, the pass's age against
 * the age a pass should reach at the configured pace) and the census of connections ({@code connection_census}: users,
 * connections and broken ones, in all and by brokerage — the gauges). A census that cannot be taken is logged as an
 * error and no gauge is written: a partial count would look like a recovery.
 */
final class SweepMetrics {
    static final String USERS_CHECKED = MetricNames.SWEEP_USERS_CHECKED;
    static final String REQUESTS = MetricNames.SNAPTRADE_REQUESTS;
    static final String RATE_LIMITED = MetricNames.SNAPTRADE_RATE_LIMITED;
    /** Checks SnapTrade refused because of our client (keys, clock), and runs stopped as client-suspect. */
    static final String CLIENT_REJECTED = MetricNames.SNAPTRADE_CLIENT_REJECTED;
    static final String PASS_AGE = MetricNames.SWEEP_PASS_AGE_MINUTES;
    static final String PASS_EXPECTED = MetricNames.SWEEP_PASS_EXPECTED_MINUTES;
    static final String USERS = MetricNames.USERS;
    static final String CONNECTIONS = MetricNames.CONNECTIONS;
    static final String BROKEN = MetricNames.BROKEN_CONNECTIONS;
    static final String BROKEN_PERCENT = MetricNames.BROKEN_CONNECTIONS_PERCENT;
    /** Brokerages with a gauge line of their own per run, most connections first (CloudWatch bills per metric). */
    static final int MAX_BROKERAGES = 100;
    /** Time the census may need before the function's timeout (a page of the index per 1,000 connections). */
    static final long CENSUS_MIN_REMAINING_MILLIS = 30_000;

    private static final Pattern RATE = Pattern.compile(
            "rate\\(\\s*(\\d{1,6})\\s+(minute|minutes|hour|hours|day|days)\\s*\\)");

    private final ConnectionCensus census;
    private final SweepQueue queue;
    private final Clock clock;
    private final int requestsPerRun;
    private final double budgetPerMinute;
    private final BooleanSupplier modelled;
    private final Duration maxInterval;
    private final Optional<Duration> runInterval;
    private final Consumer<String> out;
    private final String namespace;
    private final Emf.Declaration total;
    private final Emf.Declaration byBrokerage;

    /**
     * @param runInterval how often a run starts (from the schedule; empty for a cron schedule, whose pace is not one
     *                    number: then no expected pass age is reported)
     * @param out         receives each line (stdout in Lambda)
     */
    SweepMetrics(ConnectionCensus census, SweepQueue queue, Clock clock, String namespace, int requestsPerRun,
                 Optional<Duration> runInterval, Consumer<String> out) {
        this(census, queue, clock, namespace, requestsPerRun, runInterval, Double.POSITIVE_INFINITY, () -> false,
                Duration.ZERO, out);
    }

    /**
     * @param budgetPerMinute what the shared SnapTrade budget leaves the sweep per minute at most (the pace is the
     *                        smaller of this and the runs' own caps)
     * @param modelled        true while the sweep orders users likely to break first: a pass then takes up to
     *                        {@code maxInterval} (low-risk users are checked that rarely), and that is the age expected
     */
    SweepMetrics(ConnectionCensus census, SweepQueue queue, Clock clock, String namespace, int requestsPerRun,
                 Optional<Duration> runInterval, double budgetPerMinute, BooleanSupplier modelled,
                 Duration maxInterval, Consumer<String> out) {
        this.budgetPerMinute = budgetPerMinute;
        this.modelled = modelled;
        this.maxInterval = maxInterval;
        this.census = census;
        this.queue = queue;
        this.clock = clock;
        this.namespace = namespace;
        this.requestsPerRun = requestsPerRun;
        this.runInterval = runInterval;
        this.out = out;
        this.total = new Emf.Declaration(namespace, MetricNames.IN_ALL, List.of(new Emf.Metric(USERS, "Count"),
                new Emf.Metric(CONNECTIONS, "Count"), new Emf.Metric(BROKEN, "Count"),
                new Emf.Metric(BROKEN_PERCENT, "Percent")));
        this.byBrokerage = new Emf.Declaration(namespace, MetricNames.BY_BROKERAGE,
                List.of(new Emf.Metric(CONNECTIONS, "Count"), new Emf.Metric(BROKEN, "Count")));
    }

    /**
     * The lines of a run that did its work (a skipped run reports nothing: the run holding the lease does). Never
     * throws: the run is done, and a failed invocation would make Lambda run it again. Each read it needs (the pass,
     * the users, the census) that fails is logged and what it feeds is left out; the census is taken only with
     * {@link #CENSUS_MIN_REMAINING_MILLIS} left before the function's timeout.
     */
    void report(SweepSummary run, LongSupplier remainingMillis) {
        if (run.skipped()) {
            return;
        }
        try {
            Optional<Integer> users = read(run.runId(), "users", census::users); // one count serves both lines
            progress(run, users);
            if (remainingMillis.getAsLong() < CENSUS_MIN_REMAINING_MILLIS) {
                out.accept(JsonLog.line("WARN", "connection_census_skipped", "runId", run.runId(), "reason",
                        "less than " + CENSUS_MIN_REMAINING_MILLIS / 1000 + " s left before the timeout"));
                return;
            }
            Optional<Map<String, Count>> connections = read(run.runId(), "connections",
                    census::connectionsByBrokerage);
            if (connections.isPresent() && users.isPresent()) {
                census(run.runId(), new Census(users.get(), connections.get()));
            }
        } catch (RuntimeException e) {
            out.accept(JsonLog.line("ERROR", "sweep_metrics_failed", "runId", run.runId(),
                    "error", e.getClass().getSimpleName(), "message", e.getMessage()));
        }
    }

    /** {@code sweep_progress}: the run's counts, the pass's age, and the age the pace implies (when known). */
    private void progress(SweepSummary run, Optional<Integer> users) {
        Instant now = clock.instant();
        Optional<Long> passAge = read(run.runId(), "pass", () -> queue.pass()
                .map(p -> Duration.between(p.startedAt(), now).toMinutes()).orElse(0L));
        Optional<Long> expected = runInterval.isEmpty() ? Optional.empty()
                : users.map(u -> modelled.getAsBoolean() ? maxInterval.toMinutes()
                        : expectedPassMinutes(u, requestsPerRun, runInterval.get(), budgetPerMinute));
        List<Emf.Metric> metrics = new ArrayList<>(List.of(new Emf.Metric(USERS_CHECKED, "Count"),
                new Emf.Metric(REQUESTS, "Count"), new Emf.Metric(RATE_LIMITED, "Count"),
                new Emf.Metric(CLIENT_REJECTED, "Count")));
        List<Object> fields = new ArrayList<>(List.of("runId", run.runId(), USERS_CHECKED, run.usersChecked(),
                REQUESTS, run.requestsUsed(), RATE_LIMITED, run.rateLimited(), CLIENT_REJECTED,
                run.failures(UserSweep.Failure.CLIENT_REJECTED.name()) + (run.clientSuspect() ? 1 : 0)));
        passAge.ifPresent(a -> {
            metrics.add(new Emf.Metric(PASS_AGE, "None"));
            fields.addAll(List.of(PASS_AGE, a));
        });
        expected.ifPresent(e -> {
            metrics.add(new Emf.Metric(PASS_EXPECTED, "None"));
            fields.addAll(List.of(PASS_EXPECTED, e));
        });
        out.accept(JsonLog.line("INFO", "sweep_progress", new Emf.Declaration(namespace, MetricNames.IN_ALL,
                metrics), fields.toArray()));
    }

    /** {@code connection_census}: the gauges in all, then by brokerage (the largest {@value #MAX_BROKERAGES}). */
    private void census(String runId, Census c) {
        Count all = c.total();
        out.accept(JsonLog.line("INFO", "connection_census", total, "runId", runId, USERS, c.users(),
                CONNECTIONS, all.connections(), BROKEN, all.broken(), BROKEN_PERCENT,
                Math.round(c.brokenPercent() * 100) / 100.0, "brokerages", c.byBrokerage().size()));
        new TreeMap<>(c.byBrokerage()).entrySet().stream()
                .sorted((a, b) -> Integer.compare(b.getValue().connections(), a.getValue().connections()))
                .limit(MAX_BROKERAGES)
                .forEach(e -> out.accept(JsonLog.line("INFO", "connection_census", byBrokerage, "runId", runId,
                        "brokerage", e.getKey(), CONNECTIONS, e.getValue().connections(), BROKEN,
                        e.getValue().broken())));
    }

    /** {@code read}'s answer, or empty after logging {@code connection_census_failed} naming {@code what}. */
    private <T> Optional<T> read(String runId, String what, Supplier<T> read) {
        try {
            return Optional.of(read.get());
        } catch (RuntimeException e) {
            out.accept(JsonLog.line("ERROR", "connection_census_failed", "runId", runId, "read", what,
                    "error", e.getClass().getSimpleName(), "message", e.getMessage()));
            return Optional.empty();
        }
    }

    /**
     * How old a pass gets at the configured pace: every user once, {@code requestsPerRun} users a run (a check costs
     * at least one request), a run every {@code interval}. At least one interval.
     */
    static long expectedPassMinutes(int users, int requestsPerRun, Duration interval) {
        long runs = Math.max(1, (users + (long) requestsPerRun - 1) / requestsPerRun);
        return runs * Math.max(1, interval.toMinutes());
    }

    /**
     * As {@link #expectedPassMinutes(int, int, Duration)}, at most {@code budgetPerMinute} users a minute (what the
     * shared SnapTrade budget leaves the sweep): the slower of the two paces.
     */
    static long expectedPassMinutes(int users, int requestsPerRun, Duration interval, double budgetPerMinute) {
        long byRuns = expectedPassMinutes(users, requestsPerRun, interval);
        long byBudget = (long) Math.ceil(users / Math.max(1e-9, budgetPerMinute));
        return Math.max(byRuns, byBudget);
    }

    /**
     * The interval of an EventBridge {@code rate(N unit)} schedule; empty for a {@code cron(...)} schedule or
     * anything else (nothing is guessed).
     */
    static Optional<Duration> rateInterval(String schedule) {
        if (schedule == null) {
            return Optional.empty();
        }
        Matcher m = RATE.matcher(schedule.trim());
        if (!m.matches() || Integer.parseInt(m.group(1)) == 0) {
            return Optional.empty();
        }
        long n = Long.parseLong(m.group(1));
        return Optional.of(switch (m.group(2)) {
            case "minute", "minutes" -> Duration.ofMinutes(n);
            case "hour", "hours" -> Duration.ofHours(n);
            default -> Duration.ofDays(n);
        });
    }
}
