package com.connectionkeeper.reminders;

import com.connectionkeeper.bench.BenchOutput;
import com.connectionkeeper.bench.Targets;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * On-demand benchmark (not a test): is one reminder run's cost per reminder flat from 10,000 to 100,000 broken
 * connections? For each N a fresh JVM with the same flags ({@link ReminderHeapProbe}) runs one pass in which every
 * connection's first step fell due, against a simulated store that builds index pages on demand; it reports index
 * items read and requests (pages + claims) per reminder sent, and the peak heap after any GC during the run.
 * Targets: items read per reminder = 1, requests per reminder flat, peak post-GC heap at 100,000 within ± 20 % of
 * 10,000. Writes dev/bench/reminder-results.md.
 */
public final class ReminderBench {
    private static final List<Integer> SIZES = BenchOutput.pick(List.of(10_000, 100_000), List.of(2_000, 20_000));
    private static final List<String> JVM = List.of("-Xms256m", "-Xmx256m", "-Xmn16m", "-XX:+UseSerialGC");
    private static final double MB = 1024.0 * 1024.0;

    private ReminderBench() {
    }

    public static void main(String[] args) throws Exception {
        List<Map<String, String>> rows = new ArrayList<>();
        for (int n : SIZES) {
            rows.add(probe(n));
            System.err.printf(Locale.ROOT, "[bench] N=%d: %s%n", n, rows.get(rows.size() - 1));
        }
        StringBuilder md = new StringBuilder();
        md.append("# Reminder run benchmark\n\n");
        md.append(String.format(Locale.ROOT, "Written by `dev/bench/run.sh reminders` on %s: %d cores, JDK %s,"
                + " each N in a fresh JVM (`%s`). One pass in which every connection's first step fell due, against"
                + " a simulated store that makes each index page on demand (the store holds nothing that grows with"
                + " N, so the heap measured is the run's); pages of 100.%n%n", Instant.now(),
                Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"),
                String.join(" ", JVM)));
        md.append("| broken connections | reminders sent | index items read per reminder | requests per reminder"
                + " (pages + claims) | run | GC events | **peak post-GC heap** | heap after a full GC |\n");
        md.append("|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        for (Map<String, String> r : rows) {
            double claimed = Double.parseDouble(r.get("claimed"));
            md.append(String.format(Locale.ROOT, "| %,d | %,d | %.3f | %.3f | %s ms | %s | **%.1f MB** | %.1f MB |%n",
                    Integer.parseInt(r.get("n")), (long) claimed, Double.parseDouble(r.get("itemsRead")) / claimed,
                    (Double.parseDouble(r.get("pages")) + claimed) / claimed, r.get("ms"), r.get("gcEvents"),
                    Long.parseLong(r.get("peakPostGc")) / MB, Long.parseLong(r.get("afterFullGc")) / MB));
        }
        Map<String, String> small = rows.get(0);
        Map<String, String> large = rows.get(rows.size() - 1);
        double heapRatio = Double.parseDouble(large.get("peakPostGc")) / Double.parseDouble(small.get("peakPostGc"));
        double reqSmall = (Double.parseDouble(small.get("pages")) + Double.parseDouble(small.get("claimed")))
                / Double.parseDouble(small.get("claimed"));
        double reqLarge = (Double.parseDouble(large.get("pages")) + Double.parseDouble(large.get("claimed")))
                / Double.parseDouble(large.get("claimed"));
        md.append(String.format(Locale.ROOT, "%nRatios %,d / %,d: peak post-GC heap **%.2f** (target within"
                + " 0.80–1.20: %s), requests per reminder **%.3f** (flat: %s).%n", SIZES.get(SIZES.size() - 1),
                SIZES.get(0), heapRatio,
                heapRatio >= 0.8 && heapRatio <= 1.2 ? "met" : "missed", reqLarge / reqSmall,
                Math.abs(reqLarge / reqSmall - 1) <= 0.05 ? "met" : "missed"));
        Path out = BenchOutput.results(Targets.BenchId.REMINDERS.results());
        Files.writeString(out, md.toString(), StandardCharsets.UTF_8);
        double itemsWorst = rows.stream().mapToDouble(r -> Double.parseDouble(r.get("itemsRead"))
                / Double.parseDouble(r.get("claimed"))).reduce((a, b) -> Math.abs(a - 1) >= Math.abs(b - 1) ? a : b)
                .orElse(Double.NaN);
        BenchOutput.figures(Targets.BenchId.REMINDERS.id(), Map.of(
                "itemsPerReminder", String.format(Locale.ROOT, "%.6f", itemsWorst),
                "itemsPerReminder.text", String.format(Locale.ROOT, "**%.3f** (the farther from 1 of %,d and %,d "
                        + "broken connections)", itemsWorst, SIZES.get(0), SIZES.get(SIZES.size() - 1)),
                "requestsRatio", String.format(Locale.ROOT, "%.4f", reqLarge / reqSmall),
                "requestsRatio.text", String.format(Locale.ROOT, "**%.3f** (%.3f → %.3f requests per reminder)",
                        reqLarge / reqSmall, reqSmall, reqLarge),
                "heapRatio", String.format(Locale.ROOT, "%.4f", heapRatio),
                "heapRatio.text", String.format(Locale.ROOT, "**%.2f** (%.1f MB → %.1f MB, %,d → %,d)", heapRatio,
                        Long.parseLong(small.get("peakPostGc")) / MB, Long.parseLong(large.get("peakPostGc")) / MB,
                        SIZES.get(0), SIZES.get(SIZES.size() - 1))));
        System.out.println(md);
        System.out.println("written to " + out);
    }

    private static Map<String, String> probe(int n) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(JVM);
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), ReminderHeapProbe.class.getName(),
                Integer.toString(n)));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (p.waitFor() != 0) {
            throw new IllegalStateException("probe failed for N=" + n + ":\n" + output);
        }
        for (String line : output.split("\n")) {
            if (line.startsWith("RESULT ")) {
                Map<String, String> fields = new LinkedHashMap<>();
                for (String pair : line.substring(7).trim().split(" ")) {
                    String[] kv = pair.split("=", 2);
                    fields.put(kv[0], kv[1]);
                }
                return fields;
            }
        }
        throw new IllegalStateException("no RESULT line for N=" + n + ":\n" + output);
    }
}
