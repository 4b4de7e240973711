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
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

/**
 * On demand ({@code dev/bench/run.sh budget}): the deployment's one SnapTrade budget (issue 15) across JVMs, all
 * taking their slots from one dynalite table ({@code DynamoRequestWindows}) against the simulator's rolling limit, at
 * SnapTrade's scale: 250 per rolling 60 s, the plan's 2-s sub-windows (quick mode: 6 s and 200 ms), app reserve 0.
 * The main scenario is production's shape: process 0 the sweep (the only background caller, it holds a lease:
 * {@value #SWEEP_THREADS} threads calling in a loop), processes 1..{@value #API_PROCESSES} API instances (interactive,
 * one caller each, as Lambda runs one request per instance at a time: an exponential think time, then 1 or 2 calls
 * back to back). A stress scenario, for information (production never runs it), has {@value #STRESS_PROCESSES}
 * processes each a sweep and an API. Measures the share of the limit spent, the 429s and failed calls, the limiter's
 * DynamoDB requests per SnapTrade request (the sweep's blocks, the interactive callers' single slots, all) and the
 * time interactive calls take; writes dev/bench/budget-results.md.
 */
public final class BudgetBench {
    static final int SWEEP_THREADS = 8;
    static final int API_PROCESSES = 3;
    /** Calls per API request at most (1 or 2, uniformly: e.g. a connection's detail, then a reconnect link). */
    static final int API_BURST = 2;
    static final int STRESS_PROCESSES = 3;
    private static final Duration WINDOW = BenchOutput.pick(Duration.ofSeconds(60), Duration.ofSeconds(6));
    private static final Duration SUB_WINDOW = BenchOutput.pick(Duration.ofSeconds(2), Duration.ofMillis(200));
    /** The production plan but for the app's reserve: 0, so the configured limit is SnapTrade's 250. */
    private static final BudgetPlan PLAN = plan();
    /** Full windows measured after the first (JVMs starting): the production shape, and the stress scenario. */
    private static final int STEADY_WINDOWS = 3;
    private static final int STRESS_WINDOWS = 2;
    /**
     * An API instance's mean think time between requests: 9 s of a 60-s window; with 1.5 calls per request and 3
     * instances, about 29 calls a minute.
     */
    private static final long API_THINK_MILLIS = WINDOW.toMillis() * 9 / 60;
    /** The stress scenario's users: 2 per process, 18 s of a 60-s window (6 users: 20 calls a minute). */
    private static final long STRESS_THINK_MILLIS = WINDOW.toMillis() * 18 / 60;
    /** The production retry budget (quick: 10 s, as the gateway's multi-process test). */
    private static final Duration RETRY_BUDGET = BenchOutput.pick(SnapTradeSettings.DEFAULT_RETRY_BUDGET,
            Duration.ofSeconds(10));
    /** Time the JVMs get to start before all threads begin at once. */
    private static final long STARTUP_MILLIS = 6_000;

    private BudgetBench() {
    }

    private static BudgetPlan plan() {
        BudgetPlan d = BudgetPlan.defaults();
        return new BudgetPlan(d.limit(), 0, d.interactiveReserved(), d.window(), d.subWindow(), d.slack(), d.block())
                .withWindows(WINDOW, SUB_WINDOW, d.slack());
    }

    /** Production's shape: the sweep's process, then the API instances. */
    static List<Shape> production() {
        List<Shape> shapes = new ArrayList<>(List.of(new Shape(SWEEP_THREADS, 0, 0, 1)));
        for (int i = 0; i < API_PROCESSES; i++) {
            shapes.add(new Shape(0, 1, API_THINK_MILLIS, API_BURST));
        }
        return shapes;
    }

    /** The stress scenario: each process a sweep (6 threads) and an API (2 users), as the bench's first version. */
    static List<Shape> stress() {
        return Collections.nCopies(STRESS_PROCESSES, new Shape(6, 2, STRESS_THINK_MILLIS, 1));
    }

    public static void main(String[] args) throws Exception {
        double latencyMillis = requestLatencyMillis();
        System.err.printf(Locale.ROOT, "request latency (median, no limiter): %.2f ms%n", latencyMillis);
        List<Result> results = new ArrayList<>();
        try (DynaliteServer dynalite = DynaliteServer.startInMemory()) {
            for (Scenario scenario : List.of(
                    new Scenario("production: 1 sweep + " + API_PROCESSES + " API instances", production(),
                            1 + STEADY_WINDOWS),
                    new Scenario("stress: " + STRESS_PROCESSES + " sweeps, each with an API (information)", stress(),
                            1 + STRESS_WINDOWS))) {
                System.err.println(scenario.name + ": " + scenario.windows + " windows of " + WINDOW.toSeconds()
                        + " s...");
                Result result = run(scenario, dynalite);
                System.err.printf(Locale.ROOT, "  utilisation %.3f, failed %d, cost sweep %.2f interactive %.2f%n",
                        result.utilisation(), result.failedCalls(), result.cost(CallPriority.BACKGROUND),
                        result.cost(CallPriority.INTERACTIVE));
                results.add(result);
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
            String id = "latency-user";
            UserCredentials user = new UserCredentials(id, simulator.control().seedUser(id));
            simulator.control().addConnection(id, "ALPACA", "trade");
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
        int processCount = scenario.processes.size();
        try (SnapTradeSimulator simulator = SnapTradeSimulator.start(config)) {
            Map<String, String> secrets = new HashMap<>();
            for (int i = 0; i < processCount; i++) {
                for (CallPriority priority : CallPriority.values()) {
                    String user = userOf(i, priority);
                    secrets.put(user, simulator.control().seedUser(user));
                    simulator.control().addConnection(user, "ALPACA", "trade");
                }
            }
            simulator.requests().clear();
            String table = dynalite.createTable();
            long startAt = System.currentTimeMillis() + STARTUP_MILLIS;
            long endAt = startAt + WINDOW.toMillis() * scenario.windows + SUB_WINDOW.toMillis();
            List<Process> processes = new ArrayList<>();
            for (int i = 0; i < processCount; i++) {
                Shape shape = scenario.processes.get(i);
                Map<String, String> env = new HashMap<>();
                env.put("DYNAMODB_ENDPOINT", dynalite.endpoint().toString());
                env.put("TABLE_NAME", table);
                env.put("SIM_URL", simulator.baseUrl());
                for (CallPriority priority : CallPriority.values()) {
                    String user = userOf(i, priority);
                    env.put(priority.name() + "_USER_ID", user);
                    env.put(priority.name() + "_USER_SECRET", secrets.get(user));
                }
                env.put("LIMIT", Integer.toString(PLAN.limit()));
                env.put("APP_RESERVED", Integer.toString(PLAN.appReserved()));
                env.put("INTERACTIVE_RESERVED", Integer.toString(PLAN.interactiveReserved()));
                env.put("WINDOW_MILLIS", Long.toString(PLAN.window().toMillis()));
                env.put("SUB_WINDOW_MILLIS", Long.toString(PLAN.subWindow().toMillis()));
                env.put("SLACK", Integer.toString(PLAN.slack()));
                env.put("BLOCK", Integer.toString(PLAN.block()));
                // the fallback, should DynamoDB fail: each gateway that calls its share of the budget
                long gateways = scenario.processes.stream().mapToLong(Shape::gateways).sum();
                env.put("OWN_LIMIT", Long.toString(PLAN.budget() / gateways));
                env.put("RETRY_BUDGET_MILLIS", Long.toString(RETRY_BUDGET.toMillis()));
                env.put("START_AT", Long.toString(startAt));
                env.put("END_AT", Long.toString(endAt));
                env.put("THINK_MILLIS", Long.toString(shape.thinkMillis));
                env.put("BURST", Integer.toString(shape.burst));
                env.put("BACKGROUND_THREADS", Integer.toString(shape.background));
                env.put("INTERACTIVE_THREADS", Integer.toString(shape.interactive));
                env.put("RESULT", dir.resolve("result-" + i).toString());
                env.put("CALLS", dir.resolve("calls-" + i).toString());
                processes.add(start(env, dir.resolve("out-" + i)));
            }
            List<Properties> counts = new ArrayList<>();
            List<long[]> calls = new ArrayList<>();
            for (int i = 0; i < processCount; i++) {
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
                String failures = Files.readAllLines(dir.resolve("out-" + i), StandardCharsets.UTF_8).stream()
                        .filter(l -> l.contains(" failed after ")).reduce("", (a, b) -> a + "\n    " + b);
                if (!failures.isEmpty()) {
                    System.err.println("  process " + i + " failures:" + failures);
                }
            }
            return new Result(scenario, startAt, simulator.requests().all(), counts, calls);
        }
    }

    /** The user process {@code i}'s gateway of {@code priority} calls as: the simulator's log tells them apart. */
    private static String userOf(int process, CallPriority priority) {
        return "bench-p" + process + "-" + priority.name().toLowerCase(Locale.ROOT);
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
        Result prod = results.get(0);
        Result stress = results.get(1);
        Map<String, Object> f = new LinkedHashMap<>();
        f.put("utilisation", String.format(Locale.ROOT, "%.4f", prod.utilisation()));
        f.put("utilisation.text", String.format(Locale.ROOT, "**%.3f** (%.1f requests per %d-s window over %d full "
                        + "windows, %s, of the configured %d: SnapTrade's %d less an app reserve of %d; the plan's "
                        + "ceiling %.3f)", prod.utilisation(), prod.steadyMean(), WINDOW.toSeconds(),
                STEADY_WINDOWS, prod.steady(), PLAN.budget(), PLAN.limit(), PLAN.appReserved(), PLAN.ceiling()));
        long throttled = WindowCheck.throttled(prod.requests);
        f.put("unhandled429", prod.rateLimitedCalls());
        f.put("unhandled429.text", String.format(Locale.ROOT, "**%d** (429s from the simulator: %d; failed calls of "
                + "any kind: %d)", prod.rateLimitedCalls(), throttled, prod.failedCalls()));
        f.put("throttled", throttled);
        f.put("failedCalls", prod.failedCalls());
        f.put("failedCalls.text", String.format(Locale.ROOT, "**%d** (of %,d sweep and %,d interactive calls)",
                prod.failedCalls(), prod.sum("background.ok") + prod.sum("background.failed"),
                prod.sum("interactive.ok") + prod.sum("interactive.failed")));
        int busiest = WindowCheck.busiestWindow(prod.requests, WINDOW);
        f.put("busiest", busiest);
        f.put("busiest.text", String.format(Locale.ROOT, "%d of %d", busiest, PLAN.limit()));
        f.put("ceiling", String.format(Locale.ROOT, "%.4f", PLAN.ceiling()));
        f.put("ceiling.text", String.format(Locale.ROOT, "%.3f (%d sub-windows per window / a span of %d)",
                PLAN.ceiling(), PLAN.perWindow(), PLAN.span()));
        f.put("costSweep", String.format(Locale.ROOT, "%.4f", prod.cost(CallPriority.BACKGROUND)));
        f.put("costSweep.text", costText(prod, CallPriority.BACKGROUND));
        f.put("costInteractive", String.format(Locale.ROOT, "%.4f", prod.cost(CallPriority.INTERACTIVE)));
        f.put("costInteractive.text", costText(prod, CallPriority.INTERACTIVE));
        f.put("cost", String.format(Locale.ROOT, "%.4f", prod.cost()));
        f.put("cost.text", String.format(Locale.ROOT, "%.2f (%,d DynamoDB requests for %,d SnapTrade requests)",
                prod.cost(), prod.dynamoRequests(), prod.requests.size()));
        double[] waits = prod.steadyInteractiveMillis();
        double bound = SUB_WINDOW.toMillis() + latencyMillis;
        f.put("interactiveP95", String.format(Locale.ROOT, "%.4f", percentile(waits, 0.95) / bound));
        f.put("interactiveP95.text", String.format(Locale.ROOT, "**%.2f** (p95 %.0f ms of %d interactive calls; "
                        + "p50 %.0f ms, max %.0f ms; bound %.0f ms = the %d-ms sub-window + %.1f ms median request)",
                percentile(waits, 0.95) / bound, percentile(waits, 0.95), waits.length, percentile(waits, 0.5),
                percentile(waits, 1.0), bound, SUB_WINDOW.toMillis(), latencyMillis));
        f.put("stress.utilisation", String.format(Locale.ROOT, "%.4f", stress.utilisation()));
        f.put("stress.utilisation.text", String.format(Locale.ROOT, "%.3f (%s)", stress.utilisation(),
                stress.steady()));
        f.put("stress.failedCalls", stress.failedCalls());
        f.put("stress.failedCalls.text", String.format(Locale.ROOT, "%d (%d of them RATE_LIMITED; 429s from the "
                + "simulator: %d)", stress.failedCalls(), stress.rateLimitedCalls(),
                WindowCheck.throttled(stress.requests)));
        f.put("stress.cost", String.format(Locale.ROOT, "%.4f", stress.cost()));
        f.put("stress.cost.text", String.format(Locale.ROOT, "%.2f (sweeps %.2f, interactive %.2f)", stress.cost(),
                stress.cost(CallPriority.BACKGROUND), stress.cost(CallPriority.INTERACTIVE)));
        double[] stressWaits = stress.steadyInteractiveMillis();
        f.put("stress.interactiveP95", String.format(Locale.ROOT, "%.4f", percentile(stressWaits, 0.95) / bound));
        f.put("stress.interactiveP95.text", String.format(Locale.ROOT, "%.2f (p95 %.0f ms of %d calls, max %.0f ms)",
                percentile(stressWaits, 0.95) / bound, percentile(stressWaits, 0.95), stressWaits.length,
                percentile(stressWaits, 1.0)));
        BenchOutput.figures(Targets.BenchId.BUDGET.id(), f);
    }

    private static String costText(Result r, CallPriority priority) {
        String p = priority.name().toLowerCase(Locale.ROOT);
        return String.format(Locale.ROOT, "**%.2f** (%,d DynamoDB requests for %,d SnapTrade requests of the %s)",
                r.cost(priority), r.sum(p + ".dynamoRequests"), r.requestsOf(priority),
                priority == CallPriority.BACKGROUND ? "sweep" : "API instances");
    }

    private static String report(List<Result> results, double latencyMillis) {
        StringBuilder md = new StringBuilder("# Shared SnapTrade budget benchmark (issue 15)\n\n")
                .append("Written by `BudgetBench` (`dev/bench/run.sh budget`) on ")
                .append(Instant.now().truncatedTo(ChronoUnit.SECONDS)).append(", ")
                .append(Runtime.getRuntime().availableProcessors()).append(" cores, JDK ")
                .append(System.getProperty("java.version")).append(BenchOutput.quick() ? ", **quick mode** (time "
                        + "compressed ten-fold, figures not the project's)" : "").append(".\n\n");
        md.append(String.format(Locale.ROOT, "Setup: every process a JVM of its own with a background gateway (the "
                        + "sweep's) and an interactive one (the API's), each over its own `DynamoRequestWindows` on "
                        + "one dynalite table and calling `listConnections` as a user of its own; the simulator "
                        + "allows %d requests per rolling %d s. Plan: limit %d, app reserve %d, so the **configured "
                        + "limit** — what the deployment may spend per window — is %d; interactive reserve %d per "
                        + "window (%d per sub-window), sub-windows of %d ms, slack %d: caps sum to the budget over "
                        + "any %d sub-windows (%d or %d a sub-window), ceiling %d/%d = %.3f; the sweep takes slots in "
                        + "blocks of %d. Retry budget %d s.%n%n", PLAN.limit(), WINDOW.toSeconds(), PLAN.limit(),
                PLAN.appReserved(), PLAN.budget(), PLAN.interactiveReserved(), PLAN.reserve(), SUB_WINDOW.toMillis(),
                PLAN.slack(), PLAN.span(), PLAN.budget() / PLAN.span(), PLAN.budget() / PLAN.span() + 1,
                PLAN.perWindow(), PLAN.span(), PLAN.ceiling(), PLAN.block(), RETRY_BUDGET.toSeconds()));
        md.append(String.format(Locale.ROOT, "- **production** (the targets): process 0 is the sweep — the only "
                        + "background caller, as in production where it holds a lease — %d threads calling in a "
                        + "loop; processes 1–%d are API instances, each one caller (Lambda runs one request per "
                        + "instance at a time) that thinks for an exponential time of mean %.1f s, then makes 1 to "
                        + "%d calls back to back (one API request), uniformly. %d full windows measured.%n",
                SWEEP_THREADS, API_PROCESSES, API_THINK_MILLIS / 1000.0, API_BURST, STEADY_WINDOWS));
        md.append(String.format(Locale.ROOT, "- **stress** (information, no target; production never runs it): %d "
                        + "processes, each a sweep (6 threads) and an API (2 callers, think time of mean %.1f s, one "
                        + "call each) — several background processes competing for the same slots. %d full windows "
                        + "measured.%n%n", STRESS_PROCESSES, STRESS_THINK_MILLIS / 1000.0, STRESS_WINDOWS));
        md.append("All threads start at one instant; windows are counted from it, and the first (JVMs warming up) ")
                .append("is left out of the steady state (utilisation, interactive call times); the DynamoDB and ")
                .append("SnapTrade requests are counted over the whole run. DynamoDB requests are ")
                .append("`DynamoRequestWindows.requests()` of each gateway; SnapTrade requests are the simulator's ")
                .append("log (429s included), told apart by user. Median request without the limiter (another ")
                .append(String.format(Locale.ROOT, "simulator, one gateway): %.1f ms.%n%n", latencyMillis));
        md.append("| scenario | requests per window (all, from the start) | steady mean | utilisation (mean / ")
                .append(PLAN.budget()).append(") | busiest rolling window | 429s | failed calls | calls ok ")
                .append("(sweep / interactive) | interactive calls per window (steady) | DynamoDB per SnapTrade ")
                .append("request: sweep | interactive | all | slots granted | granted, not used |\n")
                .append("|---|---|---:|---:|---:|---:|---:|---|---:|---:|---:|---:|---:|---:|\n");
        for (Result r : results) {
            md.append(String.format(Locale.ROOT, "| %s | %s | %.1f | **%.3f** | %d of %d | %d | %d | %d / %d | %.1f | "
                            + "**%.2f** | **%.2f** | %.2f | %,d | %,d |%n", r.scenario.name, r.perWindow(),
                    r.steadyMean(), r.utilisation(), WindowCheck.busiestWindow(r.requests, WINDOW), PLAN.limit(),
                    WindowCheck.throttled(r.requests), r.failedCalls(), r.sum("background.ok"),
                    r.sum("interactive.ok"), r.steadyInteractiveMillis().length
                            / (double) (r.scenario.windows - 1),
                    r.cost(CallPriority.BACKGROUND), r.cost(CallPriority.INTERACTIVE), r.cost(), r.granted(),
                    r.granted() - r.requests.size()));
        }
        md.append("\nTargets (production): utilisation ≥ 0.90 of the configured limit, 0 429s, 0 failed calls; ")
                .append("DynamoDB requests per SnapTrade request ≤ 0.3 for the sweep's blocks and ≤ 1 for the ")
                .append("interactive callers' single slots; interactive p95 ≤ one sub-window + a request.\n\n")
                .append("## Per process\n\n")
                .append("| scenario | process | threads (sweep / interactive) | calls ok | failed | SnapTrade ")
                .append("requests | DynamoDB requests | per SnapTrade request |\n")
                .append("|---|---:|---|---:|---:|---:|---:|---:|\n");
        for (Result r : results) {
            for (int i = 0; i < r.counts.size(); i++) {
                Properties c = r.counts.get(i);
                Shape shape = r.scenario.processes.get(i);
                long dynamo = number(c, "background.dynamoRequests") + number(c, "interactive.dynamoRequests");
                long snap = r.requestsOf(i);
                md.append(String.format(Locale.ROOT, "| %s | %d | %d / %d | %,d | %d | %,d | %,d | %.2f |%n",
                        r.scenario.name, i, shape.background, shape.interactive, number(c, "background.ok")
                                + number(c, "interactive.ok"), number(c, "background.failed")
                                + number(c, "interactive.failed"), snap, dynamo, dynamo / (double) Math.max(1, snap)));
            }
        }
        md.append("\n## Where the DynamoDB requests go\n\n")
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
                String p = priority.name().toLowerCase(Locale.ROOT);
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
            md.append(String.format(Locale.ROOT, "%s, per sub-window: sweep %.2f takes (%.2f granted nothing) for "
                            + "%.2f SnapTrade requests; interactive %.2f takes (%.2f granted nothing) for %.2f.%n%n",
                    r.scenario.name, r.takes("background") / (double) subWindows,
                    r.noneTakes("background") / (double) subWindows,
                    r.requestsOf(CallPriority.BACKGROUND) / (double) subWindows,
                    r.takes("interactive") / (double) subWindows, r.noneTakes("interactive") / (double) subWindows,
                    r.requestsOf(CallPriority.INTERACTIVE) / (double) subWindows));
        }
        md.append("## Interactive calls\n\n")
                .append("Each interactive call timed whole (waiting for its slot, and the request), steady state ")
                .append("only; also split by when in its sub-window a call began (the sweep may take what is left ")
                .append("of the interactive reserve in the last quarter). Target: a wait of at most one ")
                .append("sub-window, i.e. p95 ≲ sub-window + request (")
                .append(String.format(Locale.ROOT, "%d + %.1f ms", SUB_WINDOW.toMillis(), latencyMillis))
                .append(").\n\n| scenario | calls | failed | p50 | p95 | max | p95 / (sub-window + request) |\n")
                .append("|---|---:|---:|---:|---:|---:|---:|\n");
        for (Result r : results) {
            row(md, r.scenario.name, r.steadyInteractiveMillis(), r.steadyInteractiveFailed(), latencyMillis);
            row(md, r.scenario.name + ", begun in a sub-window's first three quarters", r.steadyInteractiveMillis(
                    false), -1, latencyMillis);
            row(md, r.scenario.name + ", begun in its last quarter", r.steadyInteractiveMillis(true), -1,
                    latencyMillis);
        }
        return md.toString();
    }

    private static void row(StringBuilder md, String name, double[] waits, long failed, double latencyMillis) {
        md.append(String.format(Locale.ROOT, "| %s | %d | %s | %.0f ms | %.0f ms | %.0f ms | **%.2f** |%n", name,
                waits.length, failed < 0 ? "" : Long.toString(failed), percentile(waits, 0.5),
                percentile(waits, 0.95), percentile(waits, 1.0),
                percentile(waits, 0.95) / (SUB_WINDOW.toMillis() + latencyMillis)));
    }

    private static long number(Properties p, String key) {
        return Long.parseLong(p.getProperty(key, "0"));
    }

    /** What a process runs: sweep threads, interactive callers (with their think time and calls per request). */
    record Shape(int background, int interactive, long thinkMillis, int burst) {
        long gateways() {
            return (background > 0 ? 1 : 0) + (interactive > 0 ? 1 : 0);
        }
    }

    /** A run: its name, its processes and how many windows it lasts. */
    private record Scenario(String name, List<Shape> processes, int windows) {
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
            return counts.stream().mapToLong(p -> number(p, key)).sum();
        }

        /** SnapTrade requests (429s included) of every process's gateway of {@code priority}. */
        long requestsOf(CallPriority priority) {
            String suffix = "-" + priority.name().toLowerCase(Locale.ROOT);
            return requests.stream().filter(r -> String.valueOf(r.queryParam("userId")).endsWith(suffix)).count();
        }

        /** SnapTrade requests of process {@code i}. */
        long requestsOf(int i) {
            String prefix = "bench-p" + i + "-";
            return requests.stream().filter(r -> String.valueOf(r.queryParam("userId")).startsWith(prefix)).count();
        }

        long dynamoRequests() {
            return sum("background.dynamoRequests") + sum("interactive.dynamoRequests");
        }

        long granted() {
            return sum("background.take.shared.granted") + sum("background.take.reserved.granted")
                    + sum("interactive.take.shared.granted") + sum("interactive.take.reserved.granted");
        }

        long takes(String gateway) {
            return sum(gateway + ".take.shared.requests") + sum(gateway + ".take.reserved.requests");
        }

        long noneTakes(String gateway) {
            return sum(gateway + ".take.shared.none") + sum(gateway + ".take.reserved.none");
        }

        double cost() {
            return dynamoRequests() / (double) requests.size();
        }

        double cost(CallPriority priority) {
            return sum(priority.name().toLowerCase(Locale.ROOT) + ".dynamoRequests")
                    / (double) Math.max(1, requestsOf(priority));
        }

        long failedCalls() {
            return sum("background.failed") + sum("interactive.failed");
        }

        long rateLimitedCalls() {
            return sum("background.rateLimited") + sum("interactive.rateLimited");
        }

        private boolean steady(long[] call) {
            return call[0] >= startAt + WINDOW.toMillis();
        }

        /** Interactive calls begun after the first window, in milliseconds. */
        double[] steadyInteractiveMillis() {
            return calls.stream().filter(this::steady).mapToDouble(c -> c[1] / 1000.0).toArray();
        }

        long steadyInteractiveFailed() {
            return calls.stream().filter(this::steady).filter(c -> c[2] == 0).count();
        }

        /** The same, begun in the last quarter of their sub-window or not. */
        double[] steadyInteractiveMillis(boolean lastQuarter) {
            long sub = SUB_WINDOW.toMillis();
            return calls.stream().filter(this::steady)
                    .filter(c -> (Math.floorMod(c[0], sub) >= sub * 3 / 4) == lastQuarter)
                    .mapToDouble(c -> c[1] / 1000.0).toArray();
        }
    }
}
