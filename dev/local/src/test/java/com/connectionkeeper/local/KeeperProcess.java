package com.connectionkeeper.local;

import com.connectionkeeper.testkit.RepoPaths;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code ./keeper local} started as the README says, in a process of its own on a free port (the simulator on any
 * free port, the sweep every 3 s), with what it prints collected: its URLs, and the lifecycle events it prints.
 */
final class KeeperProcess implements AutoCloseable {
    private static final Pattern URL = Pattern.compile("^\\s+(API|simulator)\\s+(http://\\S+)");
    private final List<String> output = new CopyOnWriteArrayList<>();
    private final Process process;
    private List<ProcessHandle> children;
    private String api;
    private String simulator;

    private KeeperProcess(Process process) throws InterruptedException {
        this.process = process;
        try {
            await();
        } catch (AssertionError | InterruptedException e) {
            kill(process); // a stack that did not come up leaves nothing running
            throw e;
        }
        children = process.toHandle().descendants().toList();
    }

    private void await() throws InterruptedException {
        Thread reader = new Thread(() -> {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(),
                    StandardCharsets.UTF_8))) {
                for (String line = in.readLine(); line != null; line = in.readLine()) {
                    output.add(line);
                }
            } catch (IOException ignored) {
                // the process ended
            }
        });
        reader.setDaemon(true);
        reader.start();
        awaitLine(l -> l.startsWith("Ctrl-C stops everything"), Duration.ofSeconds(180));
        for (String line : output) {
            Matcher m = URL.matcher(line);
            if (m.find()) {
                if (m.group(1).equals("API")) {
                    api = m.group(2);
                } else {
                    simulator = m.group(2);
                }
            }
        }
        if (api == null || simulator == null) {
            throw new AssertionError("no URLs printed: " + tail());
        }
    }

    private static void kill(Process process) {
        List<ProcessHandle> all = process.toHandle().descendants().toList();
        process.destroyForcibly();
        all.forEach(ProcessHandle::destroyForcibly);
    }

    static KeeperProcess start() throws IOException, InterruptedException {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        return new KeeperProcess(command("--port", String.valueOf(port), "--simulator-port", "0", "--sweep-every",
                "3", "--reminders-every", "30").start());
    }

    /**
     * {@code ./keeper local} with these options, from the repository root, always with the simulator: the
     * variables that would point it at real SnapTrade are not passed on.
     */
    static ProcessBuilder command(String... options) {
        List<String> command = new ArrayList<>(List.of(RepoPaths.root().resolve("keeper").toString(), "local"));
        command.addAll(List.of(options));
        ProcessBuilder builder = new ProcessBuilder(command).directory(RepoPaths.root().toFile())
                .redirectErrorStream(true);
        builder.environment().keySet().removeIf(name -> name.startsWith("SNAPTRADE_"));
        return builder;
    }

    String api() {
        return api;
    }

    String simulator() {
        return simulator;
    }

    Process process() {
        return process;
    }

    List<String> output() {
        return output;
    }

    /** The detail types the stack printed for this connection, in order. */
    List<String> events(String connection) {
        List<String> out = new ArrayList<>();
        for (String line : output) {
            if (line.startsWith("  event  ") && line.contains("connectionId=" + connection + " ")) {
                String rest = line.substring("  event  ".length());
                out.add(rest.substring(0, rest.indexOf("  ")));
            }
        }
        return out;
    }

    String awaitEvent(String type, String connection) throws InterruptedException {
        return awaitLine(l -> l.startsWith("  event  " + type + "  ") && l.contains("connectionId=" + connection + " "),
                Duration.ofSeconds(30));
    }

    String awaitLine(Predicate<String> wanted, Duration limit) throws InterruptedException {
        long until = System.nanoTime() + limit.toNanos();
        while (System.nanoTime() < until) {
            for (String line : output) {
                if (wanted.test(line)) {
                    return line;
                }
            }
            if (!process.isAlive()) {
                throw new AssertionError("keeper stopped: " + tail());
            }
            Thread.sleep(50);
        }
        throw new AssertionError("not printed within " + limit + ": " + tail());
    }

    String tail() {
        List<String> copy = List.copyOf(output);
        return String.join("\n", copy.subList(Math.max(0, copy.size() - 40), copy.size()));
    }

    /** Forcibly, whatever the test did (a test that checks Ctrl-C sends it itself). */
    @Override
    public void close() {
        kill(process);
        if (children != null) {
            children.forEach(ProcessHandle::destroyForcibly);
        }
    }

    /** Every process on this machine that belongs to some local stack: functions' JVMs and dynalite's node. */
    static List<ProcessHandle> stackProcesses() {
        return ProcessHandle.allProcesses().filter(p -> p.info().commandLine()
                .map(c -> c.contains("runtime.api.client.AWSLambda") || c.contains("launch.js")).orElse(false))
                .toList();
    }
}
