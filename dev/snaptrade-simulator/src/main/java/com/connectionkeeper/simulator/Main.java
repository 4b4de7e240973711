package com.connectionkeeper.simulator;

import java.io.PrintStream;
import java.net.URI;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;

/** Runs the simulator standalone until stopped: {@code java -jar snaptrade-simulator.jar --help}. */
public final class Main {
    private static final String USAGE = String.join(System.lineSeparator(),
            "usage: java -jar snaptrade-simulator.jar --client-id ID --consumer-key KEY [options]",
            "  --port N                    loopback port (default 8787; 0 = any free port)",
            "  --webhook-url URL           where webhooks are POSTed (default: recorded only)",
            "  --webhook-first-retry-ms N  first retry delay of a failed webhook, doubling (default 1800000)",
            "  --webhook-delay-ms N        how long after its event a webhook goes out (default 0)",
            "  --rate-limit N              requests per window per client (default 250)",
            "  --window-seconds N          rolling rate-limit window (default 60)",
            "  --portal-ttl-seconds N      Connection Portal link lifetime (default 300)");

    private Main() {
    }

    public static void main(String[] args) throws InterruptedException {
        if (args.length == 1 && args[0].equals("--help")) {
            System.out.println(USAGE);
            return;
        }
        SimulatorConfig config;
        try {
            config = parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.err.println(USAGE);
            System.exit(2);
            return;
        }
        SnapTradeSimulator simulator = SnapTradeSimulator.start(config);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            simulator.close();
            stopped.countDown();
        }));
        PrintStream out = System.out;
        out.println("SnapTrade simulator for client " + config.clientId());
        out.println("API base URL (SDK Configuration.host): " + simulator.baseUrl());
        out.println("control API: " + simulator.controlUrl());
        out.println("webhooks: " + (config.webhookUrl() == null ? "recorded only" : config.webhookUrl()));
        out.flush();
        stopped.await();
    }

    static SimulatorConfig parse(String[] args) {
        Map<String, String> options = new HashMap<>();
        for (int i = 0; i < args.length; i++) {
            if (!args[i].startsWith("--") || i + 1 >= args.length) {
                throw new IllegalArgumentException("expected --option value pairs, got " + args[i]);
            }
            options.put(args[i].substring(2), args[++i]);
        }
        SimulatorConfig.Builder builder = SimulatorConfig.builder(options.remove("client-id"),
                        options.remove("consumer-key"))
                .port(Integer.parseInt(options.getOrDefault("port", "8787")));
        options.remove("port");
        String webhookUrl = options.remove("webhook-url");
        if (webhookUrl != null) {
            builder.webhookUrl(URI.create(webhookUrl));
        }
        number(options, "webhook-first-retry-ms").ifPresent(n -> builder.webhookFirstRetry(Duration.ofMillis(n)));
        number(options, "webhook-delay-ms").ifPresent(n -> builder.webhookDelay(Duration.ofMillis(n)));
        number(options, "rate-limit").ifPresent(n -> builder.rateLimit(Math.toIntExact(n)));
        number(options, "window-seconds").ifPresent(n -> builder.window(Duration.ofSeconds(n)));
        number(options, "portal-ttl-seconds").ifPresent(n -> builder.portalSessionTtl(Duration.ofSeconds(n)));
        if (!options.isEmpty()) {
            throw new IllegalArgumentException("unknown options " + options.keySet());
        }
        return builder.build();
    }

    private static Optional<Long> number(Map<String, String> options, String name) {
        String value = options.remove(name);
        try {
            return Optional.ofNullable(value).map(Long::parseLong);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--" + name + " must be a number, not " + value, e);
        }
    }
}
