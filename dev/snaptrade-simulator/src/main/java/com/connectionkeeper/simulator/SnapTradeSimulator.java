package com.connectionkeeper.simulator;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A SnapTrade stand-in on a loopback port: the API below {@code /api/v1} as SDK 5.0.157 calls it, the Connection
 * Portal below {@code /portal}, and a control API below {@code /control}. Start with {@link #start(SimulatorConfig)},
 * point the SDK's {@code Configuration.host} at {@link #baseUrl()}, close when done. With {@link TokenLifetimes}
 * configured, connections break when their token expires (see {@link SimulatedClock} to run weeks in minutes).
 */
public final class SnapTradeSimulator implements AutoCloseable {
    /** The start of every user secret the simulator issues: tests search captured output for it. */
    public static final String SECRET_MARK = "simsecret-";

    static final String API_PREFIX = "/api/v1";

    private final HttpServer server;
    private final ExecutorService workers;
    private final ScheduledExecutorService scheduler;
    private final SimulatorControl control;
    private final Faults faults = new Faults();
    private final RequestLog requests = new RequestLog();
    private final WebhookLog webhooks = new WebhookLog();
    private final ExpiryLog expiries = new ExpiryLog();
    private final TokenExpiries tokenExpiries;
    private final SimulatedClock simulatedClock;

    private SnapTradeSimulator(SimulatorConfig config) throws IOException {
        this.workers = Executors.newCachedThreadPool(daemonThreads("snaptrade-sim-http"));
        this.scheduler = Executors.newScheduledThreadPool(2, daemonThreads("snaptrade-sim-webhooks"));
        SplittableRandom seeded = new SplittableRandom(config.seed());
        SimulatorState state = new SimulatorState(config.clock(), config.tokenLifetimes(), seeded.split());
        WebhookSender sender = new WebhookSender(config, webhooks, scheduler);
        this.tokenExpiries = new TokenExpiries(state, sender, expiries, config, seeded.split());
        this.control = new SimulatorControl(state, sender, tokenExpiries);
        this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), config.port()), 0);
        PortalSessions portal = new PortalSessions(config, state, sender, this::origin);
        RateLimiter limiter = new RateLimiter(config.rateLimit(), config.window());
        Operations operations = new Operations(state, sender, portal, tokenExpiries);
        server.createContext(API_PREFIX + "/", new SnapTradeApiHandler(config, operations, limiter, faults, requests));
        server.createContext("/portal/", new PortalHandler(portal));
        server.createContext("/control/", new ControlHandler(control, faults, requests, webhooks, expiries,
                config.clock()));
        server.setExecutor(workers);
        this.simulatedClock = config.clock() instanceof SimulatedClock clock ? clock : null;
        if (simulatedClock != null) {
            simulatedClock.register(tokenExpiries);
        } else if (config.tokenLifetimes().anyExpire()) {
            scheduler.scheduleWithFixedDelay(tokenExpiries::catchUp, 1, 1, TimeUnit.SECONDS);
        }
        server.start();
    }

    /** Starts a simulator; with port 0 it listens on a free loopback port. */
    public static SnapTradeSimulator start(SimulatorConfig config) {
        try {
            return new SnapTradeSimulator(config);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot listen on 127.0.0.1:" + config.port(), e);
        }
    }

    public int port() {
        return server.getAddress().getPort();
    }

    /** {@code http://127.0.0.1:<port>/api/v1}: the SDK's {@code Configuration.host}. */
    public String baseUrl() {
        return origin() + API_PREFIX;
    }

    /** {@code http://127.0.0.1:<port>/control}: the HTTP control API (see the module README). */
    public String controlUrl() {
        return origin() + "/control";
    }

    /** Users and connections: seed, break, fix, delete, and read the truth. */
    public SimulatorControl control() {
        return control;
    }

    /** Per-endpoint faults: latency, 5xx, timeouts, malformed bodies, 429 bursts. */
    public Faults faults() {
        return faults;
    }

    /** Every API request received. */
    public RequestLog requests() {
        return requests;
    }

    /** Every webhook produced, with delivery attempts. */
    public WebhookLog webhooks() {
        return webhooks;
    }

    /** Every connection broken by its token's expiry, with whether its webhook was lost; listeners for the next. */
    public ExpiryLog expiries() {
        return expiries;
    }

    /** Stops listening, abandons hung requests and pending webhook retries, leaves its simulated clock. */
    @Override
    public void close() {
        if (simulatedClock != null) {
            simulatedClock.release(tokenExpiries);
        }
        server.stop(0);
        workers.shutdownNow();
        scheduler.shutdownNow();
    }

    private String origin() {
        return "http://127.0.0.1:" + port();
    }

    private static ThreadFactory daemonThreads(String prefix) {
        AtomicInteger count = new AtomicInteger();
        return runnable -> {
            Thread thread = new Thread(runnable, prefix + "-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }
}
