package com.connectionkeeper.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.connectionkeeper.bench.Targets.BenchId;
import com.connectionkeeper.bench.Targets.Check;
import com.connectionkeeper.bench.Targets.Target;
import com.connectionkeeper.testkit.RepoPaths;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The report generator on sample figures: each figure next to its target, met or not met, nothing made up. */
class BenchReportTest {
    private static final BenchReport.Header HEADER =
            new BenchReport.Header("2026-11-30T00:00:00Z", false, "abc1234", "OpenJDK 17.0.15", "2 cores");

    /** A figure for every target, each meeting it (the middle of a range, or its bound). */
    private static Map<BenchId, Properties> allMet() {
        Map<BenchId, Properties> figures = new EnumMap<>(BenchId.class);
        for (Target t : Targets.ALL) {
            Check c = t.check();
            double value = !c.hasTarget() ? 0.5
                    : Double.isInfinite(c.min()) ? c.max() : Double.isInfinite(c.max()) ? c.min()
                    : (c.min() + c.max()) / 2;
            figures.computeIfAbsent(t.bench(), b -> new Properties()).setProperty(t.key(), Double.toString(value));
        }
        return figures;
    }

    private static String row(String report, String what) {
        return report.lines().filter(l -> l.startsWith("| " + what + " |")).findFirst()
                .orElseThrow(() -> new AssertionError("no row for " + what + " in\n" + report));
    }

    @Test
    void everyTargetMetIsSaidSoAndEachAreaHasItsSection() {
        String report = BenchReport.render(Targets.ALL, allMet(), List.of(), HEADER);
        long withTarget = Targets.ALL.stream().filter(t -> t.check().hasTarget()).count();
        assertTrue(report.contains("**" + withTarget + " of " + withTarget + " targets met**."), report);
        assertFalse(report.contains("not met"), report);
        for (Targets.Area area : Targets.Area.values()) {
            assertTrue(report.contains("## " + area.title() + "\n"), area.title());
        }
        assertTrue(row(report, Targets.ALL.get(1).what()).endsWith("| met | [results.md](results.md) |"));
        assertTrue(report.contains("commit abc1234") && report.contains("OpenJDK 17.0.15"), report);
    }

    @Test
    void aFailingTargetShowsNotMetInItsRowAndInTheSummary() {
        Map<BenchId, Properties> figures = allMet();
        figures.get(BenchId.WEBHOOK).setProperty("warm.ratio", "1.31");
        figures.get(BenchId.WEBHOOK).setProperty("warm.ratio.text", "**1.31** (13.1 ms vs 10.0 ms)");
        figures.get(BenchId.RATELIMIT).setProperty("usedPercent", "89.9");
        String report = BenchReport.render(Targets.ALL, figures, List.of(), HEADER);

        String warm = row(report, "warm handler time / the bare DynamoDB calls it makes (medians)");
        assertEquals("| warm handler time / the bare DynamoDB calls it makes (medians) | ≤ 1.3 | **1.31** (13.1 ms vs "
                + "10.0 ms) | **not met** (1.31) | [results.md](results.md) |", warm);
        assertTrue(row(report, Targets.ALL.get(4).what()).contains("| 89.90 | **not met** (89.9) |"), report);
        long withTarget = Targets.ALL.stream().filter(t -> t.check().hasTarget()).count();
        assertTrue(report.contains("**" + (withTarget - 2) + " of " + withTarget + " targets met**; not met: "
                + "Webhook — warm handler time"), report);
    }

    @Test
    void aFigureJustOverItsBoundIsShownAsItIsBesideNotMet() {
        Map<BenchId, Properties> figures = allMet();
        figures.get(BenchId.WEBHOOK).setProperty("coldStart.ratio.sm", "1.1014");
        figures.get(BenchId.WEBHOOK).setProperty("coldStart.ratio.sm.text", "**1.10** (JDK 17 1.07, 25 C1 1.10)");
        String report = BenchReport.render(Targets.ALL, figures, List.of(), HEADER);
        assertTrue(row(report, "the same, consumer key from Secrets Manager as in AWS (worst row)")
                .endsWith("| ≤ 1.10 | **1.10** (JDK 17 1.07, 25 C1 1.10) | **not met** (1.1014) | "
                        + "[results.md](results.md) |"), report);
    }

    @Test
    void aBenchThatWroteNothingHasNoFigureAndItsTargetsAreNotMet() {
        Map<BenchId, Properties> figures = allMet();
        figures.remove(BenchId.SWEEP_HEAP);
        String report = BenchReport.render(Targets.ALL, figures, List.of(new BenchReport.Run("sweep-heap", 75, 1)),
                HEADER);
        assertTrue(row(report, "peak post-GC heap, largest / smallest user count")
                .contains("| within ± 20 % | — | **no figure** (bench failed or not run) |"), report);
        assertTrue(report.contains("| sweep-heap | 1 min 15 s | **failed** (exit 1) | — | "
                + "[sweep-heap-results.md](sweep-heap-results.md) |"), report);
        assertTrue(report.contains("not met: Sweep — peak post-GC heap"), report);
    }

    @Test
    void bothEndsOfARangeAndExactValuesAreChecked() {
        Check flat = Check.within(0.8, 1.2, "");
        assertTrue(flat.met(0.8) && flat.met(1.2));
        assertFalse(flat.met(0.79) || flat.met(1.21) || flat.met(Double.NaN));
        Check once = Check.within(1, 1, "");
        assertTrue(once.met(1.0));
        assertFalse(once.met(1.0005), "2,001 decrypts for 2,000 users is not one per user");
        assertFalse(Check.atMost(0, "0").met(1));
        assertFalse(Check.atLeast(90, "").met(89.99));
        assertFalse(Check.none().met(0));
    }

    @Test
    void figuresWithoutATargetAreShownForInformationAndOtherZipsAreListed() {
        Map<BenchId, Properties> figures = allMet();
        figures.get(BenchId.ARTIFACTS).setProperty("zip.api.bytes", "16453581");
        figures.get(BenchId.ARTIFACTS).setProperty("zip.api.bytes.text", "16.45 MB (16,453,581 bytes)");
        figures.get(BenchId.WEBHOOK).setProperty("priming.ms.text", "41 ms");
        String report = BenchReport.render(Targets.ALL, figures, List.of(), HEADER);
        assertTrue(report.contains("| api.zip size | — | 16.45 MB (16,453,581 bytes) | no target | "
                + "[artifacts-results.md](artifacts-results.md) |"), report);
        assertTrue(row(report, "priming (beforeCheckpoint): its own time, fresh JVM")
                .contains("| — | 41 ms | no target |"), report);
    }

    @Test
    void runShRunsEveryBenchTheReportReadsAndAllIncludesIt() throws IOException {
        String runSh = Files.readString(RepoPaths.root().resolve("dev/bench/run.sh"));
        String all = runSh.lines().filter(l -> l.startsWith("for name in ")).findFirst().orElseThrow();
        for (BenchId bench : BenchId.values()) {
            assertTrue(runSh.contains("    " + bench.id() + ") echo com.connectionkeeper."), bench.id());
            assertTrue(runSh.contains("|" + bench.id() + "|") || runSh.contains("|" + bench.id() + "\""),
                    "usage names " + bench.id());
            assertTrue(List.of(all.split("[ ;]+")).contains(bench.id()), "all runs " + bench.id());
        }
    }

    @Test
    void detectionTargetsAreRatiosJudgedAgainstTheirBounds() {
        Map<BenchId, Properties> figures = allMet();
        Properties detection = figures.get(BenchId.DETECTION);
        detection.setProperty("uniform.p95OverPass", "1.1008");
        detection.setProperty("likely.p50OverUniform", "0.237");
        detection.setProperty("likely.longestGapOverMax", "1.0007");
        detection.setProperty("today.p95Minutes.text", "p50 2.31 d, p95 4.40 d (21,000 breaks)");
        String report = BenchReport.render(Targets.ALL, figures, List.of(), HEADER);
        assertTrue(row(report, "lost-webhook break found, (b) shared budget B, least recently checked first: p95 / "
                + "(N / B)").contains("| ≤ 1.10 | 1.10 | **not met** (1.1008) | "
                + "[detection-results.md](detection-results.md) |"), report);
        assertTrue(row(report, "lost-webhook break found, (c) likely-to-break first: p50 / (b)'s p50")
                .contains("| ≤ 0.50 | 0.24 | met |"), report);
        assertTrue(row(report, "(c): longest gap between two checks of a user / maxInterval (no starvation)")
                .contains("**not met** (1.0007)"), "a minute over the maximum interval is starvation: " + report);
        assertTrue(row(report, "lost-webhook break found, (a) today's defaults (150 checks every 10 min, least "
                + "recently checked first)").contains("| — | p50 2.31 d, p95 4.40 d (21,000 breaks) | no target |"),
                report);
    }

    @Test
    void quickModeSaysItsFiguresAreNotTheProjects() {
        String report = BenchReport.render(Targets.ALL, allMet(), List.of(),
                new BenchReport.Header("2026-11-30T00:00:00Z", true, "abc1234", "OpenJDK 17.0.15", "2 cores"));
        assertTrue(report.contains("**quick mode**"), report);
    }

    @Test
    void figuresAndTheRunLogAreReadAsTheBenchesAndRunShWriteThem(@TempDir Path dir) throws IOException {
        String previous = System.getProperty("ck.bench.out");
        System.setProperty("ck.bench.out", dir.toString());
        try {
            BenchOutput.figures("sweep", Map.of("usedOfBudget", "0.9512", "usedOfBudget.text",
                    "**0.95** (2,050 requests: a=b, #1 | c:d \\ e)"));
        } finally {
            if (previous == null) {
                System.clearProperty("ck.bench.out");
            } else {
                System.setProperty("ck.bench.out", previous);
            }
        }
        Files.writeString(dir.resolve("figures/runs.tsv"), "webhook\t612\t0\nsweep\t58\t0\n");
        Map<BenchId, Properties> figures = BenchReport.readFigures(dir.resolve("figures"));
        assertEquals(List.of(BenchId.SWEEP), List.copyOf(figures.keySet()));
        assertEquals("0.9512", figures.get(BenchId.SWEEP).getProperty("usedOfBudget"));
        assertEquals("**0.95** (2,050 requests: a=b, #1 | c:d \\ e)",
                figures.get(BenchId.SWEEP).getProperty("usedOfBudget.text"));
        assertEquals(List.of(new BenchReport.Run("webhook", 612, 0), new BenchReport.Run("sweep", 58, 0)),
                BenchReport.readRuns(dir.resolve("figures/runs.tsv")));
        String report = BenchReport.render(Targets.ALL, figures, BenchReport.readRuns(dir.resolve("figures/runs.tsv")),
                HEADER);
        assertTrue(row(report, "requests used / budget (limit × elapsed windows)")
                .contains("| **0.95** (2,050 requests: a=b, #1 \\| c:d \\ e) | met |"), report);
        assertTrue(report.contains("| all | 11 min 10 s | | | |"), report);
        assertTrue(report.contains("| sweep | 58 s | ran | " + figures.get(BenchId.SWEEP).getProperty("_date")
                + " | [sweep-results.md](sweep-results.md) |"), report);
    }
}
