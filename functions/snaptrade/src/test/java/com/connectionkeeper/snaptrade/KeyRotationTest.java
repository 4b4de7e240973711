package com.connectionkeeper.snaptrade;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.connectionkeeper.core.snaptrade.SnapTradeException;
import com.connectionkeeper.core.snaptrade.UserCredentials;
import com.connectionkeeper.simulator.Endpoint;
import com.connectionkeeper.snaptrade.SnapTradeSdkGateway.ClientKeys;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import com.connectionkeeper.testkit.Integration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The consumer key rotated in the function's secrets: SnapTrade's 1076 (signature not verified) makes the gateway
 * read the secrets again and send the request once more with the new key; a change the secrets' TTL brings is used
 * from the next call on.
 */
@Integration
class KeyRotationTest {
    private static final ClientKeys STALE = new ClientKeys(SimulatedSnapTrade.CLIENT_ID, "the-key-before-rotation");
    private static final ClientKeys CURRENT = new ClientKeys(SimulatedSnapTrade.CLIENT_ID,
            SimulatedSnapTrade.CONSUMER_KEY);
    private SimulatedSnapTrade snapTrade;
    private final AtomicReference<ClientKeys> held = new AtomicReference<>(STALE);
    private final AtomicReference<ClientKeys> inTheSecret = new AtomicReference<>(CURRENT);
    private final AtomicInteger refreshes = new AtomicInteger();
    private SnapTradeSdkGateway gateway;
    private UserCredentials user;

    @BeforeEach
    void start() {
        snapTrade = SimulatedSnapTrade.start();
        gateway = new SnapTradeSdkGateway(snapTrade.settings, held::get, () -> {
            refreshes.incrementAndGet();
            return !held.getAndSet(inTheSecret.get()).equals(inTheSecret.get());
        }, snapTrade.sleeper, () -> 1.0, snapTrade.log);
        user = snapTrade.newUser();
    }

    @AfterEach
    void stop() {
        snapTrade.close();
    }

    @Test
    void aRejectedSignatureRereadsTheKeysAndSendsOnceMore() {
        assertEquals(0, gateway.listConnections(user).size());
        assertEquals(2, snapTrade.simulator.requests().count(Endpoint.LIST_AUTHORIZATIONS), "1076, then accepted");
        assertEquals(1, refreshes.get());
        assertTrue(snapTrade.log.lines().stream().anyMatch(l -> l.contains("\"snaptrade_keys_refreshed\"")));
        snapTrade.log.lines().forEach(l -> assertTrue(!l.contains(CURRENT.consumerKey())
                && !l.contains(STALE.consumerKey()), l));

        assertEquals(0, gateway.listConnections(user).size());
        assertEquals(3, snapTrade.simulator.requests().count(Endpoint.LIST_AUTHORIZATIONS), "the new key is held");
        assertEquals(1, refreshes.get());
    }

    @Test
    void unchangedKeysAreNotRetriedAndTheRejectionSaysWhy() {
        inTheSecret.set(STALE); // the secret holds the wrong key too
        SnapTradeException e = assertThrows(SnapTradeException.class, () -> gateway.listConnections(user));
        assertEquals(SnapTradeException.Kind.CLIENT_REJECTED, e.kind());
        assertEquals(Optional.of("1076"), e.code());
        assertEquals(1, snapTrade.simulator.requests().count(Endpoint.LIST_AUTHORIZATIONS), "not sent again");
        assertEquals(1, refreshes.get());
    }

    @Test
    void keysTheSecretsBringAreUsedFromTheNextCall() {
        held.set(CURRENT);
        assertEquals(0, gateway.listConnections(user).size());
        held.set(new ClientKeys(SimulatedSnapTrade.CLIENT_ID, "rotated-but-not-at-snaptrade-yet"));
        inTheSecret.set(held.get());
        SnapTradeException e = assertThrows(SnapTradeException.class, () -> gateway.listConnections(user));
        assertEquals(Optional.of("1076"), e.code(), "signed with the new key, which SnapTrade does not know yet");
        assertEquals(2, snapTrade.simulator.requests().count(Endpoint.LIST_AUTHORIZATIONS), "not resent: unchanged");
    }

    @Test
    void otherClientRejectionsDoNotRereadTheKeys() {
        snapTrade.simulator.faults().inject(Endpoint.LIST_AUTHORIZATIONS,
                com.connectionkeeper.simulator.Fault.snapTradeError(403, "1066"));
        held.set(CURRENT);
        assertThrows(SnapTradeException.class, () -> gateway.listConnections(user));
        assertEquals(0, refreshes.get());
    }
}
