package com.connectionkeeper.snaptrade;

import com.connectionkeeper.core.config.EnvironmentConfig;
import com.connectionkeeper.core.snaptrade.SnapTradeException;
import com.connectionkeeper.core.snaptrade.UserCredentials;
import com.connectionkeeper.store.DynamoRequestWindows;
import com.connectionkeeper.store.DynamoStores;
import com.connectionkeeper.store.DynamoTable;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One process of the deployment, for {@link SharedBudgetProcessesTest}: a background gateway (the sweep's) and an
 * interactive one (the API's) over the shared count in the table, their threads listing one user's connections
 * until the time is up; writes {@code ok=<n> failed=<n> fallbacks=<n>} to the result file.
 */
public final class BudgetProcess {
    /** The compressed minute of the test: SnapTrade's window, and the plan's sub-windows. */
    static final Duration WINDOW = Duration.ofSeconds(6);
    static final Duration SUB_WINDOW = Duration.ofMillis(200);
    static final int LIMIT = 250;

    private BudgetProcess() {
    }

    static BudgetPlan plan() {
        // slack 2 (400 ms): the minute is compressed tenfold, but a loaded 2-core machine's delays from taking a slot
        // to the simulator receiving the request (scheduling, GC in four JVMs) are not; production's slack is 2 s
        return new BudgetPlan(LIMIT, 0, 30, WINDOW, SUB_WINDOW, 2, 8);
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> env = System.getenv();
        DynamoTable table = DynamoStores.table(new EnvironmentConfig(env));
        SnapTradeSettings settings = SimulatedSnapTrade.fastSettings(env.get("SIM_URL"))
                // a read timeout well above a loaded 2-core machine's slowest answer (three JVMs, dynalite, the
                // simulator): a timeout is retried and spends a request this test does not plan for
                .withTimeouts(Duration.ofSeconds(2), Duration.ofSeconds(3), Duration.ofSeconds(2))
                .withRateLimit(Integer.parseInt(env.get("OWN_LIMIT")), WINDOW)
                .withRetryBudget(Duration.ofSeconds(10));
        LogCapture log = new LogCapture();
        List<SnapTradeSdkGateway> gateways = new ArrayList<>();
        for (CallPriority priority : CallPriority.values()) {
            DynamoRequestWindows windows = new DynamoRequestWindows(table, settings.clientId(), SUB_WINDOW);
            gateways.add(new SnapTradeSdkGateway(settings, () -> new SnapTradeSdkGateway.ClientKeys(
                    settings.clientId(), settings.consumerKey()), () -> false, Sleeper.SYSTEM, Math::random, log,
                    new SharedBudget(windows, plan(), priority)));
        }
        UserCredentials user = new UserCredentials(env.get("USER_ID"), env.get("USER_SECRET"));
        long end = System.currentTimeMillis() + Long.parseLong(env.get("RUN_MILLIS"));
        AtomicInteger ok = new AtomicInteger();
        AtomicInteger failed = new AtomicInteger();
        List<Thread> threads = new ArrayList<>();
        int background = Integer.parseInt(env.get("BACKGROUND_THREADS"));
        int interactive = Integer.parseInt(env.get("INTERACTIVE_THREADS"));
        for (int i = 0; i < background + interactive; i++) {
            SnapTradeSdkGateway gateway = gateways.get(i < background ? 1 : 0);
            Thread t = new Thread(() -> {
                while (System.currentTimeMillis() < end) {
                    try {
                        gateway.listConnections(user);
                        ok.incrementAndGet();
                    } catch (SnapTradeException e) {
                        failed.incrementAndGet();
                        System.out.println("failed: " + e.getMessage());
                    }
                }
            });
            t.start();
            threads.add(t);
        }
        for (Thread t : threads) {
            t.join();
        }
        int fallbacks = log.events("snaptrade_budget_unavailable").size();
        Files.writeString(Path.of(env.get("RESULT")), "ok=" + ok + " failed=" + failed + " fallbacks=" + fallbacks);
        System.exit(0);
    }
}
