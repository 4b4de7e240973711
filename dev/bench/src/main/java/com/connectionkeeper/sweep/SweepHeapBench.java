package com.connectionkeeper.sweep;

import com.connectionkeeper.bench.BenchOutput;
import com.connectionkeeper.bench.Targets;
import com.connectionkeeper.core.secrets.LocalSealer;
import com.connectionkeeper.snaptrade.SnapTradeSettings;
import com.connectionkeeper.store.DynamoStores;
import com.connectionkeeper.testkit.DynaliteServer;
import com.connectionkeeper.testkit.RepoPaths;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * On-demand benchmark (not a test): is the sweep's peak heap flat from 2,000 to 20,000 users? For each user count N
 * it starts a fresh dynalite and a fresh simulator, both out of process, seeds N users (1 connection each, every
 * tenth broken and known broken to the table), then forks a fresh JVM with identical flags ({@link SweepHeapProbe})
 * that makes the same fixed amount of sweep work and reports the heap after every garbage collection. Writes
 * dev/bench/sweep-heap-results.md. Target: peak post-GC heap at the largest N within ± 20 % of the smallest.
 *
 * <p>Run: {@code dev/bench/run.sh sweep-heap}. Options (defaults shown): {@code dev/bench/run.sh sweep-heap
 * --users 2000,20000 --runs 8 --run-size 250 --concurrency 8 --jvm "-Xms512m -Xmx512m -Xmn16m -XX:+UseSerialGC"}.
 */
public final class SweepHeapBench {
    private static final String CLIENT_ID = "HEAP-BENCH";
    private static final String CONSUMER_KEY = "heap-bench-local-consumer-key";
    private static final int SIMULATOR_RATE_LIMIT = 100_000_000;
    private static final int SEED_THREADS = 16;
    private static final double TOLERANCE = 0.20;
    private static final List<String> INDEXES = List.of("ByStatus", "BySweepOrder", "ByVerifyRequest");

    private SweepHeapBench() {
    }

    /** What one user count gave. */
    private record Result(int users, Duration seed, Properties probe) {
        long value(String key) {
            return Long.parseLong(probe.getProperty(key, "0"));
        }
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> options = options(args);
        List<Integer> userCounts = Arrays.stream(options.getOrDefault("users",
                        BenchOutput.pick("2000,20000", "300,1500")).split(","))
                .map(String::trim).map(Integer::parseInt).toList();
        int runs = Integer.parseInt(options.getOrDefault("runs", BenchOutput.pick("8", "2")));
        int runSize = Integer.parseInt(options.getOrDefault("run-size", BenchOutput.pick("250", "100")));
        int concurrency = Integer.parseInt(options.getOrDefault("concurrency", "8"));
        List<String> jvm = List.of(options.getOrDefault("jvm",
                "-Xms512m -Xmx512m -Xmn16m -XX:+UseSerialGC").trim().split("\\s+"));
        Path root = RepoPaths.root();
        Path jar = root.resolve("dev/snaptrade-simulator/target/snaptrade-simulator.jar");
        Path work = root.resolve("dev/bench/target/sweep-heap-bench");
        Files.createDirectories(work);

        List<Result> results = new ArrayList<>();
        for (int users : userCounts) {
            results.add(measure(users, runs, runSize, concurrency, jvm, jar, work));
        }
        String report = report(results, runs, runSize, concurrency, jvm);
        System.out.println(report);
        Files.writeString(BenchOutput.results(Targets.BenchId.SWEEP_HEAP.results()), report);
        Result first = results.get(0);
        Result last = results.get(results.size() - 1);
        double ratio = last.value("heapMaxAfterGcBytes") / (double) first.value("heapMaxAfterGcBytes");
        BenchOutput.figures(Targets.BenchId.SWEEP_HEAP.id(), Map.of(
                "heapRatio", String.format(Locale.ROOT, "%.4f", ratio),
                "heapRatio.text", String.format(Locale.ROOT, "**%.2f** (%.1f MB at %,d users vs %.1f MB at %,d; "
                                + "%d runs of %d users each)", ratio, HeapWatch.mb(last.value("heapMaxAfterGcBytes")),
                        last.users(), HeapWatch.mb(first.value("heapMaxAfterGcBytes")), first.users(), runs,
                        runSize)));
    }

    private static Result measure(int users, int runs, int runSize, int concurrency, List<String> jvm, Path jar,
                                  Path work) throws Exception {
        try (DynaliteServer dynalite = DynaliteServer.startInMemory();
             SimulatorProcess simulator = SimulatorProcess.start(jar, CLIENT_ID, CONSUMER_KEY,
                     SIMULATOR_RATE_LIMIT)) {
            String table = dynalite.createTable();
            DynamoStores store = DynamoStores.create(dynalite.client(), table, Duration.ofDays(400),
                    LocalSealer.ephemeral());
            System.err.printf(Locale.ROOT, "N=%d: seeding...%n", users);
            long seedStart = System.nanoTime();
            new HeapBenchSeeder(simulator, store).seed(users, SEED_THREADS);
            Duration seed = Duration.ofNanos(System.nanoTime() - seedStart);
            System.err.printf(Locale.ROOT, "N=%d: seeded in %.1f s; sweeping in a fresh JVM...%n", users,
                    seed.toMillis() / 1000.0);

            Path out = work.resolve("probe-" + users + ".properties");
            Path log = work.resolve("probe-" + users + ".log");
            Files.deleteIfExists(out);
            List<String> command = new ArrayList<>();
            command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
            command.addAll(jvm);
            command.addAll(List.of("-cp", System.getProperty("java.class.path"), SweepHeapProbe.class.getName(),
                    "--dynamo", dynalite.endpoint().toString(), "--table", table,
                    "--snaptrade", simulator.baseUrl(), "--client-id", CLIENT_ID,
                    "--runs", Integer.toString(runs), "--run-size", Integer.toString(runSize),
                    "--concurrency", Integer.toString(concurrency), "--out", out.toString()));
            ProcessBuilder probe = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(log.toFile());
            probe.environment().put(SnapTradeSettings.ENV_CONSUMER_KEY, CONSUMER_KEY);
            Process process = probe.start();
            if (!process.waitFor(30, TimeUnit.MINUTES)) {
                process.destroyForcibly();
                throw new IllegalStateException("probe for N=" + users + " did not finish; see " + log);
            }
            if (process.exitValue() != 0 || !Files.isRegularFile(out)) {
                throw new IllegalStateException("probe for N=" + users + " failed (exit " + process.exitValue()
                        + "); see " + log);
            }
            Properties properties = new Properties();
            try (Reader reader = Files.newBufferedReader(out, StandardCharsets.UTF_8)) {
                properties.load(reader);
            }
            Result result = new Result(users, seed, properties);
            System.err.printf(Locale.ROOT, "N=%d: peak post-GC heap %.1f MB over %d GC events%n", users,
                    HeapWatch.mb(result.value("heapMaxAfterGcBytes")), result.value("gcEvents"));
            return result;
        }
    }

    private static String report(List<Result> results, int runs, int runSize, int concurrency, List<String> jvm) {
        Result first = results.get(0);
        Result last = results.get(results.size() - 1);
        double ratio = last.value("heapMaxAfterGcBytes") / (double) first.value("heapMaxAfterGcBytes");
        double ratioFull = last.value("heapMaxAfterFullGcBytes") / (double) first.value("heapMaxAfterFullGcBytes");
        String oldGen = oldGenPool(first.probe());

        StringBuilder heap = new StringBuilder();
        heap.append("| N users | seed time | runs × users | users checked (failed) | sweep time "
                + "| GC events: all (full; forced) | heap after wiring | **peak post-GC heap** | peak after a full GC "
                + "| ").append(oldGen).append(" pool peak |\n");
        heap.append("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        StringBuilder reads = new StringBuilder();
        reads.append("| N users | ").append(String.join(" | ", INDEXES)).append(" |\n");
        reads.append("|---:|").append("---:|".repeat(INDEXES.size())).append("\n");
        for (Result r : results) {
            heap.append(String.format(Locale.ROOT,
                    "| %,d | %.1f s | %d × %d | %,d (%d) | %.1f s | %d (%d; %d) | %.1f MB | **%.1f MB** | %.1f MB "
                            + "| %.1f MB |%n",
                    r.users(), r.seed().toMillis() / 1000.0, r.value("runs"), runSize, r.value("usersChecked"),
                    r.value("checksFailed"), r.value("elapsedMs") / 1000.0, r.value("gcEvents"),
                    r.value("gcFullEvents"), r.value("gcForcedEvents"), HeapWatch.mb(r.value("heapWiredBytes")),
                    HeapWatch.mb(r.value("heapMaxAfterGcBytes")), HeapWatch.mb(r.value("heapMaxAfterFullGcBytes")),
                    HeapWatch.mb(r.value("poolPeak." + oldGen))));
            reads.append(String.format(Locale.ROOT, "| %,d |", r.users()));
            for (String index : INDEXES) {
                reads.append(String.format(Locale.ROOT, " %,d / %,d / %d |", r.value("index." + index + ".pages"),
                        r.value("index." + index + ".items"), r.value("index." + index + ".largestPage")));
            }
            reads.append("\n");
        }
        String perRun = results.stream().map(r -> String.format(Locale.ROOT, "- N = %,d: %s MB", r.users(),
                Arrays.stream(r.probe().getProperty("heapAfterEachRunBytes").split(","))
                        .map(b -> String.format(Locale.ROOT, "%.1f", HeapWatch.mb(Long.parseLong(b))))
                        .collect(Collectors.joining(", ")))).collect(Collectors.joining("\n"));

        return String.format(Locale.ROOT, """
                # Sweep heap benchmark

                Written by `SweepHeapBench` on %s: %d cores, JDK %s (%s), %s. Target: the sweep's peak heap is
                flat (± %d %%) from %,d to %,d users — index queries read pages of 100 items, nothing O(users) is held.
                Run on demand: `dev/bench/run.sh sweep-heap`.

                Method. For each N, a fresh dynalite and a fresh SnapTrade simulator (`--rate-limit %,d` per
                minute), both out of process. N users seeded over the simulator's control API and DynamoDB, %d at
                a time: 1 connection each, every tenth broken at the simulator and recorded BROKEN in the table as its
                CONNECTION_BROKEN webhook would (so the ByStatus index holds N/10 entries), every user in the
                BySweepOrder index, never verified. Then a fresh JVM, the same flags for every N (`%s`), holding only
                the sweep with its production wiring (`DynamoClients`, `DynamoStores`, `SnapTradeSdkGateway`,
                `UserSweep`, `SweepRun`), makes the same work for every N: %d `SweepRun` runs of %d users, %d at a
                time. Heap = all heap pools in use right after a collection, from the collectors' notifications
                (`GarbageCollectionNotificationInfo`) during the runs, including a forced `System.gc()` after each
                run; the pool peak (`MemoryPoolMXBean.getPeakUsage`, whole JVM life) is for information.

                %s
                | ratio %,d / %,d users | **peak post-GC heap** | peak after a full GC |
                |---|---:|---:|
                | value | **%.2f** | %.2f |
                | within ± %d %% | **%s** | %s |

                Heap after each run's forced full GC:
                %s

                What the sweep read from each index (Query pages / items / largest page), counted on the DynamoDB
                client: index sizes are N/10 (ByStatus), N (BySweepOrder), 0 (ByVerifyRequest). The planner takes
                BROKEN users first, so with N/10 broken most of the fixed work at the largest N comes from ByStatus.

                %s""",
                Instant.now(), Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"),
                System.getProperty("java.vm.name"), System.getProperty("os.name") + " " + System.getProperty("os.arch"),
                Math.round(TOLERANCE * 100), first.users(), last.users(), SIMULATOR_RATE_LIMIT, SEED_THREADS,
                String.join(" ", jvm), runs, runSize, concurrency, heap, last.users(), first.users(), ratio, ratioFull,
                Math.round(TOLERANCE * 100), verdict(ratio), verdict(ratioFull), perRun, reads);
    }

    private static String verdict(double ratio) {
        return Math.abs(ratio - 1) <= TOLERANCE ? "pass" : "FAIL";
    }

    /** The old generation's pool name as the probe's collector calls it ("Tenured Gen", "G1 Old Gen", ...). */
    private static String oldGenPool(Properties probe) {
        return probe.stringPropertyNames().stream().filter(k -> k.startsWith("poolPeak."))
                .map(k -> k.substring("poolPeak.".length()))
                .filter(name -> name.contains("Old") || name.contains("Tenured")).findFirst().orElse("?");
    }

    /** {@code --name value} pairs (this bench's arguments and {@link SweepHeapProbe}'s). */
    static Map<String, String> options(String[] args) {
        Map<String, String> options = new HashMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            if (!args[i].startsWith("--")) {
                throw new IllegalArgumentException("expected --option value pairs, got " + args[i]);
            }
            options.put(args[i].substring(2), args[i + 1]);
        }
        return options;
    }
}
