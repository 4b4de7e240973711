package com.connectionkeeper.snaptrade;

import com.connectionkeeper.bench.BenchOutput;
import com.connectionkeeper.bench.Targets;
import com.connectionkeeper.core.snaptrade.UserCredentials;
import com.connectionkeeper.simulator.RecordedRequest;
import com.connectionkeeper.simulator.SimulatorConfig;
import com.connectionkeeper.simulator.SnapTradeSimulator;
import com.connectionkeeper.testkit.DynaliteServer;
import com.connectionkeeper.testkit.OwnJvm;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

/**
 * On demand ({@code dev/bench/run.sh budget}): the deployment's one SnapTrade budget (issue 15) across
 * {@value #PROCESSES} JVMs, each a sweep (background gateway, {@value #BACKGROUND_THREADS} threads calling in a loop)
 * and an API instance (interactive gateway, {@value #INTERACTIVE_THREADS} threads calling with a think time), all
 * taking their slots from one dynalite table ({@code DynamoRequestWindows}) against the simulator's rolling limit. At
 * SnapTrade's scale: 250 per rolling 60 s, the plan's 2-s sub-windows (quick mode: 6 s and 200 ms). Measures the
 * share of the limit spent, the 429s and failed calls, the limiter's DynamoDB requests per SnapTrade request (slots in
 * blocks of 8, and one at a time) and the time interactive calls take; writes dev/bench/budget-results.md.
 */
public final class BudgetBench {
    static final int PROCESSES = 3;
    static final int BACKGROUND_THREADS = 6;
    static final int INTERACTIVE_THREADS = 2;
    private static final Duration WINDOW = BenchOutput.pick(Duration.ofSeconds(60), Duration.ofSeconds(6));
    private static final Duration SUB_WINDOW = BenchOutput.pick(Duration.ofSeconds(2), Duration.ofMillis(200));
    /** The production plan but for the app's reserve: 0, so the configured limit is SnapTrade's 250. */
    private static final BudgetPlan PLAN = plan();
    /** Full windows measured after the first (JVMs starting), per scenario. */
    private static final int STEADY_WINDOWS = 3;
    private static final int SINGLE_WINDOWS = BenchOutput.pick(1, 2);
    /** A user's mean think time between interactive calls: 18 s of a 60-s window (6 threads: 20 calls a minute). */
    private static final long THINK_MILLIS = WINDOW.toMillis() * 18 / 60;
    /** The production retry budget (quick: 10 s, as the gateway's multi-process test). */
    private static final Duration RETRY_BUDGET = BenchOutput.pick(SnapTradeSettings.DEFAULT_RETRY_BUDGET,
            Duration.ofSeconds(10));
    /** Time the JVMs get to start before all threads begin at once. */
    private static final long STARTUP_MILLIS = 6_000;
    private static final String USER = "budget-bench-user";

    private BudgetBench() {
    }

    private static BudgetPlan plan() {
        BudgetPlan d = BudgetPlan.defaults();
        return new BudgetPlan(d.limit(), 0, d.interactiveReserved(), d.window(), d.subWindow(), d.slack(), d.block())
                .withWindows(WINDOW, SUB_WINDOW, d.slack());
    }

    public static void main(String[] args) throws Exception {
        double latencyMillis = requestLatencyMillis();
        System.err.printf(Locale.ROOT, "request latency (median, no limiter): %.2f ms%n", latencyMillis);
        List<Result> results = new ArrayList<>();
        try (DynaliteServer dynalite = DynaliteServer.startInMemory()) {
            for (Scenario scenario : List.of(new Scenario("slots in blocks of " + PLAN.block(), PLAN,
                            1 + STEADY_WINDOWS),
                    new Scenario("slots one at a time", PLAN.withBlock(1), 1 + SINGLE_WINDOWS))) {
                System.err.println(scenario.name + ": " + scenario.windows + " windows of " + WINDOW.toSeconds()
                        + " s...");
                results.add(run(scenario, dynalite));
            }
        }
        String report = report(results, latencyMillis);
        System.out.print(report);
        Path out = BenchOutput.results(Targets.BenchId.BUDGET.results());
        Files.writeString(out, report, StandardCharsets.UTF_8);
        figures(results, latencyMillis);
        System.err.println("written to " + out.toAbsolutePath().normalize());
    }

    /** The median time of a call through a gateway without the shared budget: what a call costs without waiting. */
    private static double requestLatencyMillis() {
        SimulatorConfig config = SimulatorConfig.builder(SimulatedSnapTrade.CLIENT_ID, SimulatedSnapTrade.CONSUMER_KEY)
                .build();
        try (SnapTradeSimulator simulator = SnapTradeSimulator.start(config)) {
            UserCredentials user = new UserCredentials(USER, simulator.control().seedUser(USER));
            simulator.control().addConnection(USER, "ALPACA", "trade");
            SnapTradeSdkGateway gateway = new SnapTradeSdkGateway(SimulatedSnapTrade.fastSettings(
                    simulator.baseUrl()), Sleeper.SYSTEM, Math::random, line -> { });
            double[] millis = new double[60];
            for (int i = -20; i < millis.length; i++) {
                long t0 = System.nanoTime();
                gateway.listConnections(user);
                if (i >= 0) {
                    millis[i] = (System.nanoTime() - t0) / 1e6;
                }
            }
            return percentile(millis, 0.5);
        }
    }

    private static Result run(Scenario scenario, DynaliteServer dynalite) throws Exception {
        SimulatorConfig config = SimulatorConfig.builder(SimulatedSnapTrade.CLIENT_ID, SimulatedSnapTrade.CONSUMER_KEY)
                .rateLimit(PLAN.limit()).window(WINDOW).build();
        Path dir = Files.createTempDirectory("budget-bench");
        try (SnapTradeSimulator simulator = SnapTradeSimulator.start(config)) {
            String secret = simulator.control().seedUser(USER);
            simulator.control().addConnection(USER, "ALPACA", "trade");
            simulator.requests().clear();
            String table = dynalite.createTable();
            long startAt = System.currentTimeMillis() + STARTUP_MILLIS;
            long endAt = startAt + WINDOW.toMillis() * scenario.windows + SUB_WINDOW.toMillis();
            List<Process> processes = new ArrayList<>();
            for (int i = 0; i < PROCESSES; i++) {
                Map<String, String> env = new HashMap<>();
                env.put("DYNAMODB_ENDPOINT", dynalite.endpoint().toString());
                env.put("TABLE_NAME", table);
                env.put("SIM_URL", simulator.baseUrl());
                env.put("USER_ID", USER);
                env.put("USER_SECRET", secret);
                BudgetPlan plan = scenario.plan;
                env.put("LIMIT", Integer.toString(plan.limit()));
                env.put("APP_RESERVED", Integer.toString(plan.appReserved()));
                env.put("INTERACTIVE_RESERVED", Integer.toString(plan.interactiveReserved()));
                env.put("WINDOW_MILLIS", Long.toString(plan.window().toMillis()));
                env.put("SUB_WINDOW_MILLIS", Long.toString(plan.subWindow().toMillis()));
                env.put("SLACK", Integer.toString(plan.slack()));
                env.put("BLOCK", Integer.toString(plan.block()));
                // the fallback, should DynamoDB fail: each of the 2 gateways per process its share of the budget
                env.put("OWN_LIMIT", Integer.toString(plan.budget() / (2 * PROCESSES)));
                env.put("RETRY_BUDGET_MILLIS", Long.toString(RETRY_BUDGET.toMillis()));
                env.put("START_AT", Long.toString(startAt));
                env.put("END_AT", Long.toString(endAt));
                env.put("THINK_MILLIS", Long.toString(THINK_MILLIS));
                env.put("BACKGROUND_THREADS", Integer.toString(BACKGROUND_THREADS));
                env.put("INTERACTIVE_THREADS", Integer.toString(INTERACTIVE_THREADS));
                env.put("RESULT", dir.resolve("result-" + i).toString());
                env.put("CALLS", dir.resolve("calls-" + i).toString());
                processes.add(start(env, dir.resolve("out-" + i)));
            }
            List<Properties> counts = new ArrayList<>();
            List<long[]> calls = new ArrayList<>();
            for (int i = 0; i < PROCESSES; i++) {
                Process p = processes.get(i);
                if (!p.waitFor(endAt - System.currentTimeMillis() + 120_000, TimeUnit.MILLISECONDS)) {
                    processes.forEach(Process::destroyForcibly);
                    throw new IllegalStateException("process " + i + " did not finish: " + tail(dir.resolve("out-"
                            + i)));
                }
                if (p.exitValue() != 0) {
                    throw new IllegalStateException("process " + i + " exited " + p.exitValue() + ": "
                            + tail(dir.resolve("out-" + i)));
                }
                Properties result = new Properties();
                try (Reader reader = Files.newBufferedReader(dir.resolve("result-" + i), StandardCharsets.UTF_8)) {
                    result.load(reader);
                }
                counts.add(result);
                for (String line : Files.readAllLines(dir.resolve("calls-" + i), StandardCharsets.UTF_8)) {
                    String[] f = line.split(" ");
                    calls.add(new long[] {Long.parseLong(f[0]), Long.parseLong(f[1]), "ok".equals(f[2]) ? 1 : 0});
                }
            }
            return new Result(scenario, startAt, simulator.requests().all(), counts, calls);
        }
    }

    private static Process start(Map<String, String> env, Path out) throws IOException {
        return OwnJvm.builder(BudgetBenchProcess.class, env, "-Xmx256m", "-XX:+UseSerialGC").redirectErrorStream(true)
                .redirectOutput(out.toFile()).start();
    }

    private static String tail(Path file) throws IOException {
        String text = Files.exists(file) ? Files.readString(file) : "";
        return text.substring(Math.max(0, text.length() - 2000));
    }

    /** Nearest rank. */
    static double percentile(double[] sample, double q) {
        if (sample.length == 0) {
            return Double.NaN;
        }
        double[] sorted = sample.clone();
        Arrays.sort(sorted);
        return sorted[Math.max(0, (int) Math.ceil(q * sorted.length) - 1)];
    }

    private static void figures(List<Result> results, double latencyMillis) {
        Result blocks = results.get(0);
        Result single = results.get(1);
        Map<String, Object> f = new LinkedHashMap<>();
        f.put("utilisation", String.format(Locale.ROOT, "%.4f", blocks.utilisation()));
        f.put("utilisation.text", String.format(Locale.ROOT, "**%.3f** (%.1f requests per %d-s window over %d full "
                        + "windows, %s, of the configured %d: SnapTrade's %d less an app reserve of %d; the plan's "
                        + "ceiling %.3f)", blocks.utilisation(), blocks.steadyMean(), WINDOW.toSeconds(),
                STEADY_WINDOWS, blocks.steady(), PLAN.budget(), PLAN.limit(), PLAN.appReserved(), PLAN.ceiling()));
        long unhandled = results.stream().mapToLong(Result::rateLimitedCalls).sum();
        long throttled = results.stream().mapToLong(r -> WindowCheck.throttled(r.requests)).sum();
        long failed = results.stream().mapToLong(Result::failedCalls).sum();
        f.put("unhandled429", unhandled);
        f.put("unhandled429.text", String.format(Locale.ROOT, "**%d** (429s from the simulator: %d; failed calls of "
                + "any kind: %d; both scenarios)", unhandled, throttled, failed));
        f.put("throttled", throttled);
        f.put("failedCalls", failed);
        int busiest = WindowCheck.busiestWindow(blocks.requests, WINDOW);
        f.put("busiest", busiest);
        f.put("busiest.text", String.format(Locale.ROOT, "%d of %d (blocks); %d (one at a time)", busiest,
                PLAN.limit(), WindowCheck.busiestWindow(single.requests, WINDOW)));
        f.put("ceiling", String.format(Locale.ROOT, "%.4f", PLAN.ceiling()));
        f.put("ceiling.text", String.format(Locale.ROOT, "%.3f (%d sub-windows per window / a span of %d)",
                PLAN.ceiling(), PLAN.perWindow(), PLAN.span()));
        f.put("costBlocks", String.format(Locale.ROOT, "%.4f", blocks.cost()));
        f.put("costBlocks.text", costText(blocks));
        f.put("costSingle", String.format(Locale.ROOT, "%.4f", single.cost()));
        f.put("costSingle.text", costText(single));
        double[] waits = blocks.steadyInteractiveMillis();
        double p95 = percentile(waits, 0.95);
        double bound = SUB_WINDOW.toMillis() + latencyMillis;
        f.put("interactiveP95", String.format(Locale.ROOT, "%.4f", p95 / bound));
        f.put("interactiveP95.text", String.format(Locale.ROOT, "**%.2f** (p95 %.0f ms of %d interactive calls; "
                        + "p50 %.0f ms, max %.0f ms; bound %.0f ms = the %d-ms sub-window + %.1f ms median request)",
                p95 / bound, p95, waits.length, percentile(waits, 0.5), percentile(waits, 1.0), bound,
                SUB_WINDOW.toMillis(), latencyMillis));
        BenchOutput.figures(Targets.BenchId.BUDGET.id(), f);
    }

    private static String costText(Result r) {
        return String.format(Locale.ROOT, "**%.2f** (%,d DynamoDB requests for %,d SnapTrade requests, %d processes)",
                r.cost(), r.dynamoRequests(), r.requests.size(), PROCESSES);
    }

    private static String report(List<Result> results, double latencyMillis) {
        StringBuilder md = new StringBuilder("# Shared SnapTrade budget benchmark (issue 15)\n\n")
                .append("Written by `BudgetBench` (`dev/bench/run.sh budget`) on ")
                .append(Instant.now().truncatedTo(ChronoUnit.SECONDS)).append(", ")
                .append(Runtime.getRuntime().availableProcessors()).append(" cores, JDK ")
                .append(System.getProperty("java.version")).append(BenchOutput.quick() ? ", **quick mode** (time "
                        + "compressed ten-fold, figures not the project's)" : "").append(".\n\n");
        md.append(String.format(Locale.ROOT, "Setup: %d JVMs, each a background gateway (the sweep: %d threads "
                        + "calling `listConnections` in a loop) and an interactive one (the API: %d threads, each "
                        + "calling after an exponential think time of mean %.1f s), every gateway over its own "
                        + "`DynamoRequestWindows` on one dynalite table; the simulator allows %d requests per rolling "
                        + "%d s. Plan: limit %d, app reserve %d, so the **configured limit** — what the deployment may "
                        + "spend per window — is %d; interactive reserve %d per window (%d per sub-window), "
                        + "sub-windows of %d ms, slack %d: caps sum to the budget over any %d sub-windows, ceiling "
                        + "%d/%d = %.3f. Retry budget %d s. All threads start at one instant; windows are counted from "
                        + "it, and the first (JVMs warming up) is left out of the steady state. DynamoDB requests are "
                        + "`DynamoRequestWindows.requests()` summed over every gateway; SnapTrade requests are the "
                        + "simulator's log (429s included). Median request without the limiter (another simulator, "
                        + "one gateway): %.1f ms.%n%n", PROCESSES, BACKGROUND_THREADS, INTERACTIVE_THREADS,
                THINK_MILLIS / 1000.0, PLAN.limit(), WINDOW.toSeconds(), PLAN.limit(), PLAN.appReserved(),
                PLAN.budget(), PLAN.interactiveReserved(), PLAN.reserve(), SUB_WINDOW.toMillis(), PLAN.slack(),
                PLAN.span(), PLAN.perWindow(), PLAN.span(), PLAN.ceiling(), RETRY_BUDGET.toSeconds(),
                latencyMillis));
        md.append("| scenario | requests per window (all, from the start) | steady mean | utilisation (mean / ")
                .append(PLAN.budget()).append(") | busiest rolling window | 429s | failed calls | calls ok ")
                .append("(background / interactive) | DynamoDB requests | SnapTrade requests | DynamoDB per ")
                .append("SnapTrade request | slots granted | granted, not used |\n")
                .append("|---|---|---:|---:|---:|---:|---:|---|---:|---:|---:|---:|---:|\n");
        for (Result r : results) {
            md.append(String.format(Locale.ROOT, "| %s | %s | %.1f | **%.3f** | %d of %d | %d | %d | %d / %d | %,d | "
                            + "%,d | **%.2f** | %,d | %,d |%n", r.scenario.name, r.perWindow(), r.steadyMean(),
                    r.utilisation(), WindowCheck.busiestWindow(r.requests, WINDOW), PLAN.limit(),
                    WindowCheck.throttled(r.requests), r.failedCalls(), r.sum("background.ok"),
                    r.sum("interactive.ok"), r.dynamoRequests(), r.requests.size(), r.cost(), r.granted(),
                    r.granted() - r.requests.size()));
        }
        md.append("\nTargets: utilisation ≥ 0.90 of the configured limit with 0 unhandled 429s (every call ")
                .append("succeeds); DynamoDB requests per SnapTrade request ≤ 1, and ≤ 0.3 with slots taken in ")
                .append("blocks.\n\n## Where the DynamoDB requests go\n\n")
                .append("Per scenario and gateway, summed over the processes: takes (one conditional UpdateItem ")
                .append("each) per pool, the slots asked for and granted, takes that got nothing (the pool full) or ")
                .append("fewer than asked, a take's mean time (dynalite, on the same cores); closes (after a 429 ")
                .append("or a low remaining count); grants that came back after their sub-window ended (late, ")
                .append("dropped).\n\n")
                .append("| scenario | gateway | pool | takes | slots asked | granted | takes granted nothing | ")
                .append("partial | mean take | closes | late grants | fallbacks |\n")
                .append("|---|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        for (Result r : results) {
            for (CallPriority priority : CallPriority.values()) {
                String p = priority.name().toLowerCase();
                for (String pool : List.of("shared", "reserved")) {
                    String k = p + ".take." + pool;
                    md.append(String.format(Locale.ROOT, "| %s | %s | %s | %,d | %,d | %,d | %,d | %,d | %.0f ms | "
                                    + "%s | %s | %s |%n", r.scenario.name, p, pool, r.sum(k + ".requests"),
                            r.sum(k + ".wanted"), r.sum(k + ".granted"), r.sum(k + ".none"), r.sum(k + ".partial"),
                            r.sum(k + ".micros") / 1000.0 / Math.max(1, r.sum(k + ".requests")),
                            pool.equals("shared") ? r.sum(p + ".closes") : "", pool.equals("shared")
                                    ? r.sum(p + ".lateGrants") : "", pool.equals("shared") ? r.sum(p + ".fallbacks")
                                    : ""));
                }
            }
        }
        md.append('\n');
        for (Result r : results) {
            long subWindows = r.scenario.windows * (long) PLAN.perWindow();
            md.append(String.format(Locale.ROOT, "%s: per sub-window %.2f DynamoDB requests (%.2f of them takes "
                            + "granted nothing) for %.2f SnapTrade requests; a sub-window's cap is %d or %d (%d "
                            + "reserved), so each process that tries a pool once per sub-window costs about 1/%.1f "
                            + "DynamoDB request per SnapTrade request however large its block.%n%n", r.scenario.name,
                    r.dynamoRequests() / (double) subWindows, r.noneTakes() / (double) subWindows,
                    r.requests.size() / (double) subWindows, PLAN.budget() / PLAN.span(),
                    PLAN.budget() / PLAN.span() + 1, PLAN.reserve(), PLAN.budget() / (double) PLAN.span()));
        }
        md.append("## Interactive calls under the saturating sweep\n\n")
                .append("Each interactive call timed whole (waiting for its slot, and the request), steady state ")
                .append("only. Target: a wait of at most one sub-window, i.e. p95 ≲ sub-window + request (")
                .append(String.format(Locale.ROOT, "%d + %.1f ms", SUB_WINDOW.toMillis(), latencyMillis))
                .append(").\n\n| scenario | calls | failed | p50 | p95 | max | p95 / (sub-window + request) |\n")
                .append("|---|---:|---:|---:|---:|---:|---:|\n");
        for (Result r : results) {
            double[] waits = r.steadyInteractiveMillis();
            md.append(String.format(Locale.ROOT, "| %s | %d | %d | %.0f ms | %.0f ms | %.0f ms | **%.2f** |%n",
                    r.scenario.name, waits.length, r.sum("interactive.failed"), percentile(waits, 0.5),
                    percentile(waits, 0.95), percentile(waits, 1.0),
                    percentile(waits, 0.95) / (SUB_WINDOW.toMillis() + latencyMillis)));
        }
        return md.toString();
    }

    /** A run: its name, its plan (block size) and how many windows it lasts. */
    private record Scenario(String name, BudgetPlan plan, int windows) {
    }

    /** One run's outcome: the simulator's log, each process's counts, every interactive call. */
    private record Result(Scenario scenario, long startAt, List<RecordedRequest> requests, List<Properties> counts,
                          List<long[]> calls) {
        /** Requests SnapTrade accepted in each window from the common start. */
        List<Integer> perWindow() {
            int[] n = new int[scenario.windows];
            for (RecordedRequest r : requests) {
                if (r.status() != 429) {
                    long i = Math.floorDiv(r.received().toEpochMilli() - startAt, WINDOW.toMillis());
                    if (i >= 0 && i < n.length) {
                        n[(int) i]++;
                    }
                }
            }
            return Arrays.stream(n).boxed().toList();
        }

        List<Integer> steady() {
            return perWindow().subList(1, scenario.windows);
        }

        double steadyMean() {
            return steady().stream().mapToInt(Integer::intValue).average().orElse(Double.NaN);
        }

        double utilisation() {
            return steadyMean() / PLAN.budget();
        }

        long sum(String key) {
            return counts.stream().mapToLong(p -> Long.parseLong(p.getProperty(key, "0"))).sum();
        }

        long dynamoRequests() {
            return sum("background.dynamoRequests") + sum("interactive.dynamoRequests");
        }

        long granted() {
            return sum("background.take.shared.granted") + sum("background.take.reserved.granted")
                    + sum("interactive.take.shared.granted") + sum("interactive.take.reserved.granted");
        }

        long noneTakes() {
            return sum("background.take.shared.none") + sum("background.take.reserved.none")
                    + sum("interactive.take.shared.none") + sum("interactive.take.reserved.none");
        }

        double cost() {
            return dynamoRequests() / (double) requests.size();
        }

        long failedCalls() {
            return sum("background.failed") + sum("interactive.failed");
        }

        long rateLimitedCalls() {
            return sum("background.rateLimited") + sum("interactive.rateLimited");
        }

        /** Interactive calls begun after the first window, in milliseconds. */
        double[] steadyInteractiveMillis() {
            return calls.stream().filter(c -> c[0] >= startAt + WINDOW.toMillis()).mapToDouble(c -> c[1] / 1000.0)
                    .toArray();
        }
    }
}
