package com.connectionkeeper.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** What the reports say about the machine and the code: the commit, the cores, a command's first line. */
final class Machine {
    private Machine() {
    }

    /**
     * The short commit, with " + uncommitted changes" when the work tree differs from it — the benches' own output
     * (dev/bench's results, report and figures, which a run rewrites) aside.
     */
    static String commit() {
        return firstLine("git", "rev-parse", "--short", "HEAD")
                + (List.of("", "unknown").contains(firstLine("git", "status", "--porcelain", "--", ".",
                        ":(exclude)dev/bench/*.md", ":(exclude)dev/bench/figures")) ? "" : " + uncommitted changes");
    }

    /** E.g. {@code 2 cores × AMD EPYC}. */
    static String cores() {
        String cpu = firstLine("sh", "-c", "grep -m1 'model name' /proc/cpuinfo | cut -d: -f2");
        return Runtime.getRuntime().availableProcessors() + " cores"
                + (cpu.isBlank() || cpu.equals("unknown") ? "" : " × " + cpu.strip());
    }

    /** The command's first line of output, or {@code unknown} when it fails. */
    static String firstLine(String... command) {
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
}
