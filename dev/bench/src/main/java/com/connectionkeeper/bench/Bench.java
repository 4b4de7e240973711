package com.connectionkeeper.bench;

import com.connectionkeeper.testkit.CloudFormationTemplate;
import com.connectionkeeper.testkit.DynaliteServer;
import com.connectionkeeper.testkit.HttpApiInvoker;
import com.connectionkeeper.testkit.RepoPaths;
import com.connectionkeeper.webhook.WebhookHandler;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/** The webhook benchmark (dev/bench/run.sh): every section against its own dynalite, into dev/bench/results.md. */
public final class Bench {
    private static final int WARMUP = 2_000;
    private static final int MEASURED = 5_000;
    private static final int BLOCK = 500;
    /** Launches per cold-start row; {@code -Dck.bench.coldStarts=N} (run.sh passes CK_BENCH_COLD_STARTS). */
    private static final int COLD_STARTS = 15;

    private Bench() {
    }

    public static void main(String[] args) throws Exception {
        boolean coldStartOnly = Boolean.getBoolean("ck.bench.coldStartOnly"); // run.sh cold-start: section 3 alone
        int coldStarts = Integer.getInteger("ck.bench.coldStarts", BenchOutput.pick(COLD_STARTS, 3));
        int warmup = BenchOutput.pick(WARMUP, 200);
        int measured = BenchOutput.pick(MEASURED, 500);
        int block = BenchOutput.pick(BLOCK, 100);
        PrintStream console = System.out;
        // the handler logs one JSON line per webhook: still formatted, but not written to the terminal
        System.setOut(new PrintStream(OutputStream.nullOutputStream(), false, StandardCharsets.UTF_8));
        Path root = RepoPaths.root();
        Path zip = root.resolve("functions/webhook/target/webhook.zip");
        if (!Files.isRegularFile(zip)) {
            throw new IllegalStateException(zip + " is missing: build it with dev/bench/run.sh");
        }
        StringBuilder md = new StringBuilder("# Webhook benchmark\n\nWritten by `dev/bench/run.sh`; numbers are from "
                + "one run on the machine below, against dynalite (local DynamoDB in Node.js, in memory), not AWS."
                + (BenchOutput.quick() ? " **Quick mode** (CK_BENCH_QUICK=1): a smoke test, fewer calls and launches."
                        : "") + "\n\n");
        md.append(machine());
        Map<String, Object> figures = new LinkedHashMap<>();
        String metrics = "";
        try (DynaliteServer server = DynaliteServer.startInMemory()) {
            RequestCounter counter = new RequestCounter();
            try (DynamoDbClient client = DynaliteServer.clientBuilder(server.endpoint())
                    .overrideConfiguration(o -> o.addExecutionInterceptor(counter)).build()) {
                String table = server.createTable();
                WebhookHandler handler = Webhooks.handler(client, table);
                Webhooks webhooks = new Webhooks();
                if (!coldStartOnly) {
                    progress("1/5 DynamoDB requests per webhook");
                    RequestsPerWebhook requests = new RequestsPerWebhook(handler, counter, webhooks);
                    md.append("\n## 1. DynamoDB requests per webhook\n\n").append(requests.run());
                    figures.put("requests.hotPath", requests.hotPathMax());
                    progress("2/5 warm handler vs bare DynamoDB (" + warmup + " warm-up + " + measured
                            + " timed calls each)");
                    HandlerVsBare warm = new HandlerVsBare(handler, client, counter, webhooks);
                    md.append("\n## 2. Warm handler time vs the bare DynamoDB calls it makes\n\n")
                            .append(warm.run(warmup, measured, block));
                    double ratio = warm.handlerMedian() / warm.bareMedian();
                    figures.put("warm.ratio", String.format(Locale.ROOT, "%.4f", ratio));
                    figures.put("warm.ratio.text", String.format(Locale.ROOT, "**%.2f** (%.2f ms vs %.2f ms; "
                            + "the handler's own %.2f ms)", ratio, warm.handlerMedian(), warm.bareMedian(),
                            warm.handlerMedian() - warm.bareMedian()));
                    progress("5/5 (now, while warm) metrics: the log line with and without its EMF metadata");
                    metrics = metrics(handler, webhooks, warm.handlerMedian(), figures);
                }
                progress("3/5 fresh JVM to first handled event (" + coldStarts + " launches per setup)");
                ColdStart coldStart = new ColdStart(server, client, counter, webhooks, zip,
                        root.resolve("events/webhook-connection-broken.json"), templateToolOptions());
                md.append("\n## 3. Fresh JVM to first handled event\n\n")
                        .append(coldStart.run(coldStarts))
                        .append("\nMedians of ").append(coldStarts).append(" launches per row (round-robin over the "
                                + "rows), ms since JVM start (RuntimeMXBean) unless noted; \"from process launch\" "
                                + "counts from the parent's launch of the process, JVM boot included. Classpath: "
                                + "unzipped `webhook.zip` + `lib/*` + the bench jar (for the main). Like with like: each "
                                + "launch gets a fresh table that already holds the event's connection (seeded by a "
                                + "CONNECTION_ADDED an hour earlier), so the webhook takes the hot path; the hello "
                                + "main builds the client as the function does (`DynamoClients.create`) and sends the "
                                + "same UpdateItem requests the handler sent for that event (captured in process, read "
                                + "from a file). The webhook main streams the fixture file to `handleRequest` as "
                                + "Lambda's runtime would. Classes loaded: the JVM's count at the first response. "
                                + "Priming rows: there is no CRaC JVM here, so no checkpoint: the hooks run in the "
                                + "fresh JVM and the first webhook follows. A restored snapshot also holds what the "
                                + "JIT compiled during priming, but not its connections (here the priming read's "
                                + "connection to dynalite is reused; in AWS the first webhook after a restore opens "
                                + "one). Lambda runs `java21`; neither JDK here is 21.\n");
                figures.putAll(coldStart.figures());
            }
        }
        progress("4/5 artifact");
        md.append("\n## 4. Artifact: functions/webhook/target/webhook.zip\n\n").append(artifact(zip));
        if (!coldStartOnly) {
            md.append("\n## 5. Metrics: the webhook's log line with and without its EMF metadata\n\n").append(metrics);
        }

        Path results = BenchOutput.results(coldStartOnly ? "cold-start-results.md" : "results.md");
        Files.writeString(results, md);
        if (!coldStartOnly) {
            BenchOutput.figures(Targets.BenchId.WEBHOOK.id(), figures);
        }
        console.print(md);
        console.println("\nwritten to " + results);
        console.flush();
    }

    /** Section 5, run while the bench JVM is warm: in process, then in a fresh JVM with Lambda's flags. */
    private static String metrics(WebhookHandler handler, Webhooks webhooks, double handlerMillis,
                                  Map<String, Object> figures) throws IOException, InterruptedException {
        MetricsCost.checkAgainst(handler, HttpApiInvoker.json(webhooks.event("CONNECTION_ADDED", Webhooks.id(),
                Webhooks.id())));
        int warmupBlocks = BenchOutput.pick(50, 20);
        int blocks = BenchOutput.pick(400, 60);
        int perBlock = 1000;
        List<MetricsCost.Result> results = new ArrayList<>(List.of(
                MetricsCost.inProcess(warmupBlocks, blocks, perBlock)));
        results.add(MetricsCost.inChild(templateToolOptions(), warmupBlocks, blocks, perBlock));
        MetricsCost.Result worst = results.stream()
                .max(Comparator.comparingDouble(MetricsCost.Result::addedMicros)).orElseThrow();
        MetricsCost.Result c2 = results.get(0);
        MetricsCost.Result c1 = results.get(1);
        figures.put("metrics.addedMicros", String.format(Locale.ROOT, "%.3f", worst.addedMicros()));
        figures.put("metrics.addedMicros.text", String.format(Locale.ROOT, "**%.2f µs** (C2 in process %.2f → %.2f µs "
                        + "per line, +%.2f; Lambda's C1 flags %.2f → %.2f µs, +%.2f; %.3f %% of a warm webhook's "
                        + "%.2f ms; line %d → %d bytes)", worst.addedMicros(),
                c2.withoutNanos() / 1000, c2.withNanos() / 1000, c2.addedMicros(),
                c1.withoutNanos() / 1000, c1.withNanos() / 1000, c1.addedMicros(),
                100 * worst.addedMicros() / 1000 / handlerMillis, handlerMillis, worst.withoutBytes(),
                worst.withBytes()));
        return MetricsCost.table(results, handlerMillis);
    }

    private static String machine() {
        Runtime runtime = Runtime.getRuntime();
        return "| machine | |\n|---|---|\n"
                + "| date | " + ZonedDateTime.now(ZoneOffset.UTC).format(DateTimeFormatter.ISO_OFFSET_DATE_TIME)
                        .replaceAll("\\.\\d+", "") + " |\n"
                + "| cores | " + Machine.cores().replace(" cores", "") + " |\n"
                + "| JDK (bench, in-process sections) | " + System.getProperty("java.vm.name") + " "
                + System.getProperty("java.version") + " (" + System.getProperty("java.vendor") + "), max heap "
                + runtime.maxMemory() / (1024 * 1024) + " MiB |\n"
                + "| OS | " + System.getProperty("os.name") + " " + System.getProperty("os.version") + " "
                + System.getProperty("os.arch") + " |\n"
                + "| node (dynalite) | " + Machine.firstLine("node", "--version") + " |\n"
                + "| commit | " + Machine.commit() + " |\n";
    }

    /** The JAVA_TOOL_OPTIONS that template.yaml gives every function ("" if none). */
    private static String templateToolOptions() {
        return CloudFormationTemplate.load().tree().path("Globals").path("Function").path("Environment")
                .path("Variables").path("JAVA_TOOL_OPTIONS").asText("").strip();
    }

    private static String artifact(Path zip) throws IOException {
        long size = Files.size(zip);
        try (ZipFile z = new ZipFile(zip.toFile())) {
            List<? extends ZipEntry> jars = z.stream()
                    .filter(e -> e.getName().startsWith("lib/") && e.getName().endsWith(".jar")).toList();
            List<String> unwanted = jars.stream().map(e -> e.getName().substring("lib/".length()))
                    .filter(name -> Artifacts.UNWANTED_JAR.matcher(name.toLowerCase(Locale.ROOT)).find()).toList();
            String largest = jars.stream().sorted(Comparator.comparingLong(ZipEntry::getSize).reversed()).limit(4)
                    .map(e -> String.format("%s %.2f MB", e.getName().substring("lib/".length()), e.getSize() / 1e6))
                    .collect(Collectors.joining(", "));
            return String.format("| | value | target |%n|---|---|---|%n"
                            + "| size | %.2f MB (%,d bytes) | ≤ 8 MB: %s |%n"
                            + "| jars in lib/ | %d; largest: %s | |%n"
                            + "| okhttp / gson / kotlin / snaptrade / apache(5)-client / httpclient / netty"
                            + " / aws-lambda-java-events / joda-time / jackson-databind / jackson-annotations jars"
                            + " | %s | none: %s |%n",
                    size / 1e6, size, size <= Targets.WEBHOOK_ZIP_BYTES ? "met" : "**MISSED**", jars.size(), largest,
                    unwanted.isEmpty() ? "none" : String.join(", ", unwanted), unwanted.isEmpty() ? "met" : "**MISSED**");
        }
    }

    private static void progress(String message) {
        System.err.println("[bench] " + message);
    }
}
