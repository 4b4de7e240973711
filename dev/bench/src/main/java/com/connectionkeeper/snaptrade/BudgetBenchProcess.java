package com.connectionkeeper.snaptrade;

import com.connectionkeeper.core.config.EnvironmentConfig;
import com.connectionkeeper.core.snaptrade.RequestWindows;
import com.connectionkeeper.core.snaptrade.SnapTradeException;
import com.connectionkeeper.core.snaptrade.UserCredentials;
import com.connectionkeeper.store.DynamoRequestWindows;
import com.connectionkeeper.store.DynamoStores;
import com.connectionkeeper.store.DynamoTable;
import java.io.Writer;
import java.lang.reflect.Field;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One process of the deployment for {@link BudgetBench}, as {@code BudgetProcess} of the gateway's tests: a background
 * gateway (the sweep's, {@code BACKGROUND_THREADS} threads calling in a loop) and an interactive one (the API's,
 * {@code INTERACTIVE_THREADS} callers, each thinking for an exponential time of mean {@code THINK_MILLIS}, then making
 * 1 to {@code BURST} calls back to back, as one API request may), each over its own {@link DynamoRequestWindows} on the
 * shared table; either may have no threads (the sweep's process, an API instance). Each gateway calls as its own user
 * ({@code BACKGROUND_USER_ID}, {@code INTERACTIVE_USER_ID}), so the simulator's log tells their requests apart. All
 * threads start at {@code START_AT} and stop at {@code END_AT} (epoch ms, alike in every process). Writes its counts
 * (calls, failures, DynamoDB requests, takes per pool and outcome, the limiter's own counters) to {@code RESULT} as
 * properties, and each interactive call ({@code start-epoch-ms duration-µs ok|failed}) to {@code CALLS}; failures are
 * logged to stdout with their time.
 */
public final class BudgetBenchProcess {
    private BudgetBenchProcess() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> env = System.getenv();
        DynamoTable table = DynamoStores.table(new EnvironmentConfig(env));
        Duration window = Duration.ofMillis(number(env, "WINDOW_MILLIS"));
        Duration subWindow = Duration.ofMillis(number(env, "SUB_WINDOW_MILLIS"));
        BudgetPlan plan = new BudgetPlan((int) number(env, "LIMIT"), (int) number(env, "APP_RESERVED"),
                (int) number(env, "INTERACTIVE_RESERVED"), window, subWindow, (int) number(env, "SLACK"),
                (int) number(env, "BLOCK"));
        SnapTradeSettings settings = SimulatedSnapTrade.fastSettings(env.get("SIM_URL"))
                .withRateLimit((int) number(env, "OWN_LIMIT"), window)
                .withRetryBudget(Duration.ofMillis(number(env, "RETRY_BUDGET_MILLIS")));
        LogCapture log = new LogCapture();
        Map<CallPriority, CountingWindows> windows = new EnumMap<>(CallPriority.class);
        Map<CallPriority, SnapTradeSdkGateway> gateways = new EnumMap<>(CallPriority.class);
        for (CallPriority priority : CallPriority.values()) {
            CountingWindows counted = new CountingWindows(new DynamoRequestWindows(table, settings.clientId(),
                    subWindow));
            windows.put(priority, counted);
            gateways.put(priority, new SnapTradeSdkGateway(settings, () -> new SnapTradeSdkGateway.ClientKeys(
                    settings.clientId(), settings.consumerKey()), () -> false, Sleeper.SYSTEM, Math::random, log,
                    new SharedBudget(counted, plan, priority)));
        }
        Map<CallPriority, UserCredentials> users = new EnumMap<>(CallPriority.class);
        for (CallPriority priority : CallPriority.values()) {
            String p = priority.name();
            users.put(priority, new UserCredentials(env.get(p + "_USER_ID"), env.get(p + "_USER_SECRET")));
        }
        long startAt = number(env, "START_AT");
        long endAt = number(env, "END_AT");
        long thinkMillis = number(env, "THINK_MILLIS");
        int burst = (int) number(env, "BURST");
        Map<CallPriority, AtomicLong> ok = counters();
        Map<CallPriority, AtomicLong> failed = counters();
        Map<CallPriority, AtomicLong> rateLimited = counters();
        ConcurrentLinkedQueue<String> calls = new ConcurrentLinkedQueue<>();
        List<Thread> threads = new ArrayList<>();
        int background = (int) number(env, "BACKGROUND_THREADS");
        int interactive = (int) number(env, "INTERACTIVE_THREADS");
        for (int i = 0; i < background + interactive; i++) {
            CallPriority priority = i < background ? CallPriority.BACKGROUND : CallPriority.INTERACTIVE;
            SnapTradeSdkGateway gateway = gateways.get(priority);
            UserCredentials user = users.get(priority);
            Thread t = new Thread(() -> {
                sleepUntil(startAt);
                int inBurst = 0;
                while (System.currentTimeMillis() < endAt) {
                    if (priority == CallPriority.INTERACTIVE && inBurst == 0) { // thinks, then 1 to BURST calls
                        ThreadLocalRandom random = ThreadLocalRandom.current();
                        sleepUntil(System.currentTimeMillis()
                                + (long) (-thinkMillis * Math.log(1 - random.nextDouble())));
                        if (System.currentTimeMillis() >= endAt) {
                            break;
                        }
                        inBurst = 1 + random.nextInt(burst);
                    }
                    inBurst = Math.max(0, inBurst - 1);
                    long started = System.currentTimeMillis();
                    long t0 = System.nanoTime();
                    boolean success = true;
                    try {
                        gateway.listConnections(user);
                        ok.get(priority).incrementAndGet();
                    } catch (SnapTradeException e) {
                        success = false;
                        failed.get(priority).incrementAndGet();
                        if (e.kind() == SnapTradeException.Kind.RATE_LIMITED) {
                            rateLimited.get(priority).incrementAndGet();
                        }
                        System.out.println(Instant.now() + " " + priority
                                + " failed after " + (System.nanoTime() - t0) / 1_000_000 + " ms: " + e.getMessage());
                    }
                    if (priority == CallPriority.INTERACTIVE) {
                        calls.add(started + " " + (System.nanoTime() - t0) / 1000 + " " + (success ? "ok" : "failed"));
                    }
                }
            }, priority.name().toLowerCase() + "-" + i);
            t.start();
            threads.add(t);
        }
        for (Thread t : threads) {
            t.join();
        }
        Properties result = new Properties();
        for (CallPriority priority : CallPriority.values()) {
            String p = priority.name().toLowerCase();
            result.setProperty(p + ".ok", ok.get(priority).toString());
            result.setProperty(p + ".failed", failed.get(priority).toString());
            result.setProperty(p + ".rateLimited", rateLimited.get(priority).toString());
            windows.get(priority).into(result, p);
            SharedLimiter limiter = limiterOf(gateways.get(priority));
            result.setProperty(p + ".sharedTakes", Long.toString(limiter.sharedTakes()));
            result.setProperty(p + ".lateGrants", Long.toString(limiter.lateGrants()));
            result.setProperty(p + ".fallbacks", Long.toString(limiter.fallbacks()));
        }
        try (Writer out = Files.newBufferedWriter(Path.of(env.get("RESULT")), StandardCharsets.UTF_8)) {
            result.store(out, "BudgetBenchProcess");
        }
        Files.write(Path.of(env.get("CALLS")), calls, StandardCharsets.UTF_8);
        System.out.println("done: " + result);
        System.exit(0);
    }

    /** The gateway's limiter (a private field): its counters of takes, late grants and fallbacks. */
    private static SharedLimiter limiterOf(SnapTradeSdkGateway gateway) throws ReflectiveOperationException {
        Field field = SnapTradeSdkGateway.class.getDeclaredField("limiter");
        field.setAccessible(true);
        return (SharedLimiter) field.get(gateway);
    }

    private static Map<CallPriority, AtomicLong> counters() {
        Map<CallPriority, AtomicLong> map = new EnumMap<>(CallPriority.class);
        for (CallPriority priority : CallPriority.values()) {
            map.put(priority, new AtomicLong());
        }
        return map;
    }

    private static long number(Map<String, String> env, String name) {
        String value = env.get(name);
        if (value == null) {
            throw new IllegalStateException(name + " is not set");
        }
        return Long.parseLong(value);
    }

    private static void sleepUntil(long epochMillis) {
        long left = epochMillis - System.currentTimeMillis();
        if (left > 0) {
            try {
                Thread.sleep(left);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /**
     * The shared count with every take counted: requests per pool, slots asked for and granted, takes granted nothing
     * or fewer than asked, and their time; and the DynamoDB requests of the adapter beneath.
     */
    static final class CountingWindows implements RequestWindows {
        private final DynamoRequestWindows dynamo;
        private final Map<Pool, AtomicLong[]> takes = new EnumMap<>(Pool.class);
        private final AtomicLong closes = new AtomicLong();

        CountingWindows(DynamoRequestWindows dynamo) {
            this.dynamo = dynamo;
            for (Pool pool : Pool.values()) {
                takes.put(pool, new AtomicLong[] {new AtomicLong(), new AtomicLong(), new AtomicLong(),
                    new AtomicLong(), new AtomicLong(), new AtomicLong()});
            }
        }

        @Override
        public int take(long window, Pool pool, int wanted, int cap) {
            AtomicLong[] c = takes.get(pool);
            c[0].incrementAndGet();
            c[1].addAndGet(wanted);
            long t0 = System.nanoTime();
            int granted = dynamo.take(window, pool, wanted, cap);
            c[5].addAndGet(System.nanoTime() - t0);
            c[2].addAndGet(granted);
            if (granted == 0) {
                c[3].incrementAndGet();
            } else if (granted < wanted) {
                c[4].incrementAndGet();
            }
            return granted;
        }

        @Override
        public void close(long from, long to) {
            closes.incrementAndGet();
            dynamo.close(from, to);
        }

        void into(Properties p, String prefix) {
            p.setProperty(prefix + ".dynamoRequests", Long.toString(dynamo.requests()));
            p.setProperty(prefix + ".closes", closes.toString());
            takes.forEach((pool, c) -> {
                String k = prefix + ".take." + pool.name().toLowerCase();
                p.setProperty(k + ".requests", c[0].toString());
                p.setProperty(k + ".wanted", c[1].toString());
                p.setProperty(k + ".granted", c[2].toString());
                p.setProperty(k + ".none", c[3].toString());
                p.setProperty(k + ".partial", c[4].toString());
                p.setProperty(k + ".micros", Long.toString(c[5].get() / 1000));
            });
        }
    }
}
