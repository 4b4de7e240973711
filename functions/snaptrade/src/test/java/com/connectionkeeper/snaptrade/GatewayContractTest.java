package com.connectionkeeper.snaptrade;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.connectionkeeper.core.snaptrade.BrokerageConnection;
import com.connectionkeeper.core.snaptrade.ConnectionType;
import com.connectionkeeper.core.snaptrade.LoginLink;
import com.connectionkeeper.core.snaptrade.ReconnectRequest;
import com.connectionkeeper.core.snaptrade.SnapTradeException;
import com.connectionkeeper.core.snaptrade.SnapTradeException.Kind;
import com.connectionkeeper.core.snaptrade.UserCredentials;
import com.connectionkeeper.simulator.Endpoint;
import com.connectionkeeper.simulator.Fault;
import com.connectionkeeper.simulator.RecordedRequest;
import com.connectionkeeper.simulator.SimulatedConnection;
import com.connectionkeeper.testkit.Integration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/** Every gateway operation against the simulator through the unmodified SDK: answers and each error kind. */
@Integration
class GatewayContractTest {
    private static SimulatedSnapTrade snapTrade;
    private static SnapTradeSdkGateway gateway;

    @BeforeAll
    static void start() {
        snapTrade = SimulatedSnapTrade.start();
        gateway = snapTrade.gateway;
    }

    @AfterAll
    static void stop() {
        snapTrade.close();
    }

    @BeforeEach
    void clean() {
        snapTrade.simulator.faults().clearAll();
    }

    @Test
    void listsEveryConnectionAsSnapTradeHoldsIt() {
        UserCredentials user = snapTrade.newUser();
        String trade = snapTrade.simulator.control().addConnection(user.userId(), "ALPACA", "trade");
        String read = snapTrade.simulator.control().addConnection(user.userId(), "QUESTRADE", "read");
        snapTrade.simulator.control().breakConnection(read);

        Map<String, BrokerageConnection> listed = gateway.listConnections(user).stream()
                .collect(Collectors.toMap(BrokerageConnection::id, Function.identity()));

        assertEquals(2, listed.size());
        assertMatches(snapTrade.simulator.control().connection(trade).orElseThrow(), listed.get(trade));
        assertMatches(snapTrade.simulator.control().connection(read).orElseThrow(), listed.get(read));
        assertEquals(ConnectionType.TRADE, listed.get(trade).type());
        assertFalse(listed.get(trade).disabled());
        assertTrue(listed.get(read).disabled());
        assertNotNull(listed.get(read).disabledDate());
        assertEquals("Alpaca", listed.get(trade).brokerageName());
    }

    @Test
    void aUserWithoutConnectionsHasAnEmptyList() {
        assertEquals(List.of(), gateway.listConnections(snapTrade.newUser()));
    }

    @Test
    void readsOneConnection() {
        UserCredentials user = snapTrade.newUser();
        String id = snapTrade.simulator.control().addConnection(user.userId(), "SCHWAB", "trade");
        snapTrade.simulator.control().breakConnection(id);

        BrokerageConnection connection = gateway.connection(user, id);

        assertMatches(snapTrade.simulator.control().connection(id).orElseThrow(), connection);
        assertTrue(connection.disabled());
    }

    @Test
    void anUnknownConnectionIsNotFound() {
        UserCredentials user = snapTrade.newUser();
        assertKind(Kind.NOT_FOUND, () -> gateway.connection(user, UUID.randomUUID().toString()));
    }

    @Test
    void anotherUsersConnectionIsNotFound() {
        UserCredentials owner = snapTrade.newUser();
        String id = snapTrade.simulator.control().addConnection(owner.userId(), "ALPACA", "read");
        assertKind(Kind.NOT_FOUND, () -> gateway.connection(snapTrade.newUser(), id));
    }

    @Test
    void aConnectionIdThatIsNoUuidIsNotFoundWithoutAsking() {
        int before = snapTrade.simulator.requests().all().size();
        assertKind(Kind.NOT_FOUND, () -> gateway.connection(snapTrade.newUser(), "not-a-uuid"));
        assertEquals(before, snapTrade.simulator.requests().all().size());
    }

    @Test
    void aWrongUserSecretIsRejectedOnEveryUserCall() {
        UserCredentials user = snapTrade.newUser();
        String id = snapTrade.simulator.control().addConnection(user.userId(), "ALPACA", "trade");
        UserCredentials wrong = new UserCredentials(user.userId(), "not-the-secret");

        assertKind(Kind.CREDENTIALS_REJECTED, () -> gateway.listConnections(wrong));
        assertKind(Kind.CREDENTIALS_REJECTED, () -> gateway.connection(wrong, id));
        assertKind(Kind.CREDENTIALS_REJECTED, () -> gateway.reconnectLink(wrong, reconnect(id, ConnectionType.TRADE)));
        assertEquals(401, snapTrade.simulator.requests().last(Endpoint.LOGIN).orElseThrow().status());
    }

    @Test
    void anUnknownUserIsRejected() {
        UserCredentials ghost = new UserCredentials("ghost-" + UUID.randomUUID(), "any-secret");
        assertKind(Kind.CREDENTIALS_REJECTED, () -> gateway.listConnections(ghost));
    }

    @Test
    void aWrongConsumerKeyIsRejectedWithoutRetrying() {
        SnapTradeSdkGateway unsigned = new SnapTradeSdkGateway(
                new SnapTradeSettings(snapTrade.settings.clientId(), "not-the-consumer-key",
                        snapTrade.settings.baseUrl(), snapTrade.settings.connectTimeout(),
                        snapTrade.settings.readTimeout(), snapTrade.settings.writeTimeout(), 10,
                        snapTrade.settings.window(), snapTrade.settings.retryBudget(),
                        snapTrade.settings.initialBackoff(), snapTrade.settings.maxBackoff()),
                Sleeper.SYSTEM, () -> 1.0, line -> { });
        UserCredentials user = snapTrade.newUser();
        int before = snapTrade.simulator.requests().all().size();

        SnapTradeException e = assertKind(Kind.CLIENT_REJECTED, () -> unsigned.listConnections(user));

        assertEquals(401, e.httpStatus());
        assertTrue(e.getMessage().contains("1076"), e.getMessage());
        assertEquals(before + 1, snapTrade.simulator.requests().all().size());
    }

    @Test
    void aReconnectLinkAsksForThatConnectionWithItsOwnType() {
        UserCredentials user = snapTrade.newUser();
        String id = snapTrade.simulator.control().addConnection(user.userId(), "ALPACA", "trade");
        snapTrade.simulator.control().breakConnection(id);

        LoginLink link = gateway.reconnectLink(user, new ReconnectRequest(id, ConnectionType.TRADE,
                "https://app.example/return", true, false));

        RecordedRequest sent = snapTrade.simulator.requests().last(Endpoint.LOGIN).orElseThrow();
        assertEquals(200, sent.status());
        assertEquals(id, sent.bodyField("reconnect"));
        assertEquals("trade", sent.bodyField("connectionType"));
        assertEquals("https://app.example/return", sent.bodyField("customRedirect"));
        assertEquals("true", sent.bodyField("immediateRedirect"));
        assertEquals("false", sent.bodyField("darkMode"));
        assertEquals(user.userId(), sent.queryParam("userId"));
        assertTrue(link.redirectUri().startsWith("http://127.0.0.1:"), link.redirectUri());
        assertNotNull(link.sessionId());
    }

    @Test
    void aReadConnectionIsReconnectedAsRead() {
        UserCredentials user = snapTrade.newUser();
        String id = snapTrade.simulator.control().addConnection(user.userId(), "QUESTRADE", "read");

        gateway.reconnectLink(user, reconnect(id, ConnectionType.READ));

        RecordedRequest sent = snapTrade.simulator.requests().last(Endpoint.LOGIN).orElseThrow();
        assertEquals(id, sent.bodyField("reconnect"));
        assertEquals("read", sent.bodyField("connectionType"));
        assertNull(sent.bodyField("customRedirect"));
        assertNull(sent.bodyField("darkMode"));
    }

    @Test
    void reconnectingAnUnknownConnectionIsNotFound() {
        UserCredentials user = snapTrade.newUser();
        assertKind(Kind.NOT_FOUND,
                () -> gateway.reconnectLink(user, reconnect(UUID.randomUUID().toString(), ConnectionType.READ)));
    }

    @Test
    void registersAUserAndReturnsTheSecretSnapTradeKeeps() {
        String userId = "new-" + UUID.randomUUID();

        UserCredentials registered = gateway.registerUser(userId);

        assertEquals(userId, registered.userId());
        assertEquals(snapTrade.simulator.control().userSecret(userId).orElseThrow(), registered.userSecret());
        assertEquals(List.of(), gateway.listConnections(registered));
    }

    @Test
    void registeringAnExistingUserIsAConflict() {
        UserCredentials user = snapTrade.newUser();
        SnapTradeException e = assertKind(Kind.CONFLICT, () -> gateway.registerUser(user.userId()));
        assertEquals(400, e.httpStatus());
    }

    @Test
    void resetsASecretWithTheCurrentOneAndTheOldOneStopsWorking() {
        UserCredentials user = snapTrade.newUser();

        UserCredentials reset = gateway.resetUserSecret(user);

        assertEquals(user.userId(), reset.userId());
        assertEquals(snapTrade.simulator.control().userSecret(user.userId()).orElseThrow(), reset.userSecret());
        assertEquals(List.of(), gateway.listConnections(reset));
        assertKind(Kind.CREDENTIALS_REJECTED, () -> gateway.listConnections(user));
        assertKind(Kind.CREDENTIALS_REJECTED, () -> gateway.resetUserSecret(user));
    }

    @Test
    void aResetWhoseAnswerIsLostIsNotRepeated() {
        UserCredentials user = snapTrade.newUser();
        snapTrade.simulator.faults().inject(Endpoint.RESET_USER_SECRET, Fault.timeout(Duration.ofSeconds(2)).times(1));
        int before = snapTrade.simulator.requests().count(Endpoint.RESET_USER_SECRET);
        assertKind(Kind.UNAVAILABLE, () -> gateway.resetUserSecret(user));
        assertEquals(before + 1, snapTrade.simulator.requests().count(Endpoint.RESET_USER_SECRET),
                "a second reset would retire the secret the first one may have issued");
    }

    @Test
    void a404ThatIsNotSnapTradesBlamesNobody() {
        everyOperation().forEach((endpoint, call) -> {
            snapTrade.simulator.faults().inject(endpoint, Fault.foreignError(404).times(1));
            SnapTradeException e = assertThrows(SnapTradeException.class, call, endpoint.name());
            assertEquals(Kind.UNAVAILABLE, e.kind(), endpoint + ": " + e.getMessage());
            assertEquals(404, e.httpStatus());
        });
    }

    @Test
    void deletesAUser() {
        UserCredentials user = snapTrade.newUser();

        gateway.deleteUser(user.userId());

        assertFalse(snapTrade.simulator.control().users().contains(user.userId()));
    }

    @Test
    void deletingAnUnknownUserIsNotFound() {
        assertKind(Kind.NOT_FOUND, () -> gateway.deleteUser("ghost-" + UUID.randomUUID()));
    }

    @Test
    void malformedJsonIsABadResponseOnEveryOperationAndIsNotRetried() {
        assertBadResponses(Fault.malformedJson());
    }

    @Test
    void wellFormedJsonOfTheWrongShapeIsABadResponseOnEveryOperation() {
        assertBadResponses(Fault.wrongShape());
    }

    /** Each gateway operation, by the endpoint it calls, for a fresh user with a trade connection. */
    private static Map<Endpoint, Executable> everyOperation() {
        UserCredentials user = snapTrade.newUser();
        String id = snapTrade.simulator.control().addConnection(user.userId(), "ALPACA", "trade");
        return Map.of(
                Endpoint.LIST_AUTHORIZATIONS, () -> gateway.listConnections(user),
                Endpoint.DETAIL_AUTHORIZATION, () -> gateway.connection(user, id),
                Endpoint.LOGIN, () -> gateway.reconnectLink(user, reconnect(id, ConnectionType.TRADE)),
                Endpoint.REGISTER_USER, () -> gateway.registerUser("new-" + UUID.randomUUID()),
                Endpoint.DELETE_USER, () -> gateway.deleteUser(user.userId()),
                Endpoint.RESET_USER_SECRET, () -> gateway.resetUserSecret(user));
    }

    /** Each gateway operation, its answer spoiled once by {@code fault}. */
    private static void assertBadResponses(Fault fault) {
        everyOperation().forEach((endpoint, call) -> {
            snapTrade.simulator.faults().inject(endpoint, fault.times(1));
            int before = snapTrade.simulator.requests().count(endpoint);
            SnapTradeException e = assertThrows(SnapTradeException.class, call, endpoint + " " + fault);
            assertEquals(Kind.BAD_RESPONSE, e.kind(), endpoint + " " + fault);
            assertEquals(before + 1, snapTrade.simulator.requests().count(endpoint), "not retried");
            assertEquals(200, e.httpStatus());
        });
    }

    private static ReconnectRequest reconnect(String id, ConnectionType type) {
        return new ReconnectRequest(id, type, null, null, null);
    }

    private static void assertMatches(SimulatedConnection expected, BrokerageConnection actual) {
        assertNotNull(actual, expected.id());
        assertEquals(expected.id(), actual.id());
        assertEquals(expected.brokerageSlug(), actual.brokerageSlug());
        assertEquals(expected.brokerageId(), actual.brokerageId());
        assertEquals(ConnectionType.fromWire(expected.type()), actual.type());
        assertEquals(expected.disabled(), actual.disabled());
        assertEquals(micros(expected.createdDate()), actual.createdDate());
        assertEquals(micros(expected.disabledDate()), actual.disabledDate());
    }

    /** SnapTrade's wire form carries microseconds. */
    private static Instant micros(Instant time) {
        return time == null ? null : time.truncatedTo(ChronoUnit.MICROS);
    }

    static SnapTradeException assertKind(Kind kind, Executable call) {
        SnapTradeException e = assertThrows(SnapTradeException.class, call);
        assertEquals(kind, e.kind(), e.getMessage());
        return e;
    }
}
