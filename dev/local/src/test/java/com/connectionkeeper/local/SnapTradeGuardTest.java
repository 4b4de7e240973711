package com.connectionkeeper.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.connectionkeeper.simulator.SimulatorConfig;
import com.connectionkeeper.simulator.SnapTradeSimulator;
import com.connectionkeeper.testkit.Integration;
import com.snaptrade.client.ApiException;
import com.snaptrade.client.Configuration;
import com.snaptrade.client.Snaptrade;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The guard between the local stack and real SnapTrade, with the simulator standing in for SnapTrade and the
 * unmodified SDK calling through it as the functions do: signed calls pass unchanged; disabling a connection never
 * passes; deleting a user passes only while a DELETE /users/{thatUser} is being handled. Refused calls never reach
 * SnapTrade and are said. Also: real SnapTrade is chosen only with both variables set, and never for the demo.
 */
@Integration
class SnapTradeGuardTest {
    private static final String CLIENT = "GUARD-TEST";
    private static final String KEY = "guard-test-consumer-key";
    private SnapTradeSimulator snaptrade;
    private SnapTradeGuard guard;
    private Snaptrade sdk;
    private final List<String> said = new CopyOnWriteArrayList<>();

    @BeforeEach
    void start() throws Exception {
        snaptrade = SnapTradeSimulator.start(SimulatorConfig.builder(CLIENT, KEY).build());
        URI base = URI.create(snaptrade.baseUrl());
        guard = new SnapTradeGuard(URI.create(base.getScheme() + "://" + base.getRawAuthority()), said::add);
        Configuration cfg = new Configuration();
        cfg.host = guard.baseUrl();
        cfg.clientId = CLIENT;
        cfg.consumerKey = KEY;
        sdk = new Snaptrade(cfg);
    }

    @AfterEach
    void stop() {
        guard.close();
        snaptrade.close();
    }

    @Test
    void signedCallsPassAndTheHarmfulOnesDoNot() throws Exception {
        String secret = sdk.authentication.registerSnapTradeUser("alice").execute().getUserSecret();
        String c = snaptrade.control().addConnection("alice", "ALPACA", "trade");
        assertEquals(1, sdk.connections.listBrokerageAuthorizations("alice", secret).execute().size(),
                "a signed call passes unchanged");

        ApiException disable = assertThrows(ApiException.class, () -> sdk.connections
                .disableBrokerageAuthorization(UUID.fromString(c), "alice", secret).execute());
        assertEquals(403, disable.getStatusCode());
        assertTrue(disable.getResponseBody().contains(SnapTradeGuard.CODE), disable.getResponseBody());
        assertFalse(snaptrade.control().connection(c).orElseThrow().disabled(), "never reached SnapTrade");

        ApiException delete = assertThrows(ApiException.class,
                () -> sdk.authentication.deleteSnapTradeUser("alice").execute());
        assertEquals(403, delete.getStatusCode());
        assertTrue(snaptrade.control().users().contains("alice"), "not deleted without a DELETE /users/alice");

        guard.deletionAsked("bob");
        assertThrows(ApiException.class, () -> sdk.authentication.deleteSnapTradeUser("alice").execute(),
                "another user's deletion asked for");
        guard.deletionAsked("alice");
        assertEquals("deleted", sdk.authentication.deleteSnapTradeUser("alice").execute().getStatus());
        assertFalse(snaptrade.control().users().contains("alice"));
        guard.deletionDone("alice");
        assertEquals(3, said.size(), said.toString());
        assertTrue(said.stream().allMatch(l -> l.startsWith("refused a call to real SnapTrade")), said.toString());
        assertTrue(said.stream().noneMatch(l -> l.contains(secret)), "no secret in what is said");
    }

    @Test
    void realSnapTradeOnlyWithBothVariablesAndNeverForTheDemo() {
        assertTrue(LocalStack.realClient(Map.of(), false).isEmpty());
        assertEquals("C", LocalStack.realClient(Map.of("SNAPTRADE_CLIENT_ID", "C", "SNAPTRADE_CONSUMER_KEY", "K"),
                false).orElseThrow());
        assertThrows(IllegalArgumentException.class,
                () -> LocalStack.realClient(Map.of("SNAPTRADE_CLIENT_ID", "C"), false));
        assertThrows(IllegalArgumentException.class,
                () -> LocalStack.realClient(Map.of("SNAPTRADE_CONSUMER_KEY", "K"), false));
        IllegalArgumentException demo = assertThrows(IllegalArgumentException.class, () -> LocalStack.realClient(
                Map.of("SNAPTRADE_CLIENT_ID", "C", "SNAPTRADE_CONSUMER_KEY", "K"), true));
        assertTrue(demo.getMessage().contains("--demo"), demo.getMessage());
    }
}
