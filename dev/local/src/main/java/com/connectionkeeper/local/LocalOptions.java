package com.connectionkeeper.local;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/** The options of {@code ./keeper local}; a bad one is an error naming it. */
record LocalOptions(Path root, int port, int simulatorPort, Duration sweepEvery, Duration remindersEvery,
                    boolean demo, boolean exitAfterDemo, boolean help) {
    static final String USAGE = String.join(System.lineSeparator(),
            "usage: ./keeper local [options]",
            "  --port N               the local API (template routes, webhook, landing) on 127.0.0.1:N (default 3000)",
            "  --simulator-port N     the SnapTrade simulator (default 8787; 0 = any free port)",
            "  --sweep-every S        seconds between sweep runs (default 30; in AWS: SweepSchedule)",
            "  --reminders-every S    seconds between reminder runs (default 60; in AWS: ReminderSchedule)",
            "  --demo                 once ready, play the whole repair story against the stack and print each step",
            "  --demo-and-exit        the same, then stop (exit status 0 when every step held)",
            "  --help                 this text");

    static LocalOptions parse(String[] args) {
        Path root = Path.of(System.getProperty("ck.root", ".")).toAbsolutePath().normalize();
        int port = 3000;
        int simulatorPort = 8787;
        Duration sweep = Duration.ofSeconds(30);
        Duration reminders = Duration.ofSeconds(60);
        boolean demo = false;
        boolean exit = false;
        boolean help = false;
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            switch (a) {
                case "--demo" -> demo = true;
                case "--demo-and-exit" -> {
                    demo = true;
                    exit = true;
                }
                case "--help", "-h" -> help = true;
                case "--port", "--simulator-port", "--sweep-every", "--reminders-every" -> {
                    if (i + 1 >= args.length) {
                        throw new IllegalArgumentException(a + " needs a value");
                    }
                    int n = number(a, args[++i]);
                    switch (a) {
                        case "--port" -> port = port(a, n, false);
                        case "--simulator-port" -> simulatorPort = port(a, n, true);
                        case "--sweep-every" -> sweep = seconds(a, n);
                        default -> reminders = seconds(a, n);
                    }
                }
                default -> throw new IllegalArgumentException("unknown option " + a);
            }
        }
        if (!Files.isRegularFile(root.resolve("template.yaml"))) {
            throw new IllegalArgumentException("no template.yaml in " + root + " (run ./keeper from the repository)");
        }
        return new LocalOptions(root, port, simulatorPort, sweep, reminders, demo, exit, help);
    }

    private static int number(String option, String text) {
        try {
            return Integer.parseInt(text);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(option + " takes a whole number, not \"" + text + "\"");
        }
    }

    private static int port(String option, int n, boolean zeroAllowed) {
        if (n < (zeroAllowed ? 0 : 1) || n > 65_535) {
            throw new IllegalArgumentException(option + " must be a port, " + (zeroAllowed ? 0 : 1) + " to 65535");
        }
        return n;
    }

    private static Duration seconds(String option, int n) {
        if (n < 1 || n > 86_400) {
            throw new IllegalArgumentException(option + " must be 1 to 86400 seconds");
        }
        return Duration.ofSeconds(n);
    }
}
