package com.connectionkeeper.bench;

import com.connectionkeeper.core.log.Emf;
import com.connectionkeeper.core.log.JsonLog;
import com.connectionkeeper.core.log.MetricNames;
import com.connectionkeeper.testkit.HttpApiInvoker;
import com.connectionkeeper.webhook.WebhookHandler;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;

/**
 * Section 5: what the metrics cost a warm webhook. The webhook's log line as {@code WebhookEndpoint.handle} prints it
 * since metrics (Embedded Metric Format: the {@code Webhooks} member and the {@code _aws} metadata,
 * {@link JsonLog#metrics}) against the same line as it printed it before ({@link JsonLog#info}, same members but the
 * metric), A/B in the same JVM: blocks of lines, the order alternating per block, medians per line. Printed as the
 * handler prints them, through {@code System.out} — here a UTF-8 PrintStream into nothing, so formatting and encoding
 * are timed and the write to Lambda's log pipe is not. Run in process (C2, warm from the bench) and in a fresh JVM with
 * the template's JAVA_TOOL_OPTIONS (Lambda's C1-only flags), where this class is the main.
 */
final class MetricsCost {
    /** The handler's declaration, as WebhookEndpoint builds it (a stack's namespace, as the template sets it). */
    static final Emf.Declaration HANDLED = new Emf.Declaration("ConnectionKeeper/connection-keeper",
            MetricNames.WEBHOOK_HANDLED, List.of(new Emf.Metric(MetricNames.WEBHOOKS, "Count")));
    private static final int IDS = 256;

    /** One A/B: ns per line with and without the metrics, bytes per line, and how it was run. */
    record Result(String jit, double withNanos, double withoutNanos, int withBytes, int withoutBytes, int blocks,
                  int perBlock) {
        double addedMicros() {
            return (withNanos - withoutNanos) / 1000;
        }
    }

    private final String[] requestIds = new String[IDS];
    private final String[] webhookIds = new String[IDS];
    private final String[] userIds = new String[IDS];
    private final String[] connectionIds = new String[IDS];

    private MetricsCost() {
        for (int i = 0; i < IDS; i++) {
            requestIds[i] = Webhooks.id();
            webhookIds[i] = Webhooks.id();
            userIds[i] = Webhooks.id();
            connectionIds[i] = Webhooks.id();
        }
    }

    /** In a fresh JVM: {@code <warm-up blocks> <blocks> <lines per block>}; prints one {@code METRICS ...} line. */
    public static void main(String[] args) {
        PrintStream console = System.out;
        System.setOut(new PrintStream(OutputStream.nullOutputStream(), false, StandardCharsets.UTF_8));
        Result r = new MetricsCost().measure("", Integer.parseInt(args[0]), Integer.parseInt(args[1]),
                Integer.parseInt(args[2]));
        console.printf(Locale.ROOT, "METRICS with=%.1f without=%.1f withBytes=%d withoutBytes=%d%n", r.withNanos(),
                r.withoutNanos(), r.withBytes(), r.withoutBytes());
        console.flush();
    }

    /** In this JVM, whose {@code System.out} must lead nowhere (the bench's does). */
    static Result inProcess(int warmupBlocks, int blocks, int perBlock) {
        return new MetricsCost().measure("in process (C2), warm", warmupBlocks, blocks, perBlock);
    }

    /** In a fresh JVM with {@code toolOptions} as JAVA_TOOL_OPTIONS. */
    static Result inChild(String toolOptions, int warmupBlocks, int blocks, int perBlock)
            throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java"),
                "-cp", System.getProperty("java.class.path"), MetricsCost.class.getName(),
                Integer.toString(warmupBlocks), Integer.toString(blocks), Integer.toString(perBlock)));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().remove("JDK_JAVA_OPTIONS");
        builder.environment().remove("_JAVA_OPTIONS");
        if (toolOptions.isBlank()) {
            builder.environment().remove("JAVA_TOOL_OPTIONS");
        } else {
            builder.environment().put("JAVA_TOOL_OPTIONS", toolOptions);
        }
        Process child = builder.start();
        String out = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!child.waitFor(10, TimeUnit.MINUTES) || child.exitValue() != 0) {
            throw new IllegalStateException("metrics child JVM failed:\n" + out);
        }
        String line = out.lines().filter(l -> l.startsWith("METRICS ")).findFirst()
                .orElseThrow(() -> new IllegalStateException("metrics child JVM printed no result:\n" + out));
        Map<String, String> f = new HashMap<>();
        for (String field : line.substring("METRICS ".length()).split(" ")) {
            f.put(field.substring(0, field.indexOf('=')), field.substring(field.indexOf('=') + 1));
        }
        return new Result("fresh JVM, `" + (toolOptions.isBlank() ? "(none)" : toolOptions) + "` (as Lambda)",
                Double.parseDouble(f.get("with")), Double.parseDouble(f.get("without")),
                Integer.parseInt(f.get("withBytes")), Integer.parseInt(f.get("withoutBytes")), blocks, perBlock);
    }

    private Result measure(String jit, int warmupBlocks, int blocks, int perBlock) {
        double[] with = new double[blocks];
        double[] without = new double[blocks];
        for (int b = -warmupBlocks; b < blocks; b++) {
            long a;
            long z;
            if ((b & 1) == 0) {
                a = withMetrics(perBlock);
                z = withoutMetrics(perBlock);
            } else {
                z = withoutMetrics(perBlock);
                a = withMetrics(perBlock);
            }
            if (b >= 0) {
                with[b] = a / (double) perBlock;
                without[b] = z / (double) perBlock;
            }
        }
        return new Result(jit, Stats.of(with).median(), Stats.of(without).median(),
                lineWith(0).getBytes(StandardCharsets.UTF_8).length,
                lineWithout(0).getBytes(StandardCharsets.UTF_8).length, blocks, perBlock);
    }

    /** ns for {@code n} lines printed as WebhookEndpoint.handle prints a handled webhook's line now. */
    private long withMetrics(int n) {
        long t0 = System.nanoTime();
        for (int i = 0; i < n; i++) {
            int k = i & (IDS - 1);
            JsonLog.metrics("INFO", "webhook_handled", HANDLED, "requestId", requestIds[k],
                    "webhookId", webhookIds[k], "userId", userIds[k], "connectionId", connectionIds[k],
                    "eventType", "CONNECTION_BROKEN", "result", "applied", "ms", (long) (i & 7), MetricNames.WEBHOOKS, 1);
        }
        return System.nanoTime() - t0;
    }

    /** ns for {@code n} lines printed as it printed them before metrics. */
    private long withoutMetrics(int n) {
        long t0 = System.nanoTime();
        for (int i = 0; i < n; i++) {
            int k = i & (IDS - 1);
            JsonLog.info("webhook_handled", "requestId", requestIds[k],
                    "webhookId", webhookIds[k], "userId", userIds[k], "connectionId", connectionIds[k],
                    "eventType", "CONNECTION_BROKEN", "result", "applied", "ms", (long) (i & 7));
        }
        return System.nanoTime() - t0;
    }

    private String lineWith(int k) {
        return JsonLog.line("INFO", "webhook_handled", HANDLED, "requestId", requestIds[k], "webhookId", webhookIds[k],
                "userId", userIds[k], "connectionId", connectionIds[k], "eventType", "CONNECTION_BROKEN",
                "result", "applied", "ms", 3L, MetricNames.WEBHOOKS, 1);
    }

    private String lineWithout(int k) {
        return JsonLog.line("INFO", "webhook_handled", "requestId", requestIds[k], "webhookId", webhookIds[k],
                "userId", userIds[k], "connectionId", connectionIds[k], "eventType", "CONNECTION_BROKEN",
                "result", "applied", "ms", 3L);
    }

    /**
     * Holds the A line to what the handler prints: one webhook through {@code handler}, its line captured, must have
     * the same members and the same metric directive (namespace and timestamp aside), or the A/B measures something
     * else than the handler's line and the bench stops.
     */
    static void checkAgainst(WebhookHandler handler, byte[] event) throws IOException {
        PrintStream previous = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            if (HttpApiInvoker.response(invoke(handler, event)).getStatusCode() != 200) {
                throw new IllegalStateException("the webhook for the line check was not applied");
            }
        } finally {
            System.setOut(previous);
        }
        ObjectMapper json = new ObjectMapper();
        JsonNode real = null;
        for (String line : captured.toString(StandardCharsets.UTF_8).split("\n")) {
            if (line.contains("\"webhook_handled\"")) {
                real = json.readTree(line);
            }
        }
        if (real == null) {
            throw new IllegalStateException("the handler printed no webhook_handled line: " + captured);
        }
        JsonNode ours = json.readTree(new MetricsCost().lineWith(0));
        for (JsonNode node : List.of(real, ours)) {
            JsonNode directive = node.path("_aws").path("CloudWatchMetrics").path(0);
            ((ObjectNode) node.path("_aws")).remove("Timestamp");
            ((ObjectNode) directive).remove("Namespace");
        }
        if (!names(real).equals(names(ours)) || !real.path("_aws").equals(ours.path("_aws"))) {
            throw new IllegalStateException("the bench's line no longer matches the webhook's: update MetricsCost\n"
                    + "handler: " + real + "\nbench:   " + ours);
        }
    }

    private static byte[] invoke(WebhookHandler handler, byte[] event) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        handler.handleRequest(new ByteArrayInputStream(event), out, null);
        return out.toByteArray();
    }

    private static Set<String> names(JsonNode node) {
        Set<String> names = new TreeSet<>();
        Iterator<String> it = node.fieldNames();
        it.forEachRemaining(names::add);
        return names;
    }

    /** The section's table, and the handler's warm median for scale (NaN when section 2 did not run). */
    static String table(List<Result> results, double handlerMillis) {
        StringBuilder md = new StringBuilder("| JVM | line with metrics (EMF) | the same line without | **added per "
                + "webhook** (target ≤ " + Targets.format(Targets.METRICS_WARM_MICROS) + " µs) | bytes per line | "
                + "share of a warm webhook |\n|---|---:|---:|---:|---:|---:|\n");
        for (Result r : results) {
            md.append(String.format(Locale.ROOT, "| %s | %.2f µs | %.2f µs | **%.2f µs** (%s) | %d vs %d | %s |%n",
                    r.jit(), r.withNanos() / 1000, r.withoutNanos() / 1000, r.addedMicros(),
                    r.addedMicros() <= Targets.METRICS_WARM_MICROS ? "met" : "**MISSED**", r.withBytes(),
                    r.withoutBytes(), Double.isNaN(handlerMillis) ? "—"
                            : String.format(Locale.ROOT, "%.3f %% of %.2f ms", 100 * r.addedMicros() / 1000
                                    / handlerMillis, handlerMillis)));
        }
        Result first = results.get(0);
        return md.append(String.format(Locale.ROOT, "%nMedians over %d blocks of %d lines per variant, after warm-up; "
                + "order alternating per block. The line is the handled webhook's (`webhook_handled`, every member as "
                + "the handler writes it; checked against one the handler printed in this run); printed through a "
                + "UTF-8 `PrintStream` that writes nowhere, so the extra bytes' trip to Lambda's log pipe is not "
                + "timed. Warm webhook for scale: section 2's handler median.%n", first.blocks(), first.perBlock()))
                .toString();
    }
}
