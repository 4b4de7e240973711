package com.connectionkeeper.snaptrade;

import com.connectionkeeper.bench.BenchOutput;
import com.connectionkeeper.bench.Targets;
import com.connectionkeeper.core.snaptrade.SnapTradeException;
import com.connectionkeeper.core.snaptrade.UserCredentials;
import com.connectionkeeper.simulator.Endpoint;
import com.connectionkeeper.simulator.Fault;
import com.connectionkeeper.simulator.RecordedRequest;
import com.connectionkeeper.simulator.SimulatorConfig;
import com.connectionkeeper.simulator.SnapTradeSimulator;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * On demand (see the module README): 16 callers share one gateway against a simulator allowing 250 requests per
 * compressed minute; reports the share of the limit used in steady state and the 429s, into
 * dev/bench/ratelimit-results.md.
 */
public final class RateLimitBench {
    private static final int SERVER_LIMIT = 250;
    private static final Duration WINDOW = Duration.ofSeconds(5);
    private static final int WINDOWS = BenchOutput.pick(8, 3);
    private static final int THREADS = 16;
    private static final Duration SLOW = Duration.ofMillis(200);
    private static final double SLOW_SHARE = 0.3;

    private RateLimitBench() {
    }

    public static void main(String[] args) throws Exception {
        List<Result> results = new ArrayList<>();
        for (Scenario scenario : List.of(new Scenario(SERVER_LIMIT, false), new Scenario(SERVER_LIMIT, true),
                new Scenario(SERVER_LIMIT * 4 / 5, false))) {
            System.err.println(scenario.describe() + ", " + WINDOWS + " windows...");
            results.add(run(scenario));
        }
        String report = report(results);
        System.out.print(report);
        Path out = BenchOutput.results(Targets.BenchId.RATELIMIT.results());
        Files.writeString(out, report, StandardCharsets.UTF_8);
        figures(results);
        System.err.println("written to " + out.toAbsolutePath().normalize());
    }

    private static Result run(Scenario scenario) throws Exception {
        SimulatorConfig config = SimulatorConfig.builder(SimulatedSnapTrade.CLIENT_ID, SimulatedSnapTrade.CONSUMER_KEY)
                .rateLimit(SERVER_LIMIT).window(WINDOW).build();
        try (SnapTradeSimulator simulator = SnapTradeSimulator.start(config)) {
            AtomicInteger logLines = new AtomicInteger();
            SnapTradeSdkGateway gateway = new SnapTradeSdkGateway(
                    SimulatedSnapTrade.fastSettings(simulator.baseUrl()).withRateLimit(scenario.gatewayLimit, WINDOW)
                            .withRetryBudget(WINDOW.multipliedBy(2)),
                    Sleeper.SYSTEM, () -> ThreadLocalRandom.current().nextDouble(), line -> logLines.incrementAndGet());
            String userId = "bench-user";
            UserCredentials user = new UserCredentials(userId, simulator.control().seedUser(userId));
            simulator.control().addConnection(userId, "ALPACA", "trade");
            if (scenario.slowAnswers) {
                simulator.faults().inject(Endpoint.LIST_AUTHORIZATIONS, Fault.latency(SLOW).fraction(SLOW_SHARE));
            }
            AtomicInteger ok = new AtomicInteger();
            AtomicInteger rateLimited = new AtomicInteger();
            AtomicInteger otherFailures = new AtomicInteger();
            long end = System.nanoTime() + WINDOW.multipliedBy(WINDOWS).toNanos();
            ExecutorService pool = Executors.newFixedThreadPool(THREADS);
            List<Future<?>> callers = new ArrayList<>();
            for (int i = 0; i < THREADS; i++) {
                callers.add(pool.submit(() -> {
                    while (System.nanoTime() < end) {
                        try {
                            gateway.listConnections(user);
                            ok.incrementAndGet();
                        } catch (SnapTradeException e) {
                            (e.kind() == SnapTradeException.Kind.RATE_LIMITED ? rateLimited : otherFailures)
                                    .incrementAndGet();
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> caller : callers) {
                caller.get();
            }
            pool.shutdown();
            return new Result(scenario, simulator.requests().all(), ok.get(), rateLimited.get(),
                    otherFailures.get(), logLines.get());
        }
    }

    /** For the report: the worst share used at the simulator's limit, every unhandled 429, the production share. */
    private static void figures(List<Result> results) {
        double used = results.stream().filter(r -> r.scenario.gatewayLimit == SERVER_LIMIT)
                .mapToDouble(Result::usedPercent).min().orElse(Double.NaN);
        double production = results.stream().filter(r -> r.scenario.gatewayLimit < SERVER_LIMIT)
                .mapToDouble(Result::usedPercent).min().orElse(Double.NaN);
        int unhandled = results.stream().mapToInt(r -> r.rateLimited).sum();
        long throttled = results.stream().mapToLong(r -> WindowCheck.throttled(r.requests)).sum();
        BenchOutput.figures(Targets.BenchId.RATELIMIT.id(), Map.of(
                "usedPercent", String.format(Locale.ROOT, "%.2f", used),
                "usedPercent.text", String.format(Locale.ROOT, "**%.1f %%** (16 callers, %d windows of %d s, also with "
                        + "%d %% of answers slow)", used, WINDOWS, WINDOW.toSeconds(), Math.round(SLOW_SHARE * 100)),
                "unhandled429", unhandled,
                "unhandled429.text", String.format(Locale.ROOT, "**%d** (429s from the simulator: %d)", unhandled,
                        throttled),
                "productionPercent", String.format(Locale.ROOT, "%.2f", production),
                "productionPercent.text", String.format(Locale.ROOT, "%.1f %% (by design: headroom for other "
                        + "processes sharing the client id)", production)));
    }

    private static String report(List<Result> results) {
        StringBuilder md = new StringBuilder("# SnapTrade rate-limit benchmark\n\n")
                .append("Written by `RateLimitBench` (`dev/bench/run.sh ratelimit`) on ")
                .append(Instant.now().truncatedTo(ChronoUnit.SECONDS)).append(", ")
                .append(Runtime.getRuntime().availableProcessors()).append(" cores, JDK ")
                .append(System.getProperty("java.version")).append(".\n\n")
                .append("Simulator: ").append(SERVER_LIMIT).append(" requests per rolling ").append(WINDOW.toSeconds())
                .append(" s (SnapTrade's minute, compressed). ").append(THREADS)
                .append(" threads call `listConnections` in a loop on one shared gateway for ").append(WINDOWS)
                .append(" windows. Steady state = windows 2..").append(WINDOWS)
                .append(" (counted from the first request); the first holds the initial burst.\n\n")
                .append("| scenario | calls ok | requests accepted | steady state: accepted per window | ")
                .append("% of the simulator's limit used | busiest rolling window | 429s from the simulator | ")
                .append("unhandled 429s (RATE_LIMITED to callers) | other failures | log lines |\n")
                .append("|---|---:|---:|---|---:|---:|---:|---:|---:|---:|\n");
        for (Result r : results) {
            List<Integer> steady = r.perWindow().subList(1, WINDOWS);
            double used = r.usedPercent();
            md.append(String.format(Locale.ROOT, "| %s | %d | %d | %s | **%.1f %%** | %d | %d | **%d** | %d | %d |%n",
                    r.scenario.describe(), r.ok, r.accepted().size(), steady,
                    used, WindowCheck.busiestWindow(r.requests, WINDOW), WindowCheck.throttled(r.requests),
                    r.rateLimited, r.otherFailures, r.logLines));
        }
        md.append("\nTargets: ≥ 90 % of the limit used with the gateway set to the simulator's limit; 0 unhandled 429s. ")
                .append("Slow answers: ").append(Math.round(SLOW_SHARE * 100)).append(" % of answers delayed ")
                .append(SLOW.toMillis()).append(" ms, so requests reach the server out of the order they were ")
                .append("granted in. The last row is the production ratio (200 of SnapTrade's 250): 80 % by design, ")
                .append("the headroom left for other processes sharing the client id.\n");
        return md.toString();
    }

    /** The gateway's limit, and whether some answers are slow. */
    private record Scenario(int gatewayLimit, boolean slowAnswers) {
        String describe() {
            return "gateway " + gatewayLimit + " per " + WINDOW.toSeconds() + " s" + (slowAnswers ? ", slow answers" : "");
        }
    }

    /** One run's outcome. */
    private record Result(Scenario scenario, List<RecordedRequest> requests, int ok, int rateLimited,
                          int otherFailures, int logLines) {
        List<RecordedRequest> accepted() {
            return requests.stream().filter(r -> r.status() != 429).toList();
        }

        /** Accepted requests per window of the steady state (all but the first), as a share of the limit. */
        double usedPercent() {
            List<Integer> steady = perWindow().subList(1, WINDOWS);
            return 100.0 * steady.stream().mapToInt(Integer::intValue).sum() / (steady.size() * SERVER_LIMIT);
        }

        /** Accepted requests per window, windows counted from the first request. */
        List<Integer> perWindow() {
            List<RecordedRequest> accepted = accepted();
            Instant first = accepted.stream().map(RecordedRequest::received).min(Instant::compareTo).orElseThrow();
            int[] counts = new int[WINDOWS];
            for (RecordedRequest r : accepted) {
                long index = Duration.between(first, r.received()).toNanos() / WINDOW.toNanos();
                if (index < WINDOWS) {
                    counts[(int) index]++;
                }
            }
            return Arrays.stream(counts).boxed().toList();
        }
    }
}
