package com.connectionkeeper.snaptrade;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.connectionkeeper.simulator.Endpoint;
import com.connectionkeeper.simulator.Fault;
import com.connectionkeeper.simulator.RecordedRequest;
import com.connectionkeeper.simulator.SimulatorConfig;
import com.connectionkeeper.simulator.SnapTradeSimulator;
import com.connectionkeeper.testkit.Dynalite;
import com.connectionkeeper.testkit.Integration;
import com.connectionkeeper.testkit.OwnJvm;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Three JVMs — each a sweep (background, 6 threads) and an API instance (interactive, 2 threads) — share one
 * SnapTrade client id through the count in dynalite, against the simulator's rolling window at the limit, on a minute
 * compressed to 6 s (sub-windows of 200 ms). SnapTrade must never count more than its limit in any window.
 */
@Integration
class SharedBudgetProcessesTest {
    private static final int PROCESSES = 3;
    private static final long RUN_MILLIS = 15_000;

    @TempDir
    Path dir;
    private SnapTradeSimulator simulator;
    private String tableName;
    private String userId;
    private String userSecret;

    @BeforeEach
    void start() {
        simulator = SnapTradeSimulator.start(SimulatorConfig.builder(SimulatedSnapTrade.CLIENT_ID,
                SimulatedSnapTrade.CONSUMER_KEY).rateLimit(BudgetProcess.LIMIT).window(BudgetProcess.WINDOW).build());
        userId = "budget-user";
        userSecret = simulator.control().seedUser(userId);
        tableName = Dynalite.createTable();
        simulator.requests().clear();
    }

    @AfterEach
    void stop() {
        simulator.close();
    }

    @Test
    void threeProcessesKeepTheLimitInEveryWindowAndSpendIt() throws Exception {
        List<String> results = runProcesses(Dynalite.endpoint().toString(), BudgetProcess.LIMIT, null);

        List<RecordedRequest> requests = simulator.requests().all();
        assertEquals(0, WindowCheck.throttled(requests), "no 429: nobody went over SnapTrade's limit");
        int busiest = WindowCheck.busiestWindow(requests, BudgetProcess.WINDOW);
        assertTrue(busiest <= BudgetProcess.LIMIT, "busiest window " + busiest);
        results.forEach(r -> assertTrue(r.contains("failed=0") && r.contains("fallbacks=0"), r));
        double utilisation = steadyUtilisation(requests);
        System.out.printf("shared budget, 3 processes: busiest window %d of %d, utilisation %.3f%n", busiest,
                BudgetProcess.LIMIT, utilisation);
        assertTrue(utilisation >= 0.80, "spends the budget: " + utilisation);
    }

    @Test
    void a429PausesEveryProcess() throws Exception {
        Duration pause = Duration.ofSeconds(3);
        List<String> results = runProcesses(Dynalite.endpoint().toString(), BudgetProcess.LIMIT, () -> {
            sleep(6_000);
            simulator.faults().inject(Endpoint.LIST_AUTHORIZATIONS, Fault.rateLimited(pause).times(1));
        });

        List<RecordedRequest> requests = simulator.requests().all();
        List<RecordedRequest> throttled = requests.stream().filter(r -> r.status() == 429).toList();
        assertEquals(1, throttled.size(), "the one injected");
        Instant at = throttled.get(0).received();
        // requests whose slot was granted before the pause was written may still arrive: within one DynamoDB write
        // (well under a second here, on dynalite under the load of three processes)
        Instant from = at.plusSeconds(1);
        Instant to = at.plus(pause).minus(BudgetProcess.SUB_WINDOW);
        long during = requests.stream().filter(r -> r.received().isAfter(from) && r.received().isBefore(to)).count();
        long after = requests.stream().filter(r -> r.received().isAfter(at.plus(pause))).count();
        assertEquals(0, during, "no process sent anything during the pause: " + results);
        assertTrue(after > 100, "and all went on after it: " + after);
        results.forEach(r -> assertTrue(r.contains("failed=0"), "the 429 was handled (paused, retried): " + r));
    }

    @Test
    void withDynamoDbDownEachProcessKeepsToItsOwnShareAndTheLimitHolds() throws Exception {
        int own = BudgetProcess.LIMIT / (2 * PROCESSES); // each process runs two gateways (a sweep, an API instance)
        List<String> results = runProcesses("http://127.0.0.1:9", own, null);

        List<RecordedRequest> requests = simulator.requests().all();
        assertEquals(0, WindowCheck.throttled(requests));
        int busiest = WindowCheck.busiestWindow(requests, BudgetProcess.WINDOW);
        assertTrue(busiest <= 2 * PROCESSES * own, "busiest window " + busiest);
        assertTrue(busiest >= 2 * PROCESSES * own * 0.9, "each spent its own share: " + busiest);
        results.forEach(r -> assertTrue(r.contains("failed=0") && !r.contains("fallbacks=0"), r));
    }

    /** Starts the processes, runs {@code during} (if any) meanwhile, and returns each one's result line. */
    private List<String> runProcesses(String dynamoEndpoint, int ownLimit, Runnable during) throws Exception {
        List<Process> processes = new ArrayList<>();
        List<Path> resultFiles = new ArrayList<>();
        for (int i = 0; i < PROCESSES; i++) {
            Path result = dir.resolve("result-" + i);
            resultFiles.add(result);
            Map<String, String> env = new HashMap<>();
            env.put("DYNAMODB_ENDPOINT", dynamoEndpoint);
            env.put("TABLE_NAME", tableName);
            env.put("SIM_URL", simulator.baseUrl());
            env.put("OWN_LIMIT", Integer.toString(ownLimit));
            env.put("USER_ID", userId);
            env.put("USER_SECRET", userSecret);
            env.put("RUN_MILLIS", Long.toString(RUN_MILLIS));
            env.put("BACKGROUND_THREADS", "6");
            env.put("INTERACTIVE_THREADS", "2");
            env.put("RESULT", result.toString());
            processes.add(start(env, dir.resolve("out-" + i)));
        }
        if (during != null) {
            during.run();
        }
        List<String> results = new ArrayList<>();
        for (int i = 0; i < PROCESSES; i++) {
            Process p = processes.get(i);
            if (!p.waitFor(RUN_MILLIS + 60_000, TimeUnit.MILLISECONDS)) {
                p.destroyForcibly();
                throw new AssertionError("process " + i + " did not finish");
            }
            Path out = dir.resolve("out-" + i);
            assertEquals(0, p.exitValue(), "process " + i + ": " + tail(out));
            // each failed call's reason, for the assertions' messages
            String failures = Files.readAllLines(out).stream().filter(l -> l.startsWith("failed: ")).limit(5)
                    .reduce("", (a, b) -> a + " | " + b);
            results.add(Files.readString(resultFiles.get(i)) + failures);
        }
        return results;
    }

    private static Process start(Map<String, String> env, Path out) throws IOException {
        return OwnJvm.builder(BudgetProcess.class, env).redirectErrorStream(true).redirectOutput(out.toFile()).start();
    }

    /** Requests SnapTrade accepted per window, over the windows after the first (JVMs starting) and before the last. */
    private static double steadyUtilisation(List<RecordedRequest> requests) {
        List<Instant> times = requests.stream().filter(r -> r.status() != 429).map(RecordedRequest::received)
                .sorted().toList();
        Instant from = times.get(0).plus(BudgetProcess.WINDOW);
        Instant to = from.plus(BudgetProcess.WINDOW);
        long in = times.stream().filter(t -> !t.isBefore(from) && t.isBefore(to)).count();
        return in / (double) BudgetProcess.LIMIT;
    }

    private static String tail(Path file) throws IOException {
        String text = Files.exists(file) ? Files.readString(file) : "";
        return text.substring(Math.max(0, text.length() - 2000));
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
