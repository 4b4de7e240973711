package com.connectionkeeper.bench;

import com.connectionkeeper.testkit.RepoPaths;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.TreeMap;

/**
 * Where every bench writes, and the figures it hands to {@link BenchReport}. By default the results go to
 * {@code dev/bench/*results.md}; {@code -Dck.bench.out=DIR} (run.sh: quick mode, or CK_BENCH_OUT) sends them to DIR
 * instead, so a smoke run leaves the committed results alone. {@code -Dck.bench.quick=true} (run.sh:
 * CK_BENCH_QUICK=1) asks each bench for a short version of itself: fewer launches, users, windows, batches.
 */
public final class BenchOutput {
    /** The folder under the output folder that holds one {@code <bench>.properties} of figures per bench. */
    static final String FIGURES = "figures";

    private BenchOutput() {
    }

    /** Whether this is a quick (smoke) run. */
    public static boolean quick() {
        return Boolean.getBoolean("ck.bench.quick");
    }

    /** {@code full} in a normal run, {@code quick} in a quick one. */
    public static <T> T pick(T full, T quick) {
        return quick() ? quick : full;
    }

    /** The output folder: {@code -Dck.bench.out}, else {@code <repository>/dev/bench}. */
    public static Path dir() {
        String out = System.getProperty("ck.bench.out");
        Path dir = out == null || out.isBlank() ? RepoPaths.root().resolve("dev/bench")
                : RepoPaths.root().resolve(out).normalize();
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return dir;
    }

    /** A results file ({@code results.md}, {@code sweep-results.md}, ...) in the output folder. */
    public static Path results(String fileName) {
        return dir().resolve(fileName);
    }

    /**
     * Writes one bench's figures for the report: numbers under their keys (see {@link Targets}), and for a key
     * {@code k} an optional {@code k.text} the report shows instead of the bare number. Adds when, on which JDK and
     * whether quick.
     */
    public static void figures(String bench, Map<String, ?> figures) {
        Map<String, String> all = new TreeMap<>();
        figures.forEach((key, value) -> all.put(key, String.valueOf(value)));
        all.put("_date", Instant.now().truncatedTo(ChronoUnit.SECONDS).toString());
        all.put("_java", System.getProperty("java.version"));
        all.put("_quick", Boolean.toString(quick()));
        StringBuilder text = new StringBuilder("# figures of the ").append(bench)
                .append(" bench for dev/bench/report.md (BenchReport); written by the bench itself\n");
        all.forEach((key, value) -> text.append(escape(key)).append('=').append(escape(value)).append('\n'));
        try {
            Path dir = Files.createDirectories(dir().resolve(FIGURES));
            Files.writeString(dir.resolve(bench + ".properties"), text, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Properties escaping (UTF-8 file: only the characters the format itself gives a meaning). */
    private static String escape(String s) {
        StringBuilder out = new StringBuilder(s.length());
        for (char c : s.toCharArray()) {
            switch (c) {
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '=', ':', '#', '!' -> out.append('\\').append(c);
                default -> out.append(c);
            }
        }
        return out.toString();
    }
}
