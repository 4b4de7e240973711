package com.connectionkeeper.snaptrade;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.connectionkeeper.core.snaptrade.SnapTradeException;
import com.connectionkeeper.core.snaptrade.UserCredentials;
import com.connectionkeeper.simulator.Endpoint;
import com.connectionkeeper.snaptrade.SnapTradeSdkGateway.ClientKeys;
import com.connectionkeeper.testkit.Integration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
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
    void aSecondCallInFlightWithTheStaleKeyIsResentWithTheKeysAnotherCallRead() throws Exception {
        // the sweep runs several checks at once: both calls sign with the stale key and get 1076; the first reads the
        // secret (the keys changed), the second may not read again within 30 s but must use the keys held by now
        AtomicInteger keyReads = new AtomicInteger();
        CyclicBarrier bothSigned = new CyclicBarrier(2);
        AtomicInteger reads = new AtomicInteger();
        SnapTradeSdkGateway concurrent = new SnapTradeSdkGateway(snapTrade.settings, () -> {
            ClientKeys k = held.get();
            int n = keyReads.incrementAndGet();
            if (n == 2 || n == 3) { // each call's first request: both before any re-read
                try {
                    bothSigned.await();
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }
            return k;
        }, () -> {
            if (reads.incrementAndGet() == 1) { // as CachedSecrets: one read within 30 s
                held.set(CURRENT);
                return true;
            }
            return false;
        }, snapTrade.sleeper, () -> 1.0, snapTrade.log);
        UserCredentials other = snapTrade.newUser();
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            List<Future<Integer>> calls = new ArrayList<>();
            for (UserCredentials u : List.of(user, other)) {
                calls.add(pool.submit(() -> concurrent.listConnections(u).size()));
            }
            for (Future<Integer> call : calls) {
                assertEquals(0, call.get(), "both calls succeed once the new keys are held");
            }
        } finally {
            pool.shutdownNow();
        }
        assertEquals(4, snapTrade.simulator.requests().count(Endpoint.LIST_AUTHORIZATIONS));
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
