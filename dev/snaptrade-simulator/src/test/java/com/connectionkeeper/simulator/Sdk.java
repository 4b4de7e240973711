package com.connectionkeeper.simulator;

import com.snaptrade.client.Configuration;
import com.snaptrade.client.Snaptrade;
import java.time.Duration;

/** The unmodified SnapTrade SDK pointed at a simulator, with the test credentials. */
final class Sdk {
    static final String CLIENT_ID = "SIMULATOR-TEST";
    static final String CONSUMER_KEY = "simulator-test-consumer-key";

    private Sdk() {
    }

    static SimulatorConfig.Builder config() {
        return SimulatorConfig.builder(CLIENT_ID, CONSUMER_KEY);
    }

    static Snaptrade client(SnapTradeSimulator simulator) {
        return client(simulator, CLIENT_ID, CONSUMER_KEY);
    }

    static Snaptrade client(SnapTradeSimulator simulator, String clientId, String consumerKey) {
        Configuration cfg = new Configuration();
        cfg.host = simulator.baseUrl();
        cfg.clientId = clientId;
        cfg.consumerKey = consumerKey;
        Snaptrade snaptrade = new Snaptrade(cfg);
        snaptrade.connections.getApiClient().setReadTimeout((int) Duration.ofSeconds(10).toMillis());
        return snaptrade;
    }

    static Snaptrade client(SnapTradeSimulator simulator, Duration readTimeout) {
        Snaptrade snaptrade = client(simulator);
        snaptrade.connections.getApiClient().setReadTimeout((int) readTimeout.toMillis());
        return snaptrade;
    }
}
