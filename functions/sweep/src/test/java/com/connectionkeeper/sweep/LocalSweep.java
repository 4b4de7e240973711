package com.connectionkeeper.sweep;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.connectionkeeper.core.config.EnvironmentConfig;
import com.connectionkeeper.core.model.ConnectionState;
import com.connectionkeeper.core.model.ConnectionStatus;
import com.connectionkeeper.core.model.RetryBackoff;
import com.connectionkeeper.core.secrets.LocalSealer;
import com.connectionkeeper.core.sweep.SweepPlanner;
import com.connectionkeeper.core.sweep.UserSweep;
import com.connectionkeeper.kms.Sealers;
import com.connectionkeeper.simulator.Endpoint;
import com.connectionkeeper.simulator.RecordedRequest;
import com.connectionkeeper.simulator.SimulatedConnection;
import com.connectionkeeper.simulator.SimulatorConfig;
import com.connectionkeeper.simulator.SnapTradeSimulator;
import com.connectionkeeper.snaptrade.BudgetPlan;
import com.connectionkeeper.snaptrade.CallPriority;
import com.connectionkeeper.snaptrade.SharedBudget;
import com.connectionkeeper.snaptrade.Sleeper;
import com.connectionkeeper.snaptrade.SnapTradeSdkGateway;
import com.connectionkeeper.snaptrade.SnapTradeSettings;
import com.connectionkeeper.store.DynamoConnectionStore;
import com.connectionkeeper.store.DynamoRequestWindows;
import com.connectionkeeper.store.DynamoSecretStore;
import com.connectionkeeper.store.DynamoStores;
import com.connectionkeeper.store.DynamoSweepQueue;
import com.connectionkeeper.store.DynamoTable;
import com.connectionkeeper.store.StoreProbe;
import com.connectionkeeper.testkit.Dynalite;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.function.LongSupplier;
import java.util.stream.Collectors;

/**
 * A sweep against a fresh dynalite table and a simulated SnapTrade (no rate limit to speak of, short timeouts and
 * backoffs), with ways to seed users and compare the table with the simulator's truth; close after use.
 */
final class LocalSweep implements AutoCloseable {
    static final String CLIENT_ID = "CK-SWEEP-TEST-CLIENT";
    static final String CONSUMER_KEY = "ck-sweep-test-consumer-key-8d2e";
    /** The local sealing key of the users' secrets (the handler's and the test's stores share it). */
    static final String SEALING_KEY = LocalSealer.newKeyBase64();
    static final LongSupplier PLENTY_OF_TIME = () -> Duration.ofMinutes(10).toMillis();

    final SnapTradeSimulator simulator;
    final SnapTradeSettings settings;
    final String table;
    final DynamoConnectionStore connections;
    final DynamoSecretStore secrets;
    final DynamoSweepQueue sweepQueue;
    final StoreProbe probe;
    final UserSweep users;

    LocalSweep() {
        this(1_000_000, Duration.ofMinutes(1), null);
    }

    /**
     * A simulator at this rate limit per window, and a gateway that takes its slots from the deployment's shared count
     * in this test's table with {@code plan} as a background caller (the sweep's); null: no shared budget.
     */
    LocalSweep(int rateLimit, Duration window, BudgetPlan plan) {
        this.simulator = SnapTradeSimulator.start(SimulatorConfig.builder(CLIENT_ID, CONSUMER_KEY)
                .rateLimit(rateLimit).window(window).build());
        this.settings = SnapTradeSettings.of(CLIENT_ID, CONSUMER_KEY).withBaseUrl(simulator.baseUrl())
                // a read timeout well above a loaded 2-core machine's slowest answer: a timeout would be retried and
                // spend requests the tests count exactly (no sweep test injects a hang)
                .withTimeouts(Duration.ofSeconds(2), Duration.ofSeconds(3), Duration.ofSeconds(2))
                .withBackoff(Duration.ofMillis(20), Duration.ofMillis(200))
                .withRetryBudget(Duration.ofSeconds(3))
                .withRateLimit(1_000_000, Duration.ofMinutes(1));
        this.table = Dynalite.createTable();
        DynamoStores stores = DynamoStores.create(Dynalite.client(), table, Duration.ofDays(1),
                LocalSealer.fromBase64(SEALING_KEY, "test key"));
        this.connections = stores.connections();
        this.secrets = stores.secrets();
        this.sweepQueue = stores.sweepQueue();
        this.probe = new StoreProbe(stores);
        SnapTradeSdkGateway gateway = plan == null
                ? new SnapTradeSdkGateway(settings, Sleeper.SYSTEM, () -> 1.0, line -> { })
                : gateway(plan, CallPriority.BACKGROUND);
        this.users = new UserSweep(connections, secrets, sweepQueue, gateway, Clock.systemUTC(), RetryBackoff.DEFAULT);
    }

    /** A gateway over the shared count in this test's table, as an API instance (interactive) or a sweep would have. */
    SnapTradeSdkGateway gateway(BudgetPlan plan, CallPriority priority) {
        DynamoRequestWindows windows = new DynamoRequestWindows(new DynamoTable(Dynalite.client(), table), CLIENT_ID,
                plan.subWindow());
        return new SnapTradeSdkGateway(settings, () -> new SnapTradeSdkGateway.ClientKeys(CLIENT_ID, CONSUMER_KEY),
                () -> false, Sleeper.SYSTEM, () -> 1.0, line -> { }, new SharedBudget(windows, plan, priority));
    }

    /** A run with this request budget and concurrency, and the margin the test's gateway needs. */
    SweepRun run(int requestsPerRun, int concurrency) {
        return run(new SweepSettings(requestsPerRun, concurrency, SweepSettings.marginFor(settings.retryBudget())));
    }

    SweepRun run(SweepSettings sweep) {
        return new SweepRun(sweepQueue, new SweepPlanner(sweepQueue), users, Clock.systemUTC(), sweep);
    }

    static String runId() {
        return "run-" + UUID.randomUUID();
    }

    /** The sweep function's environment as in Lambda, over this table and simulator, at most this many users a run. */
    Map<String, String> environment(int requestsPerRun) {
        return Map.of(
                EnvironmentConfig.TABLE_NAME, table,
                EnvironmentConfig.DYNAMODB_ENDPOINT, Dynalite.endpoint().toString(),
                SnapTradeSettings.ENV_CLIENT_ID, CLIENT_ID,
                SnapTradeSettings.ENV_CONSUMER_KEY, CONSUMER_KEY,
                SnapTradeSettings.ENV_BASE_URL, simulator.baseUrl(),
                SweepSettings.ENV_REQUESTS_PER_RUN, Integer.toString(requestsPerRun),
                Sealers.SECRET_SEALING, Sealers.LOCAL,
                Sealers.SECRET_SEALING_KEY, SEALING_KEY);
    }

    /** A user at SnapTrade whose secret we store. */
    String seedUser(String userId) {
        secrets.saveUserSecret(userId, simulator.control().seedUser(userId));
        return userId;
    }

    String addConnection(String userId) {
        return simulator.control().addConnection(userId, "ALPACA", "read");
    }

    /** SnapTrade's truth for the user: connection id to BROKEN or ACTIVE. */
    Map<String, ConnectionStatus> truth(String userId) {
        return simulator.control().connections(userId).stream().collect(Collectors.toMap(SimulatedConnection::id,
                c -> c.disabled() ? ConnectionStatus.BROKEN : ConnectionStatus.ACTIVE, (a, b) -> a, TreeMap::new));
    }

    /** Our connections of the user that are not deleted: connection id to status. */
    Map<String, ConnectionStatus> live(String userId) {
        return connections.connections(userId).stream().filter(c -> c.status() != ConnectionStatus.DELETED)
                .collect(Collectors.toMap(ConnectionState::connectionId, ConnectionState::status, (a, b) -> a,
                        TreeMap::new));
    }

    /** The table holds exactly SnapTrade's connections of the user; every other one it knows is DELETED. */
    void assertMatchesTruth(String userId) {
        assertEquals(truth(userId), live(userId), userId);
    }

    /** The users whose connections the simulator was asked to list, one entry per request. */
    List<String> listedUsers() {
        return simulator.requests().of(Endpoint.LIST_AUTHORIZATIONS).stream()
                .map(r -> r.queryParam("userId")).toList();
    }

    int listRequests() {
        return simulator.requests().count(Endpoint.LIST_AUTHORIZATIONS);
    }

    List<RecordedRequest> allRequests() {
        return simulator.requests().all();
    }

    @Override
    public void close() {
        simulator.close();
    }
}
