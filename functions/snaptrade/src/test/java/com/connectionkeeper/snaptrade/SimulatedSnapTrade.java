package com.connectionkeeper.snaptrade;

import com.connectionkeeper.core.snaptrade.UserCredentials;
import com.connectionkeeper.simulator.SimulatorConfig;
import com.connectionkeeper.simulator.SnapTradeSimulator;
import java.time.Duration;
import java.util.UUID;
import java.util.function.UnaryOperator;

/** A simulator and a gateway pointed at it, with recorded sleeps and log lines; close after use. */
final class SimulatedSnapTrade implements AutoCloseable {
    static final String CLIENT_ID = "CK-TEST-CLIENT";
    static final String CONSUMER_KEY = "ck-gateway-test-consumer-key-5f1c";

    final SnapTradeSimulator simulator;
    final SnapTradeSettings settings;
    final RecordingSleeper sleeper = new RecordingSleeper();
    final LogCapture log = new LogCapture();
    final SnapTradeSdkGateway gateway;

    private SimulatedSnapTrade(SimulatorConfig config, UnaryOperator<SnapTradeSettings> tune) {
        this.simulator = SnapTradeSimulator.start(config);
        this.settings = tune.apply(fastSettings(simulator.baseUrl()));
        this.gateway = new SnapTradeSdkGateway(settings, sleeper, () -> 1.0, log);
    }

    /** The simulator's defaults (250 per 60 s) and a gateway with short timeouts and backoffs. */
    static SimulatedSnapTrade start() {
        return start(SimulatorConfig.of(CLIENT_ID, CONSUMER_KEY), s -> s);
    }

    static SimulatedSnapTrade start(SimulatorConfig config, UnaryOperator<SnapTradeSettings> tune) {
        return new SimulatedSnapTrade(config, tune);
    }

    /** Settings for tests: read timeout 500 ms, backoff 50 ms doubling to 400 ms, retry budget 3 s. */
    static SnapTradeSettings fastSettings(String baseUrl) {
        return SnapTradeSettings.of(CLIENT_ID, CONSUMER_KEY).withBaseUrl(baseUrl)
                .withTimeouts(Duration.ofSeconds(2), Duration.ofMillis(500), Duration.ofSeconds(2))
                .withBackoff(Duration.ofMillis(50), Duration.ofMillis(400))
                .withRetryBudget(Duration.ofSeconds(3));
    }

    /** A new user at the simulator, with its real secret. */
    UserCredentials newUser() {
        String userId = "user-" + UUID.randomUUID();
        return new UserCredentials(userId, simulator.control().seedUser(userId));
    }

    @Override
    public void close() {
        simulator.close();
    }
}
