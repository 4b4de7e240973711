package com.connectionkeeper.sweep;

import com.connectionkeeper.bench.BenchOutput;
import com.connectionkeeper.bench.Targets;
import com.connectionkeeper.core.model.RetryBackoff;
import com.connectionkeeper.core.sweep.SweepPlanner;
import com.connectionkeeper.core.sweep.UserSweep;
import com.connectionkeeper.kms.KmsSealer;
import com.connectionkeeper.simulator.Endpoint;
import com.connectionkeeper.simulator.Fault;
import com.connectionkeeper.simulator.SimulatorConfig;
import com.connectionkeeper.simulator.SnapTradeSimulator;
import com.connectionkeeper.snaptrade.Sleeper;
import com.connectionkeeper.snaptrade.SnapTradeSdkGateway;
import com.connectionkeeper.snaptrade.SnapTradeSettings;
import com.connectionkeeper.store.DynamoStores;
import com.connectionkeeper.testkit.Dynalite;
import com.connectionkeeper.testkit.LoopbackKms;
import java.nio.file.Files;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.kms.KmsClient;

/**
 * On-demand benchmark (not a test): one sweep pass over N simulated users with SnapTrade's limit compressed to 250
 * per 5 s; reports how much of the limit the sweep used, 429s, whether each user was checked exactly once, and how
 * many KMS decryptions the pass cost (the users' secrets are sealed by the KMS sealer, through the real KMS client,
 * against the loopback KMS; some list requests fail once with a 503, so the gateway retries within the run).
 * Run: {@code dev/bench/run.sh sweep} (writes dev/bench/sweep-results.md)
 */
public final class SweepBench {
    private static final int LIMIT = 250;
    private static final Duration WINDOW = Duration.ofSeconds(5);
    /** List requests answered 503 once (each retried by the gateway within its check). */
    private static final int TRANSIENT_FAILURES = 50;

    private SweepBench() {
    }

    public static void main(String[] args) throws Exception {
        int users = args.length > 0 ? Integer.parseInt(args[0]) : BenchOutput.pick(2000, 300);
        try (SnapTradeSimulator sim = SnapTradeSimulator.start(SimulatorConfig.builder("BENCH", "bench-consumer-key")
                .rateLimit(LIMIT).window(WINDOW).build());
             LoopbackKms kms = new LoopbackKms();
             KmsClient kmsClient = KmsClient.builder().endpointOverride(kms.endpoint()).region(Region.US_EAST_1)
                     .credentialsProvider(StaticCredentialsProvider.create(
                             AwsBasicCredentials.create("bench", "bench")))
                     .build()) {
            DynamoStores store = DynamoStores.create(Dynalite.client(), Dynalite.createTable(), Duration.ofDays(1),
                    new KmsSealer(kmsClient, kms.createKey()));
            for (int i = 0; i < users; i++) {
                String user = "bench-" + i;
                store.secrets().saveUserSecret(user, sim.control().seedUser(user));
                String c = sim.control().addConnection(user, "ALPACA", "read");
                if (ThreadLocalRandom.current().nextInt(10) == 0) {
                    sim.control().breakConnection(c);
                }
            }
            SnapTradeSettings settings = SnapTradeSettings.of("BENCH", "bench-consumer-key")
                    .withBaseUrl(sim.baseUrl()).withRateLimit(LIMIT, WINDOW);
            SnapTradeSdkGateway gateway = new SnapTradeSdkGateway(settings, Sleeper.SYSTEM,
                    () -> ThreadLocalRandom.current().nextDouble(), line -> { });
            UserSweep check = new UserSweep(store.connections(), store.secrets(), store.sweepQueue(), gateway,
                    Clock.systemUTC(), RetryBackoff.DEFAULT);
            SweepRun run = new SweepRun(store.sweepQueue(), new SweepPlanner(store.sweepQueue()), check,
                    Clock.systemUTC(),
                    new SweepSettings(LIMIT, 16, SweepSettings.marginFor(settings.retryBudget())));
            sim.requests().clear();
            sim.faults().inject(Endpoint.LIST_AUTHORIZATIONS, Fault.serverError(503).times(TRANSIENT_FAILURES));
            int decryptsBefore = kms.calls("Decrypt");
            Instant start = Instant.now();
            int runs = 0;
            int checked = 0;
            while (checked < users && runs < users) {
                SweepSummary s = run.run("bench-run-" + runs, () -> Duration.ofMinutes(10).toMillis());
                checked += s.usersChecked();
                runs++;
            }
            Duration elapsed = Duration.between(start, Instant.now());
            int decrypts = kms.calls("Decrypt") - decryptsBefore;
            long failedOnce = sim.requests().of(Endpoint.LIST_AUTHORIZATIONS).stream()
                    .filter(r -> r.status() == 503).count();
            Map<String, Integer> perUser = new HashMap<>();
            sim.requests().of(Endpoint.LIST_AUTHORIZATIONS).stream().filter(r -> r.status() == 200)
                    .forEach(r -> perUser.merge(r.queryParam("userId"), 1, Integer::sum));
            long throttled = sim.requests().all().stream().filter(r -> r.status() == 429).count();
            int listed = perUser.values().stream().mapToInt(Integer::intValue).sum() + (int) failedOnce;
            double budget = LIMIT * (elapsed.toMillis() / (double) WINDOW.toMillis());
            boolean oncePerPass = perUser.size() == users && perUser.values().stream().allMatch(n -> n == 1);
            String report = String.format("""
                    # Sweep benchmark

                    Written by `SweepBench` on %s (%d cores, JDK %s), against the simulator (limit %d per %d s, SnapTrade's
                    minute compressed), dynalite and the loopback KMS (secrets sealed by `KmsSealer`). One pass over %d
                    users (1 connection each, ~10 %% broken), runs of %d users, 16 at a time; %d list requests answered
                    503 once (the gateway retries them within the check).

                    | measure | value | target |
                    |---|---:|---|
                    | runs for the pass | %d | ceil((N + retries) / %d) = %d |
                    | elapsed | %.1f s | |
                    | list requests answered (503s included) | %d | |
                    | requests used / budget (limit × elapsed windows) | %.2f | ≥ 0.90 |
                    | 429s from the simulator | %d | 0 |
                    | each user checked exactly once in the pass | %s | yes |
                    | retries within a run (503 answered, then retried) | %d | %d |
                    | KMS Decrypt calls in the pass / users checked | %d / %d = %.2f | 1.00 (one per user, none per \
                    retry) |
                    """, Instant.now(), Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"),
                    LIMIT, WINDOW.toSeconds(), users, LIMIT, TRANSIENT_FAILURES, runs, LIMIT,
                    (users + TRANSIENT_FAILURES + LIMIT - 1) / LIMIT, elapsed.toMillis() / 1000.0, listed,
                    listed / budget, throttled,
                    oncePerPass ? "yes" : "no", failedOnce, TRANSIENT_FAILURES, decrypts, checked,
                    decrypts / (double) checked);
            System.out.println(report);
            Files.writeString(BenchOutput.results(Targets.BenchId.SWEEP.results()), report);
            int minimum = (users + TRANSIENT_FAILURES + LIMIT - 1) / LIMIT;
            BenchOutput.figures(Targets.BenchId.SWEEP.id(), Map.of(
                    "runsOverMinimum", runs - minimum,
                    "runsOverMinimum.text", String.format(Locale.ROOT, "%d (%d runs for %,d users and %d retries; "
                            + "ceil(%,d / %d) = %d)", runs - minimum, runs, users, TRANSIENT_FAILURES,
                            users + TRANSIENT_FAILURES, LIMIT, minimum),
                    "usedOfBudget", String.format(Locale.ROOT, "%.4f", listed / budget),
                    "usedOfBudget.text", String.format(Locale.ROOT, "**%.2f** (%,d requests in %.1f s)",
                            listed / budget, listed, elapsed.toMillis() / 1000.0),
                    "throttled", throttled,
                    "checkedOnce", oncePerPass ? 1 : 0,
                    "checkedOnce.text", (oncePerPass ? "yes" : "**no**") + String.format(Locale.ROOT,
                            " (%,d users, %,d checked)", users, checked),
                    "decryptsPerUser", String.format(Locale.ROOT, "%.4f", decrypts / (double) checked),
                    "decryptsPerUser.text", String.format(Locale.ROOT, "**%.2f** (%,d / %,d)",
                            decrypts / (double) checked, decrypts, checked)));
        }
    }
}
