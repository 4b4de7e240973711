package com.connectionkeeper.sweep;

import com.connectionkeeper.bench.BenchOutput;
import com.connectionkeeper.bench.Targets;
import com.connectionkeeper.core.sweep.BrokerageLifetimes;
import com.connectionkeeper.core.sweep.CheckSchedule;
import com.connectionkeeper.snaptrade.BudgetPlan;
import com.connectionkeeper.sweep.DetectionRun.Policy;
import com.connectionkeeper.sweep.DetectionRun.Result;
import com.connectionkeeper.sweep.DetectionRun.World;
import java.io.IOException;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * On-demand benchmark (not a test; issue 15): how long a connection break whose CONNECTION_BROKEN webhook was lost
 * goes unnoticed until the scheduled sweep finds it, at 100,000 users over weeks of simulated time, under (a) today's
 * defaults, (b) the shared budget in least-recently-checked order and (c) the shared budget in
 * {@link CheckSchedule}'s order (deadline guard, then earliest due first), its lifetime model learned online from the
 * breaks the app saw. Each policy runs over its own in-process simulator with the same seed ({@link DetectionRun}).
 * Run: {@code dev/bench/run.sh detection} (writes dev/bench/detection-results.md; quick: 10,000 users, shorter).
 */
public final class DetectionBench {
    /** Interactive calls per minute the shared budget leaves to the API (users in a browser). */
    static final double INTERACTIVE_PER_MINUTE = 2;
    static final String LIFETIMES = "WEEKLY=normal(7d,6h);MONTHLY=normal(30d,1d);BIMONTHLY=lognormal(60d,0.5);"
            + "RANDOM=exponential(90d)";
    /** The true median lifetime of each brokerage in {@link #LIFETIMES}. */
    static final Map<String, String> TRUE_MEDIANS = Map.of("WEEKLY", "7.00 d", "MONTHLY", "30.00 d", "BIMONTHLY",
            "60.00 d", "RANDOM", "62.38 d (90 d × ln 2)");

    private DetectionBench() {
    }

    /** The checks per minute the sweep may spend under the shared budget: (limit − app reserve) × ceiling − 2. */
    static double budgetPerMinute() {
        BudgetPlan plan = BudgetPlan.defaults();
        return plan.budget() * plan.ceiling() - INTERACTIVE_PER_MINUTE;
    }

    static World world() {
        int users = BenchOutput.pick(100_000, 10_000);
        double budget = budgetPerMinute();
        Map<String, Double> mix = new LinkedHashMap<>();
        mix.put("WEEKLY", 0.30);
        mix.put("MONTHLY", 0.25);
        mix.put("BIMONTHLY", 0.25);
        mix.put("RANDOM", 0.20);
        Duration pass = Duration.ofMinutes(Math.round(users / budget));
        return new World(users, LIFETIMES, mix, Duration.ofDays(BenchOutput.pick(120, 60)),
                Duration.ofDays(BenchOutput.pick(14, 7)), Duration.ofDays(BenchOutput.pick(28, 7)),
                Duration.ofDays(BenchOutput.pick(6, 2)), 0.2, Duration.ofDays(1), 0.75, 15, budget,
                new CheckSchedule.Settings(Duration.ofMinutes(10), Duration.ofHours(24), pass, 0.05));
    }

    public static void main(String[] args) throws IOException, InterruptedException {
        World world = world();
        long started = System.nanoTime();
        Map<Policy, Future<Result>> running = new EnumMap<>(Policy.class);
        ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, Math.min(Policy.values().length,
                Runtime.getRuntime().availableProcessors())));
        // the slowest first: (c) computes a due time per check
        for (Policy policy : List.of(Policy.LIKELY_FIRST, Policy.TODAY, Policy.UNIFORM)) {
            if (args.length > 0 && !Arrays.asList(args).contains(policy.name().toLowerCase(Locale.ROOT))) {
                continue; // a development run of some policies only: no results written
            }
            running.put(policy, pool.submit(() -> {
                System.err.printf(Locale.ROOT, "[detection] %s: %,d users …%n", policy.title(), world.users());
                Result r = DetectionRun.run(world, policy);
                System.err.printf(Locale.ROOT, "[detection] %s: %d lost-webhook breaks measured, p50 %s, p95 %s, "
                        + "longest gap %s, %.0f s%n", policy.title(), r.detections().length,
                        human(percentile(r.detections(), 0.5)), human(percentile(r.detections(), 0.95)),
                        human(r.longestGap()), r.seconds());
                return r;
            }));
        }
        pool.shutdown();
        Map<Policy, Result> results = new EnumMap<>(Policy.class);
        for (Map.Entry<Policy, Future<Result>> e : running.entrySet()) {
            try {
                results.put(e.getKey(), e.getValue().get());
            } catch (ExecutionException ex) {
                throw new IllegalStateException(e.getKey() + " failed", ex.getCause());
            }
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        if (results.size() < Policy.values().length) {
            return;
        }
        String md = render(world, results, seconds);
        Files.writeString(BenchOutput.results("detection-results.md"), md);
        BenchOutput.figures("detection", figures(world, results));
        System.out.print(md);
    }

    /** The figures for the report (see Targets: area SWEEP, bench DETECTION). */
    static Map<String, Object> figures(World world, Map<Policy, Result> results) {
        Map<String, Object> f = new LinkedHashMap<>();
        double passMinutes = world.users() / world.budgetPerMinute();
        long[] a = results.get(Policy.TODAY).detections();
        long[] b = results.get(Policy.UNIFORM).detections();
        Result c = results.get(Policy.LIKELY_FIRST);
        f.put("today.p95Minutes", percentile(a, 0.95) / 60.0);
        f.put("today.p95Minutes.text", String.format(Locale.ROOT, "p50 %s, p95 %s (%,d breaks)",
                human(percentile(a, 0.5)), human(percentile(a, 0.95)), a.length));
        double bOver = percentile(b, 0.95) / 60.0 / passMinutes;
        f.put("uniform.p95OverPass", bOver);
        f.put("uniform.p95OverPass.text", String.format(Locale.ROOT, "**%.3f** (p95 %s; N / B = %,d / %.2f = %.1f min;"
                + " p50 %s)", bOver, human(percentile(b, 0.95)), world.users(), world.budgetPerMinute(), passMinutes,
                human(percentile(b, 0.5))));
        double cOver = percentile(c.detections(), 0.5) / (double) percentile(b, 0.5);
        f.put("likely.p50OverUniform", cOver);
        f.put("likely.p50OverUniform.text", String.format(Locale.ROOT, "**%.3f** (p50 %s vs %s; p95 %s)", cOver,
                human(percentile(c.detections(), 0.5)), human(percentile(b, 0.5)),
                human(percentile(c.detections(), 0.95))));
        double gap = c.longestGap() / (double) world.settings().maxInterval().getSeconds();
        f.put("likely.longestGapOverMax", gap);
        f.put("likely.longestGapOverMax.text", String.format(Locale.ROOT, "**%.3f** (%s vs %s)", gap,
                human(c.longestGap()), human(world.settings().maxInterval().getSeconds())));
        f.put("undetected", results.values().stream().mapToLong(Result::undetected).sum());
        return f;
    }

    static String render(World world, Map<Policy, Result> results, double seconds) {
        double passMinutes = world.users() / world.budgetPerMinute();
        BudgetPlan plan = BudgetPlan.defaults();
        Result b = results.get(Policy.UNIFORM);
        Result c = results.get(Policy.LIKELY_FIRST);
        StringBuilder md = new StringBuilder("# Detection time of breaks whose webhook was lost (issue 15)\n\n");
        md.append(String.format(Locale.ROOT, "Written by `dev/bench/run.sh detection` (%s) on %s, %.0f s in all. "
                        + "Figures for the report: `figures/detection.properties`.%n%n",
                BenchOutput.quick() ? "**quick mode**: fewer users, shorter periods — not the project's figures"
                        : "full run", Instant.now().truncatedTo(ChronoUnit.SECONDS), seconds));
        md.append("## The world\n\n");
        md.append(String.format(Locale.ROOT, "- **%,d users**, each with 1 (55 %%), 2 (30 %%) or 3 (15 %%) "
                + "connections, each at a brokerage drawn from the mix below; they join evenly over the %d days "
                + "before t0 (seeded in process at their join hour; the app hears each ADDED, so it knows when every "
                + "token was issued).%n", world.users(), world.history().toDays()));
        md.append("- **Token lifetimes** (the simulator's `TokenLifetimes`, `").append(world.lifetimes())
                .append("`):\n\n| brokerage | share of connections | token lifetime |\n|---|---:|---|\n");
        for (Map.Entry<String, Double> e : world.brokerages().entrySet()) {
            String spec = Arrays.stream(world.lifetimes().split(";")).filter(s -> s.startsWith(e.getKey() + "="))
                    .findFirst().orElse("").substring(e.getKey().length() + 1);
            md.append(String.format(Locale.ROOT, "| %s | %.0f %% | %s |%n", e.getKey(), e.getValue() * 100, spec));
        }
        md.append(String.format(Locale.ROOT, "%n- **%.0f %% of CONNECTION_BROKEN webhooks lost** (the simulator's "
                + "`lostWebhookShare`, seeded). A break whose webhook arrives is known at once and not measured; a "
                + "lost one is found by the first check of its user after it (the check lists the user's connections "
                + "at the simulator and sees it disabled). Detection time = that check's time − the break.%n",
                world.lostShare() * 100));
        md.append(String.format(Locale.ROOT, "- **Repairs**: a user repairs a known break after a lognormal delay "
                + "(median %s, σ %.2f, at least 5 min; drawn per connection and break from the seed) — a "
                + "CONNECTION_FIXED with a new token drawn from the brokerage's lifetimes. Before t0 every break is "
                + "repaired so (no sweep runs then).%n", human(world.repairMedian().getSeconds()),
                world.repairSigma()));
        md.append(String.format(Locale.ROOT, "- **Time**: from t0 the sweep runs, simulated minute by minute: %d days "
                + "of warm-up (the app learns lifetimes, nothing is measured), then **%d days measured** (breaks "
                + "in that period count), then %d more days so that the measured breaks are found. The same seed "
                + "for every policy: the same users, joins and draws up to t0 and the same breaks until the first "
                + "repairs after t0; from then on a repair lands at another instant under each policy, so later "
                + "tokens are drawn in another order — the same distributions, not the same instants.%n",
                world.warmUp().toDays(), world.measured().toDays(), world.tail().toDays()));
        md.append(String.format(Locale.ROOT, "- **Budget**: (a) today's defaults, `rate(10 minutes)` × "
                + "`SweepRequestsPerRun` %d = %.1f checks per minute. (b) and (c): the shared budget "
                + "B = (%d − %d app reserve) × %.4f (`BudgetPlan.defaults().ceiling()`) − %.0f interactive calls per "
                + "minute = **%.4f checks per minute**, spent every minute (fractions carried over). The interactive "
                + "share is an estimate (a few users at the portal or asking for a link at any minute); the "
                + "interactive reserve itself (%d per minute) is spent by the sweep when unused, so it is not "
                + "subtracted. N / B = **%.1f min** (a pass over everyone).%n",
                SweepSettings.DEFAULT_REQUESTS_PER_RUN, SweepSettings.DEFAULT_REQUESTS_PER_RUN / 10.0, plan.limit(),
                plan.appReserved(), plan.ceiling(), INTERACTIVE_PER_MINUTE, world.budgetPerMinute(),
                plan.interactiveReserved(), passMinutes));
        CheckSchedule.Settings s = world.settings();
        md.append(String.format(Locale.ROOT, "- **(c)'s schedule**: `CheckSchedule` with minInterval %s, maxInterval "
                + "%s, uniformInterval %s (N / B), risk %.2f; its `BrokerageLifetimes` learned from the app's own "
                + "histograms (`LifetimeHistogram`: token issue — ADDED or FIXED — to BROKEN, as a delivered webhook "
                + "or a check's `disabled_date` reported it) of the breaks seen from t0 on, relearned before every "
                + "run in which a break was seen. Each run: the deadline guard first (least recently checked, every "
                + "user last checked at or before `deadlineCutoff` of the next run), then earliest due first, due or "
                + "not yet, never a user checked less than minInterval ago. A user's due time is computed when it "
                + "is checked (a webhook does not move it). The planner's broken list is left out of all three "
                + "policies: every fix arrives as CONNECTION_FIXED here; a user with a known broken connection stays "
                + "in the order for its other ones (today's planner also checks broken users once a pass, so (a) "
                + "is slightly optimistic).%n%n", human(s.minInterval().getSeconds()),
                human(s.maxInterval().getSeconds()), human(s.uniformInterval().getSeconds()), s.risk()));
        md.append("## Detection time of lost-webhook breaks\n\n| policy | breaks measured | p50 | p95 | p99 | max | "
                + "mean | not found by the end | checks | longest gap between checks | runtime (history + sweep) |\n"
                + "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        for (Result r : results.values()) {
            long[] d = r.detections();
            md.append(String.format(Locale.ROOT, "| %s | %,d | %s | %s | %s | %s | %s | %,d | %,d%s | %s | %.0f s |%n",
                    r.policy().title(), d.length, human(percentile(d, 0.5)), human(percentile(d, 0.95)),
                    human(percentile(d, 0.99)), human(d.length == 0 ? 0 : Arrays.stream(d).max().getAsLong()),
                    human(Math.round(Arrays.stream(d).average().orElse(0))), r.undetected(), r.checks(),
                    r.guardChecks() == 0 ? "" : String.format(Locale.ROOT, " (%,d by the deadline guard)",
                            r.guardChecks()), human(r.longestGap()), r.seconds()));
        }
        md.append("\nBy brokerage (p50 / p95):\n\n| brokerage |");
        results.values().forEach(r -> md.append(' ').append(r.policy().title()).append(" |"));
        md.append("\n|---|").append("---:|".repeat(results.size())).append('\n');
        for (String brokerage : world.brokerages().keySet()) {
            md.append("| ").append(brokerage).append(" |");
            for (Result r : results.values()) {
                List<Long> mine = new ArrayList<>();
                for (int i = 0; i < r.detections().length; i++) {
                    if (brokerage.equals(r.brokerageOf()[i])) {
                        mine.add(r.detections()[i]);
                    }
                }
                long[] d = mine.stream().mapToLong(Long::longValue).toArray();
                md.append(String.format(Locale.ROOT, " %s / %s (%,d) |", human(percentile(d, 0.5)),
                        human(percentile(d, 0.95)), d.length));
            }
            md.append('\n');
        }
        md.append("\nDistribution (share of measured breaks found within):\n\n| within |");
        results.values().forEach(r -> md.append(' ').append(r.policy().title()).append(" |"));
        md.append("\n|---|").append("---:|".repeat(results.size())).append('\n');
        for (long limit : new long[] {600, 1800, 3600, 3 * 3600, 6 * 3600, 8 * 3600, 12 * 3600, 86_400,
                3 * 86_400}) {
            md.append("| ").append(human(limit)).append(" |");
            for (Result r : results.values()) {
                long within = Arrays.stream(r.detections()).filter(d -> d <= limit).count();
                md.append(String.format(Locale.ROOT, " %.1f %% |", 100.0 * within / Math.max(1,
                        r.detections().length)));
            }
            md.append('\n');
        }
        md.append("\n## Targets (issue 15)\n\n");
        long bp50 = percentile(b.detections(), 0.5);
        long bp95 = percentile(b.detections(), 0.95);
        long cp50 = percentile(c.detections(), 0.5);
        double bBound = Targets.DETECTION_UNIFORM_P95 * passMinutes;
        md.append(String.format(Locale.ROOT, "- (b) p95 ≤ %.2f × N / B = %.1f min: p95 %.1f min, %.3f × N / B — "
                + "**%s**.%n", Targets.DETECTION_UNIFORM_P95, bBound, bp95 / 60.0, bp95 / 60.0 / passMinutes,
                bp95 / 60.0 <= bBound ? "met" : "not met"));
        double cBound = Targets.DETECTION_LIKELY_P50 * bp50;
        md.append(String.format(Locale.ROOT, "- (c) p50 ≤ %.2f × (b)'s p50 = %s: p50 %s, %.3f × (b)'s — **%s**.%n",
                Targets.DETECTION_LIKELY_P50, human(Math.round(cBound)), human(cp50), cp50 / (double) bp50,
                cp50 <= cBound ? "met" : "not met"));
        md.append(String.format(Locale.ROOT, "- (c) no starvation: the longest gap between two checks of a user "
                + "(measured period and after) %s ≤ maxInterval %s — **%s**.%n%n", human(c.longestGap()),
                human(s.maxInterval().getSeconds()),
                c.longestGap() <= s.maxInterval().getSeconds() ? "met" : "not met"));
        md.append("## What (c) learned\n\nThe lifetimes the app observed from t0 to the end, against the truth:\n\n"
                + "| brokerage | true median | lifetimes observed | learned median | own weight |\n"
                + "|---|---:|---:|---:|---:|\n");
        BrokerageLifetimes learned = c.learned();
        for (String brokerage : world.brokerages().keySet()) {
            learned.curve(brokerage).ifPresentOrElse(curve -> md.append(String.format(Locale.ROOT,
                    "| %s | %s | %,d | %s | %.2f |%n", brokerage, TRUE_MEDIANS.get(brokerage), curve.samples(),
                    human(curve.median().getSeconds()), curve.ownWeight())),
                    () -> md.append("| ").append(brokerage).append(" | ").append(TRUE_MEDIANS.get(brokerage))
                            .append(" | 0 | — | — |\n"));
        }
        md.append("\nThe learned medians of the two long-lived brokerages lie below the truth: their users joined "
                + "at most " + world.history().toDays() + " days before t0, so a token can only have been seen "
                + "ending if it lived less than that — the long ones are still running (right-censored). A real "
                + "deployment of that age learns the same; it errs towards checking those users early.\n");
        md.append("\nBreaks from t0 to the end (a world as large under each policy; not the same instants after the "
                + "first repairs):");
        results.values().forEach(r -> md.append(String.format(Locale.ROOT, " %s %,d (%,d with a lost webhook);",
                r.policy().title(), r.breaks(), r.lostBreaks())));
        md.setLength(md.length() - 1);
        md.append(".\n");
        return md.toString();
    }

    /** Nearest-rank percentile of seconds; 0 for none. */
    static long percentile(long[] values, double q) {
        if (values.length == 0) {
            return 0;
        }
        long[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[Math.max(0, (int) Math.ceil(q * sorted.length) - 1)];
    }

    /** 45 s, 23.5 min, 4 h 01 min, 2.31 d. */
    static String human(long seconds) {
        if (seconds < 60) {
            return seconds + " s";
        }
        if (seconds < 3600) {
            return String.format(Locale.ROOT, "%.1f min", seconds / 60.0);
        }
        if (seconds < 2 * 86_400) {
            return String.format(Locale.ROOT, "%d h %02d min", seconds / 3600, seconds % 3600 / 60);
        }
        return String.format(Locale.ROOT, "%.2f d", seconds / 86_400.0);
    }
}
