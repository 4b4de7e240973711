package com.connectionkeeper.simulator;

import java.io.PrintStream;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.function.Function;

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
            "  --portal-ttl-seconds N      Connection Portal link lifetime (default 300)",
            "  --token-lifetimes TEXT      token lifetime per brokerage, e.g. 'ALPACA=normal(14d,12h);*=exponential(30d)'",
            "                              (fixed, uniform, normal, lognormal, exponential, none; default: never expire)",
            "  --lost-webhook-share P      share 0..1 of token-expiry CONNECTION_BROKEN webhooks lost (default 0)",
            "  --seed N                    seed of the lifetimes drawn and the webhooks lost (default 0)",
            "  --simulated-clock START     a clock that moves only by POST /control/clock/advance, from an ISO",
            "                              instant or 'now' (default: the system clock)");

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
        if (config.tokenLifetimes().anyExpire()) {
            out.println("token lifetimes: " + config.tokenLifetimes() + " (lost webhooks: " + config.lostWebhookShare()
                    + ", seed " + config.seed() + ")");
        }
        if (config.clock() instanceof SimulatedClock) {
            out.println("simulated clock at " + config.clock().instant() + ": POST " + simulator.controlUrl()
                    + "/clock/advance {\"by\":\"1h\"} moves it");
        }
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
        number(options, "seed").ifPresent(builder::seed);
        option(options, "token-lifetimes", TokenLifetimes::parse).ifPresent(builder::tokenLifetimes);
        option(options, "lost-webhook-share", Main::share).ifPresent(builder::lostWebhookShare);
        option(options, "simulated-clock", start -> new SimulatedClock(start.equals("now") ? Instant.now()
                : Instant.parse(start))).ifPresent(builder::clock);
        if (!options.isEmpty()) {
            throw new IllegalArgumentException("unknown options " + options.keySet());
        }
        return builder.build();
    }

    /** The option's value as {@code parse} reads it; a failure names the option and the value. */
    private static <T> Optional<T> option(Map<String, String> options, String name, Function<String, T> parse) {
        String value = options.remove(name);
        try {
            return Optional.ofNullable(value).map(parse);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("--" + name + " " + value + ": " + e.getMessage(), e);
        }
    }

    private static double share(String text) {
        double share = Double.parseDouble(text);
        if (!(share >= 0 && share <= 1)) {
            throw new IllegalArgumentException("a share from 0 to 1");
        }
        return share;
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
