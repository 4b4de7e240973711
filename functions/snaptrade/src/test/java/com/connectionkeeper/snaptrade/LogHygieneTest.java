package com.connectionkeeper.snaptrade;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.connectionkeeper.core.snaptrade.ConnectionType;
import com.connectionkeeper.core.snaptrade.ReconnectRequest;
import com.connectionkeeper.core.snaptrade.SnapTradeException;
import com.connectionkeeper.core.snaptrade.UserCredentials;
import com.connectionkeeper.simulator.Endpoint;
import com.connectionkeeper.simulator.Fault;
import com.connectionkeeper.testkit.Integration;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/**
 * Every kind of failure, retry and give-up, with everything printed meanwhile captured: no user secret and no consumer
 * key appear in the log lines, on stdout/stderr, or in the exceptions' messages and stack traces.
 */
@Integration
class LogHygieneTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void noSecretIsEverPrintedOrCarriedInAnException() throws Exception {
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        PrintStream out = System.out;
        PrintStream err = System.err;
        List<String> thrown = new ArrayList<>();
        List<String> secrets = new ArrayList<>(List.of(SimulatedSnapTrade.CONSUMER_KEY));
        List<String> lines;
        try (SimulatedSnapTrade snapTrade = SimulatedSnapTrade.start()) {
            System.setOut(new PrintStream(printed, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(printed, true, StandardCharsets.UTF_8));
            UserCredentials user = snapTrade.newUser();
            secrets.add(user.userSecret());
            String id = snapTrade.simulator.control().addConnection(user.userId(), "ALPACA", "trade");
            var faults = snapTrade.simulator.faults();
            faults.inject(Endpoint.LIST_AUTHORIZATIONS, Fault.serverError(503).times(2));
            faults.inject(Endpoint.LIST_AUTHORIZATIONS, Fault.timeout(Duration.ofSeconds(2)).times(1));
            snapTrade.gateway.listConnections(user);
            faults.inject(Endpoint.DETAIL_AUTHORIZATION, Fault.serverError(500));
            capture(thrown, () -> snapTrade.gateway.connection(user, id));
            faults.inject(Endpoint.LOGIN, Fault.malformedJson().times(1));
            capture(thrown, () -> snapTrade.gateway.reconnectLink(user,
                    new ReconnectRequest(id, ConnectionType.TRADE, null, null, null)));
            capture(thrown, () -> snapTrade.gateway.listConnections(
                    new UserCredentials(user.userId(), "wrong-secret-" + UUID.randomUUID())));
            UserCredentials registered = snapTrade.gateway.registerUser("new-" + UUID.randomUUID());
            secrets.add(registered.userSecret());
            faults.inject(Endpoint.REGISTER_USER, Fault.wrongShape().times(1));
            capture(thrown, () -> snapTrade.gateway.registerUser("new-" + UUID.randomUUID()));
            thrown.add(registered.toString());
            faults.inject(Endpoint.LOGIN, Fault.rateLimited(Duration.ofSeconds(30)).times(1));
            capture(thrown, () -> snapTrade.gateway.reconnectLink(user,
                    new ReconnectRequest(id, ConnectionType.TRADE, null, null, null)));
            lines = snapTrade.log.lines();
        } finally {
            System.setOut(out);
            System.setErr(err);
        }

        assertEquals(5, thrown.size() - 1, "failures captured");
        assertTrue(lines.size() >= 8, "retry and give-up lines: " + lines.size());
        String everything = printed.toString(StandardCharsets.UTF_8) + String.join("\n", lines)
                + String.join("\n", thrown);
        for (String secret : secrets) {
            assertFalse(everything.contains(secret), "a secret was printed (" + secret.length() + " chars)");
        }
        for (String line : lines) {
            JsonNode json = JSON.readTree(line);
            assertTrue(json.has("event") && json.has("operation") && json.has("userId") && json.has("attempt"), line);
        }
    }

    private static void capture(List<String> thrown, Executable call) {
        SnapTradeException e = assertThrows(SnapTradeException.class, call);
        StringWriter trace = new StringWriter();
        e.printStackTrace(new PrintWriter(trace));
        thrown.add(trace.toString());
    }
}
