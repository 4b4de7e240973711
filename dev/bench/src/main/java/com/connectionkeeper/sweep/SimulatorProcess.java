package com.connectionkeeper.sweep;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The SnapTrade simulator as a process of its own ({@code java -jar snaptrade-simulator.jar}, any free loopback
 * port): its API base URL and control API URL as it prints them. {@link #close()} stops it (SIGTERM, then kill).
 */
final class SimulatorProcess implements AutoCloseable {
    private static final String API_LINE = "API base URL (SDK Configuration.host): ";
    private static final String CONTROL_LINE = "control API: ";
    private static final long START_SECONDS = 30;

    private final Process process;
    private final String baseUrl;
    private final String controlUrl;

    private SimulatorProcess(Process process, String baseUrl, String controlUrl) {
        this.process = process;
        this.baseUrl = baseUrl;
        this.controlUrl = controlUrl;
    }

    /** Starts the jar built by {@code mvn -pl dev/snaptrade-simulator -am package}, with this rate limit per minute. */
    static SimulatorProcess start(Path jar, String clientId, String consumerKey, int rateLimitPerMinute) {
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(jar + " is missing: build it with "
                    + "mvn -B -q -pl dev/snaptrade-simulator -am package -DskipTests");
        }
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        List<String> command = List.of(java.toString(), "-jar", jar.toString(), "--client-id", clientId,
                "--consumer-key", consumerKey, "--port", "0", "--rate-limit", Integer.toString(rateLimitPerMinute),
                "--window-seconds", "60");
        Process process;
        try {
            process = new ProcessBuilder(command).redirectErrorStream(true).start();
        } catch (IOException e) {
            throw new IllegalStateException("cannot start the simulator: " + e.getMessage(), e);
        }
        CompletableFuture<String> api = new CompletableFuture<>();
        CompletableFuture<String> control = new CompletableFuture<>();
        Thread reader = new Thread(() -> {
            try (BufferedReader lines = new BufferedReader(
                    new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                    if (line.startsWith(API_LINE)) {
                        api.complete(line.substring(API_LINE.length()).trim());
                    } else if (line.startsWith(CONTROL_LINE)) {
                        control.complete(line.substring(CONTROL_LINE.length()).trim());
                    }
                }
            } catch (IOException e) {
                // the process ended; a start still waiting fails below
            }
            IllegalStateException ended = new IllegalStateException("the simulator exited before it listened");
            api.completeExceptionally(ended);
            control.completeExceptionally(ended);
        }, "simulator-output");
        reader.setDaemon(true);
        reader.start();
        try {
            return new SimulatorProcess(process, api.get(START_SECONDS, TimeUnit.SECONDS),
                    control.get(START_SECONDS, TimeUnit.SECONDS));
        } catch (ExecutionException | TimeoutException e) {
            process.destroyForcibly();
            throw new IllegalStateException("the simulator did not start: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while starting the simulator", e);
        }
    }

    /** The API root, the SDK's {@code Configuration.host}. */
    String baseUrl() {
        return baseUrl;
    }

    /** The control API root (no trailing slash). */
    String controlUrl() {
        return controlUrl.endsWith("/") ? controlUrl.substring(0, controlUrl.length() - 1) : controlUrl;
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
