package com.connectionkeeper.testkit;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

/**
 * Captures what the function logs (JsonLog prints one JSON line per event on stdout) while still printing it, so the
 * suite's output (scanned by LogHygieneIT) is unchanged. Close to restore stdout.
 */
public final class StdoutCapture implements AutoCloseable {
    private final PrintStream original = System.out;
    private final ByteArrayOutputStream captured = new ByteArrayOutputStream();

    public StdoutCapture() {
        OutputStream tee = new OutputStream() {
            @Override
            public void write(int b) {
                original.write(b);
                synchronized (captured) {
                    captured.write(b);
                }
            }

            @Override
            public void write(byte[] b, int off, int len) {
                original.write(b, off, len);
                synchronized (captured) {
                    captured.write(b, off, len);
                }
            }
        };
        System.setOut(new PrintStream(tee, true, StandardCharsets.UTF_8));
    }

    /** The lines {@code action} printed (and printed through, as ever). */
    public static List<String> linesOf(Runnable action) {
        try (StdoutCapture out = new StdoutCapture()) {
            action.run();
            return out.lines();
        }
    }

    public List<String> lines() {
        synchronized (captured) {
            return Arrays.stream(captured.toString(StandardCharsets.UTF_8).split("\n")).filter(l -> !l.isEmpty())
                    .toList();
        }
    }

    /** The captured lines logged at ERROR level. */
    public List<String> errors() {
        return lines().stream().filter(l -> l.contains("\"level\":\"ERROR\"")).toList();
    }

    public void clear() {
        synchronized (captured) {
            captured.reset();
        }
    }

    @Override
    public void close() {
        System.out.flush();
        System.setOut(original);
    }
}
