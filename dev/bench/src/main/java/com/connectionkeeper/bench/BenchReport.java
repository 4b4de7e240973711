package com.connectionkeeper.bench;

import com.connectionkeeper.bench.Targets.Area;
import com.connectionkeeper.bench.Targets.BenchId;
import com.connectionkeeper.bench.Targets.Target;
import java.io.IOException;
import java.io.Reader;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.TreeSet;

/**
 * The one report of {@code dev/bench/run.sh all}: reads the figures each bench wrote ({@link BenchOutput#figures})
 * and the run's log of benches ({@code figures/runs.tsv}: name, seconds, exit status), and writes {@code report.md}
 * beside the results: a section per area, each figure next to its target ({@link Targets}) with met or not met, and
 * links to the detailed results. {@link #render} does the work on values in memory (tested on samples).
 */
public final class BenchReport {
    /** One bench as run.sh ran it. */
    record Run(String bench, long seconds, int exit) {
    }

    /** What the report says about the run as a whole. */
    record Header(String date, boolean quick, String commit, String java, String machine) {
    }

    /** The outcome of one target. */
    enum Status {
        MET("met"), NOT_MET("**not met**"), NO_TARGET("no target"),
        NO_FIGURE("**no figure** (bench failed or not run)");

        private final String text;

        Status(String text) {
            this.text = text;
        }
    }

    private BenchReport() {
    }

    public static void main(String[] args) throws IOException {
        Path dir = BenchOutput.dir();
        Header header = new Header(Instant.now().truncatedTo(ChronoUnit.SECONDS).toString(), BenchOutput.quick(),
                Machine.commit(), System.getProperty("java.vm.name") + " " + System.getProperty("java.version"),
                Machine.cores());
        Path figures = dir.resolve(BenchOutput.FIGURES);
        String report = render(Targets.ALL, readFigures(figures), readRuns(figures.resolve("runs.tsv")), header);
        Path out = dir.resolve("report.md");
        Files.writeString(out, report, StandardCharsets.UTF_8);
        System.out.print(report);
        System.out.println("\nwritten to " + out);
    }

    /** The figures files in {@code dir}, by bench (a bench without one is absent). */
    static Map<BenchId, Properties> readFigures(Path dir) throws IOException {
        Map<BenchId, Properties> figures = new EnumMap<>(BenchId.class);
        for (BenchId bench : BenchId.values()) {
            Path file = dir.resolve(bench.id() + ".properties");
            if (Files.isRegularFile(file)) {
                Properties p = new Properties();
                try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
                    p.load(reader);
                }
                figures.put(bench, p);
            }
        }
        return figures;
    }

    /** run.sh's log of the benches it ran: {@code name TAB seconds TAB exit status} a line; none if absent. */
    static List<Run> readRuns(Path file) throws IOException {
        List<Run> runs = new ArrayList<>();
        if (Files.isRegularFile(file)) {
            for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                String[] f = line.split("\t");
                if (f.length == 3) {
                    runs.add(new Run(f[0], Long.parseLong(f[1].strip()), Integer.parseInt(f[2].strip())));
                }
            }
        }
        return runs;
    }

    /** The report's text. */
    static String render(List<Target> targets, Map<BenchId, Properties> figures, List<Run> runs, Header header) {
        Map<Target, Status> statuses = new LinkedHashMap<>();
        targets.forEach(t -> statuses.put(t, status(t, figures.get(t.bench()))));
        long withTarget = targets.stream().filter(t -> t.check().hasTarget()).count();
        List<Target> notMet = targets.stream()
                .filter(t -> statuses.get(t) == Status.NOT_MET || t.check().hasTarget() && statuses.get(t)
                        == Status.NO_FIGURE).toList();
        StringBuilder md = new StringBuilder("# Benchmark report\n\n");
        md.append("Written by `dev/bench/run.sh all` (").append(header.quick()
                ? "**quick mode** (`CK_BENCH_QUICK=1`): fewer launches, users, windows and batches — a smoke test "
                        + "of the benches and this report; its figures are not the project's (a 300-user sweep pass, "
                        + "for one, is too short to use its budget)"
                : "full run").append("; this text by `BenchReport` on ").append(header.date())
                .append(" from each bench's last figures, dated below): commit ").append(header.commit())
                .append(", ").append(header.java()).append(", ").append(header.machine()).append(". Each bench runs in "
                        + "a JVM of its own, one after the other; the machine may be shared, so where a target allows "
                        + "it the figure is a ratio against a baseline measured in the same run. Targets: "
                        + "`Targets.java` (README \"Benchmarks\"); details in each bench's results, linked.\n\n");
        md.append(String.format(Locale.ROOT, "**%d of %d targets met**%s.%n%n", withTarget - notMet.size(), withTarget,
                notMet.isEmpty() ? "" : "; not met: " + String.join("; ", notMet.stream()
                        .map(t -> t.area().title() + " — " + t.what()).toList())));
        if (!runs.isEmpty()) {
            md.append("| bench | time | outcome | figures written | results |\n|---|---:|---|---|---|\n");
            long total = 0;
            for (Run run : runs) {
                total += run.seconds();
                BenchId bench = byId(run.bench());
                Properties p = bench == null ? null : figures.get(bench);
                md.append(String.format(Locale.ROOT, "| %s | %s | %s | %s | %s |%n", run.bench(),
                        duration(run.seconds()), run.exit() == 0 ? "ran" : "**failed** (exit " + run.exit() + ")",
                        p == null ? "—" : p.getProperty("_date", "—"), bench == null ? "" : link(bench.results())));
            }
            md.append(String.format(Locale.ROOT, "| all | %s | | | |%n%n", duration(total)));
        }
        for (Area area : Area.values()) {
            md.append("## ").append(area.title()).append("\n\n")
                    .append("| measure | target | figure | | details |\n|---|---|---|---|---|\n");
            for (Target t : targets) {
                if (t.area() == area) {
                    Status status = statuses.get(t);
                    md.append(String.format("| %s | %s | %s | %s | %s |%n", t.what(),
                            t.check().hasTarget() ? t.check().text() : "—", figure(figures.get(t.bench()), t.key()),
                            // the figure itself beside "not met": a text rounded to the bound (1.10) would hide why
                            status == Status.NOT_MET ? status.text + " (" + raw(value(figures.get(t.bench()), t.key()))
                                    + ")" : status.text, link(t.bench().results())));
                }
            }
            if (area == Area.ARTIFACTS) {
                md.append(otherZips(targets, figures.get(BenchId.ARTIFACTS)));
            }
            md.append('\n');
        }
        return md.toString();
    }

    static Status status(Target target, Properties figures) {
        double value = value(figures, target.key());
        if (Double.isNaN(value)) {
            return Status.NO_FIGURE;
        }
        if (!target.check().hasTarget()) {
            return Status.NO_TARGET;
        }
        return target.check().met(value) ? Status.MET : Status.NOT_MET;
    }

    /** Every zip size the artifacts bench measured that no target names: one row each, for information. */
    private static String otherZips(List<Target> targets, Properties figures) {
        if (figures == null) {
            return "";
        }
        StringBuilder rows = new StringBuilder();
        for (String key : new TreeSet<>(figures.stringPropertyNames())) {
            if (key.startsWith("zip.") && key.endsWith(".bytes")
                    && targets.stream().noneMatch(t -> t.bench() == BenchId.ARTIFACTS && t.key().equals(key))) {
                rows.append(String.format("| %s.zip size | — | %s | %s | %s |%n",
                        key.substring("zip.".length(), key.length() - ".bytes".length()), figure(figures, key),
                        Status.NO_TARGET.text, link(BenchId.ARTIFACTS.results())));
            }
        }
        return rows.toString();
    }

    private static double value(Properties figures, String key) {
        if (figures == null || figures.getProperty(key) == null) {
            return Double.NaN;
        }
        try {
            return Double.parseDouble(figures.getProperty(key).strip());
        } catch (NumberFormatException e) {
            return Double.NaN;
        }
    }

    /** The bench's own text for the figure, else the number. */
    private static String figure(Properties figures, String key) {
        if (figures != null && figures.getProperty(key + ".text") != null) {
            return figures.getProperty(key + ".text").replace("|", "\\|").replace("\n", " ");
        }
        return Targets.format(value(figures, key));
    }

    /** Up to 4 decimals, no trailing zeros: 1.1014, 89.9, 16097. */
    private static String raw(double value) {
        return new BigDecimal(value).setScale(4, RoundingMode.HALF_UP).stripTrailingZeros().toPlainString();
    }

    private static BenchId byId(String id) {
        for (BenchId bench : BenchId.values()) {
            if (bench.id().equals(id)) {
                return bench;
            }
        }
        return null;
    }

    private static String link(String file) {
        return "[" + file + "](" + file + ")";
    }

    private static String duration(long seconds) {
        return seconds < 60 ? seconds + " s" : String.format(Locale.ROOT, "%d min %02d s", seconds / 60, seconds % 60);
    }
}
