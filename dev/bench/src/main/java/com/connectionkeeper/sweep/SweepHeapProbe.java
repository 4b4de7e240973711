package com.connectionkeeper.sweep;

import com.connectionkeeper.core.config.EnvironmentConfig;
import com.connectionkeeper.core.model.RetryBackoff;
import com.connectionkeeper.core.secrets.LocalSealer;
import com.connectionkeeper.core.sweep.SweepPlanner;
import com.connectionkeeper.core.sweep.UserSweep;
import com.connectionkeeper.snaptrade.Sleeper;
import com.connectionkeeper.snaptrade.SnapTradeSdkGateway;
import com.connectionkeeper.snaptrade.SnapTradeSettings;
import com.connectionkeeper.store.DynamoClients;
import com.connectionkeeper.store.DynamoStores;
import java.io.IOException;
import java.io.Writer;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.LongSupplier;
import java.util.stream.Collectors;

/**
 * The measured side of {@link SweepHeapBench}, run in a JVM of its own that holds nothing but the sweep: the
 * production wiring (DynamoDB client of {@link DynamoClients}, {@link DynamoStores}, {@link SnapTradeSdkGateway},
 * {@link UserSweep}, {@link SweepRun}) against an out-of-process dynalite and simulator. Makes a fixed number of runs,
 * watches the heap after every garbage collection, forces a full one after each run, and writes its figures as a
 * properties file. The consumer key comes from the environment ({@code SNAPTRADE_CONSUMER_KEY}).
 *
 * <p>Arguments: {@code --dynamo URI --table NAME --snaptrade URL --client-id ID --runs R --run-size S
 * --concurrency C --out FILE}.
 */
public final class SweepHeapProbe {
    private static final LongSupplier PLENTY_OF_TIME = () -> Duration.ofMinutes(10).toMillis();

    private SweepHeapProbe() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> options = options(args);
        int runs = Integer.parseInt(options.get("runs"));
        int runSize = Integer.parseInt(options.get("run-size"));
        int concurrency = Integer.parseInt(options.get("concurrency"));
        HeapWatch watch = HeapWatch.install();

        String table = options.get("table");
        IndexReadCounter indexReads = IndexReadCounter.wrap(DynamoClients.create(new EnvironmentConfig(Map.of(
                EnvironmentConfig.TABLE_NAME, table,
                EnvironmentConfig.DYNAMODB_ENDPOINT, options.get("dynamo")))));
        DynamoStores store = DynamoStores.create(indexReads.client(), table, Duration.ofDays(400),
                LocalSealer.ephemeral());
        // SnapTrade's limit out of the way (the simulator's is set high too): the bench measures memory, not pacing
        SnapTradeSettings settings = SnapTradeSettings.of(options.get("client-id"),
                        System.getenv(SnapTradeSettings.ENV_CONSUMER_KEY))
                .withBaseUrl(options.get("snaptrade")).withRateLimit(1_000_000, Duration.ofSeconds(1));
        SnapTradeSdkGateway gateway = new SnapTradeSdkGateway(settings, Sleeper.SYSTEM,
                () -> ThreadLocalRandom.current().nextDouble(), System.out::println);
        Clock clock = Clock.systemUTC();
        SweepRun sweep = new SweepRun(store.sweepQueue(), new SweepPlanner(store.sweepQueue()), new UserSweep(
                store.connections(), store.secrets(), store.sweepQueue(), gateway, clock, RetryBackoff.DEFAULT), clock, new SweepSettings(runSize, concurrency, SweepSettings.marginFor(settings.retryBudget())));

        long wired = watch.forceGc();
        watch.open();
        long started = System.nanoTime();
        int checked = 0;
        int failed = 0;
        int skipped = 0;
        for (int r = 0; r < runs; r++) {
            SweepSummary summary = sweep.run("heap-run-" + r, PLENTY_OF_TIME);
            checked += summary.usersChecked();
            failed += summary.failures().values().stream().mapToInt(Integer::intValue).sum();
            skipped += summary.skipped() ? 1 : 0;
            watch.forceGc();
        }
        long elapsedMs = (System.nanoTime() - started) / 1_000_000;
        watch.close();

        Properties out = new Properties();
        out.setProperty("runs", Integer.toString(runs));
        out.setProperty("runsSkipped", Integer.toString(skipped));
        out.setProperty("usersChecked", Integer.toString(checked));
        out.setProperty("checksFailed", Integer.toString(failed));
        out.setProperty("elapsedMs", Long.toString(elapsedMs));
        indexReads.reads().forEach((index, r) -> {
            out.setProperty("index." + index + ".pages", Long.toString(r.pages()));
            out.setProperty("index." + index + ".items", Long.toString(r.items()));
            out.setProperty("index." + index + ".largestPage", Long.toString(r.largestPage()));
        });
        out.setProperty("gcEvents", Long.toString(watch.events()));
        out.setProperty("gcFullEvents", Long.toString(watch.fullEvents()));
        out.setProperty("gcForcedEvents", Long.toString(watch.forcedEvents()));
        out.setProperty("heapWiredBytes", Long.toString(wired));
        out.setProperty("heapMaxAfterGcBytes", Long.toString(watch.maxAfterAny()));
        out.setProperty("heapMaxAfterFullGcBytes", Long.toString(watch.maxAfterFull()));
        out.setProperty("heapAfterEachRunBytes", watch.forced().stream().map(String::valueOf)
                .collect(Collectors.joining(",")));
        HeapWatch.poolPeaks().forEach((pool, peak) -> out.setProperty("poolPeak." + pool, Long.toString(peak)));
        out.setProperty("jvmArgs", String.join(" ",
                ManagementFactory.getRuntimeMXBean().getInputArguments()));
        out.setProperty("maxHeapBytes", Long.toString(Runtime.getRuntime().maxMemory()));
        write(out, Path.of(options.get("out")));
    }

    private static void write(Properties properties, Path file) throws IOException {
        try (Writer w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            properties.store(w, "SweepHeapProbe");
        }
    }

    private static Map<String, String> options(String[] args) {
        Map<String, String> options = SweepHeapBench.options(args);
        for (String required : new String[] {"dynamo", "table", "snaptrade", "client-id", "runs", "run-size",
                "concurrency", "out"}) {
            if (!options.containsKey(required)) {
                throw new IllegalArgumentException("--" + required + " is required");
            }
        }
        return options;
    }
}
