package com.connectionkeeper.bench;

import com.connectionkeeper.testkit.CloudFormationTemplate;
import com.connectionkeeper.testkit.DynaliteServer;
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
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;
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
    private static final long ZIP_TARGET_BYTES = 8_000_000;
    private static final Pattern UNWANTED_JAR =
            Pattern.compile("okhttp|gson|kotlin|snaptrade|apache-client|apache5-client|httpclient|netty"
                    + "|aws-lambda-java-events|joda-time|jackson-databind|jackson-annotations");

    private Bench() {
    }

    public static void main(String[] args) throws Exception {
        int coldStarts = Integer.getInteger("ck.bench.coldStarts", COLD_STARTS);
        PrintStream console = System.out;
        // the handler logs one JSON line per webhook: still formatted, but not written to the terminal
        System.setOut(new PrintStream(OutputStream.nullOutputStream(), false, StandardCharsets.UTF_8));
        Path root = RepoPaths.root();
        Path zip = root.resolve("functions/webhook/target/webhook.zip");
        if (!Files.isRegularFile(zip)) {
            throw new IllegalStateException(zip + " is missing: build it with dev/bench/run.sh");
        }
        StringBuilder md = new StringBuilder("# Webhook benchmark\n\nWritten by `dev/bench/run.sh`; numbers are from "
                + "one run on the machine below, against dynalite (local DynamoDB in Node.js, in memory), not AWS.\n\n");
        md.append(machine());
        try (DynaliteServer server = DynaliteServer.startInMemory()) {
            RequestCounter counter = new RequestCounter();
            try (DynamoDbClient client = DynaliteServer.clientBuilder(server.endpoint())
                    .overrideConfiguration(o -> o.addExecutionInterceptor(counter)).build()) {
                String table = server.createTable();
                WebhookHandler handler = Webhooks.handler(client, table);
                Webhooks webhooks = new Webhooks();
                if (!Boolean.getBoolean("ck.bench.coldStartOnly")) { // run.sh cold-start: section 3 alone
                    progress("1/4 DynamoDB requests per webhook");
                    md.append("\n## 1. DynamoDB requests per webhook\n\n")
                            .append(new RequestsPerWebhook(handler, counter, webhooks).run());
                    progress("2/4 warm handler vs bare DynamoDB (" + WARMUP + " warm-up + " + MEASURED
                            + " timed calls each)");
                    md.append("\n## 2. Warm handler time vs the bare DynamoDB calls it makes\n\n")
                            .append(new HandlerVsBare(handler, client, counter, webhooks).run(WARMUP, MEASURED, BLOCK));
                }
                progress("3/4 fresh JVM to first handled event (" + coldStarts + " launches per setup)");
                md.append("\n## 3. Fresh JVM to first handled event\n\n")
                        .append(new ColdStart(server, client, counter, webhooks, zip,
                                root.resolve("events/webhook-connection-broken.json"), templateToolOptions())
                                .run(coldStarts))
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
                                + "Lambda runs `java21`; neither JDK here is 21.\n");
            }
        }
        progress("4/4 artifact");
        md.append("\n## 4. Artifact: functions/webhook/target/webhook.zip\n\n").append(artifact(zip));

        Path results = root.resolve(Boolean.getBoolean("ck.bench.coldStartOnly")
                ? "dev/bench/cold-start-results.md" : "dev/bench/results.md");
        Files.writeString(results, md);
        console.print(md);
        console.println("\nwritten to " + results);
        console.flush();
    }

    private static String machine() {
        Runtime runtime = Runtime.getRuntime();
        String cpu = firstLine("sh", "-c", "grep -m1 'model name' /proc/cpuinfo | cut -d: -f2");
        return "| machine | |\n|---|---|\n"
                + "| date | " + ZonedDateTime.now(ZoneOffset.UTC).format(DateTimeFormatter.ISO_OFFSET_DATE_TIME)
                        .replaceAll("\\.\\d+", "") + " |\n"
                + "| cores | " + runtime.availableProcessors() + (cpu.isBlank() ? "" : " × " + cpu.strip()) + " |\n"
                + "| JDK (bench, in-process sections) | " + System.getProperty("java.vm.name") + " "
                + System.getProperty("java.version") + " (" + System.getProperty("java.vendor") + "), max heap "
                + runtime.maxMemory() / (1024 * 1024) + " MiB |\n"
                + "| OS | " + System.getProperty("os.name") + " " + System.getProperty("os.version") + " "
                + System.getProperty("os.arch") + " |\n"
                + "| node (dynalite) | " + firstLine("node", "--version") + " |\n"
                + "| commit | " + firstLine("git", "rev-parse", "--short", "HEAD")
                + (List.of("", "unknown").contains(firstLine("git", "status", "--porcelain")) ? ""
                        : " + uncommitted changes") + " |\n";
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
                    .filter(name -> UNWANTED_JAR.matcher(name.toLowerCase(Locale.ROOT)).find()).toList();
            String largest = jars.stream().sorted(Comparator.comparingLong(ZipEntry::getSize).reversed()).limit(4)
                    .map(e -> String.format("%s %.2f MB", e.getName().substring("lib/".length()), e.getSize() / 1e6))
                    .collect(Collectors.joining(", "));
            return String.format("| | value | target |%n|---|---|---|%n"
                            + "| size | %.2f MB (%,d bytes) | ≤ 8 MB: %s |%n"
                            + "| jars in lib/ | %d; largest: %s | |%n"
                            + "| okhttp / gson / kotlin / snaptrade / apache(5)-client / httpclient / netty"
                            + " / aws-lambda-java-events / joda-time / jackson-databind / jackson-annotations jars"
                            + " | %s | none: %s |%n",
                    size / 1e6, size, size <= ZIP_TARGET_BYTES ? "met" : "**MISSED**", jars.size(), largest,
                    unwanted.isEmpty() ? "none" : String.join(", ", unwanted), unwanted.isEmpty() ? "met" : "**MISSED**");
        }
    }

    private static String firstLine(String... command) {
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            return process.waitFor() == 0 ? out.lines().findFirst().orElse("").strip() : "unknown";
        } catch (IOException e) {
            return "unknown";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "unknown";
        }
    }

    private static void progress(String message) {
        System.err.println("[bench] " + message);
    }
}
