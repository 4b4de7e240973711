package com.connectionkeeper.core.sweep;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.connectionkeeper.core.model.ConnectionStatus;
import com.connectionkeeper.core.model.HistoryEntry;
import com.connectionkeeper.core.model.RetryBackoff;
import com.connectionkeeper.core.model.Transition;
import com.connectionkeeper.core.secrets.LocalSealer;
import com.connectionkeeper.core.snaptrade.BrokerageConnection;
import com.connectionkeeper.core.snaptrade.ConnectionType;
import com.connectionkeeper.core.snaptrade.LoginLink;
import com.connectionkeeper.core.snaptrade.ReconnectRequest;
import com.connectionkeeper.core.snaptrade.SnapTradeException;
import com.connectionkeeper.core.snaptrade.SnapTradeGateway;
import com.connectionkeeper.core.snaptrade.UserCredentials;
import com.connectionkeeper.core.sweep.UserSweep.Failure;
import com.connectionkeeper.store.DynamoConnectionStore;
import com.connectionkeeper.store.DynamoSecretStore;
import com.connectionkeeper.store.DynamoStores;
import com.connectionkeeper.store.DynamoSweepQueue;
import com.connectionkeeper.store.StoreProbe;
import com.connectionkeeper.testkit.Dynalite;
import com.connectionkeeper.testkit.Integration;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * One user's check on dynalite, with a scripted SnapTrade answer (the sweep module's tests run it against the
 * simulator through the real gateway).
 */
@Integration
class UserSweepTest {
    private static final Instant T = Instant.parse("2024-06-01T12:00:00Z");
    private static final RetryBackoff BACKOFF = new RetryBackoff(Duration.ofMinutes(1), Duration.ofMinutes(5));
    private DynamoConnectionStore connections;
    private DynamoSecretStore secrets;
    private DynamoSweepQueue sweepQueue;
    private StoreProbe probe;
    private final List<Object> answers = new ArrayList<>();
    private UserSweep sweep;
    private int requests;

    /** SnapTrade answering listConnections with the next scripted list or failure. */
    private final SnapTradeGateway scripted = new SnapTradeGateway() {
        @Override
        @SuppressWarnings("unchecked")
        public List<BrokerageConnection> listConnections(UserCredentials user) {
            requests++;
            Object next = answers.remove(0);
            if (next instanceof SnapTradeException e) {
                throw e;
            }
            return (List<BrokerageConnection>) next;
        }

        @Override
        public BrokerageConnection connection(UserCredentials user, String connectionId) {
            throw new UnsupportedOperationException();
        }

        @Override
        public LoginLink reconnectLink(UserCredentials user, ReconnectRequest request) {
            throw new UnsupportedOperationException();
        }

        @Override
        public UserCredentials registerUser(String userId) {
            throw new UnsupportedOperationException();
        }

        @Override
        public UserCredentials resetUserSecret(UserCredentials user) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void deleteUser(String userId) {
            throw new UnsupportedOperationException();
        }

        @Override
        public long requestsSent() {
            return requests;
        }
    };

    @BeforeEach
    void setUp() {
        DynamoStores stores = DynamoStores.create(Dynalite.client(), Dynalite.createTable(), Duration.ofDays(1),
                LocalSealer.ephemeral());
        connections = stores.connections();
        secrets = stores.secrets();
        sweepQueue = stores.sweepQueue();
        probe = new StoreProbe(stores);
        sweep = at(T);
    }

    private UserSweep at(Instant now) {
        return new UserSweep(connections, secrets, sweepQueue, scripted, Clock.fixed(now, ZoneOffset.UTC), BACKOFF);
    }

    private static BrokerageConnection listed(String id, boolean disabled) {
        return new BrokerageConnection(id, "b", "ALPACA", "Alpaca", null, ConnectionType.READ, disabled,
                disabled ? T.minusSeconds(30) : null, null, null);
    }

    private static SnapTradeException failure(SnapTradeException.Kind kind) {
        return new SnapTradeException(kind, 500, null, kind.name(), null);
    }

    @Test
    void reconcilesRecordsAndMarksVerified() {
        secrets.saveUserSecret("u", "s");
        answers.add(List.of(listed("a", false), listed("b", true)));

        UserSweep.Outcome outcome = sweep.check("u", "run-1");

        assertEquals(Optional.empty(), outcome.failure());
        assertEquals(Map.of(Transition.ADDED, 2), outcome.transitions());
        assertEquals(ConnectionStatus.BROKEN, connections.connection("u", "b").orElseThrow().status());
        List<HistoryEntry> history = connections.history("u", "b");
        assertEquals("SWEEP_OBSERVED_BROKEN", history.get(0).eventType());
        assertEquals(Optional.of(T), probe.lastVerified("u"));

        answers.add(List.of(listed("b", false)));
        UserSweep.Outcome second = at(T.plusSeconds(60)).check("u", "run-2");
        assertEquals(Map.of(Transition.FIXED, 1, Transition.DELETED, 1), second.transitions());
    }

    @Test
    void failuresAreReportedAndIsolated() {
        secrets.saveUserSecret("rejected", "s");
        secrets.saveUserSecret("down", "s");
        answers.add(failure(SnapTradeException.Kind.CREDENTIALS_REJECTED));
        answers.add(failure(SnapTradeException.Kind.UNAVAILABLE));

        UserSweep.Outcome rejected = sweep.check("rejected", "r");
        assertEquals(Optional.of(Failure.CREDENTIALS_REJECTED), rejected.failure());
        assertTrue(rejected.blamesUser());
        assertTrue(secrets.credentials("rejected").isPresent(), "nothing written until the run believes it");
        sweep.confirm(rejected);
        assertEquals(Optional.of(Failure.UNAVAILABLE), sweep.check("down", "r").failure());
        assertEquals(Optional.of(Failure.NO_SECRET), sweep.check("webhook-only", "r").failure());

        assertTrue(secrets.credentials("rejected").isEmpty(), "skipped until its secret is saved again");
        assertEquals(List.of("down"), sweepQueue.usersInSweepOrder().map(e -> e.userId()).toList(),
                "the rejected user left the sweep order; the unavailable one moved to its end");
        assertEquals(Optional.empty(), probe.lastVerified("down"));
        assertEquals(Optional.of(T), sweepQueue.lastChecked("down"));
        assertEquals(List.of(), sweepQueue.usersDueForRetry(T.plusSeconds(59)).toList());
        assertEquals(List.of("down"), sweepQueue.usersDueForRetry(T.plusSeconds(60)).toList());
        assertEquals(2, requests, "one list per user with a secret, none for the webhook-only user");
        secrets.saveUserSecret("rejected", "new secret");
        assertTrue(secrets.credentials("rejected").isPresent());
    }

    @Test
    void aFlaggedUsersRecheckUsesTheSecretWeHoldEndingTheFlagWhenAcceptedOrDoublingItsWait() {
        secrets.saveUserSecret("f", "s");
        secrets.flagUser("f", "CREDENTIALS_REJECTED", T, secrets.heldSecret("f").orElseThrow().version());
        assertEquals(List.of(), sweepQueue.usersInSweepOrder().map(e -> e.userId()).toList(), "out of the sweep");

        answers.add(failure(SnapTradeException.Kind.CREDENTIALS_REJECTED));
        UserSweep recheck = at(T.plus(Duration.ofHours(1)));
        UserSweep.Outcome again = recheck.check("f", "r");
        assertTrue(again.recheck());
        recheck.confirm(again);
        assertEquals(List.of(), sweepQueue.usersDueForRetry(T.plus(Duration.ofHours(3)).minusMillis(1)).toList());
        assertEquals(List.of("f"), sweepQueue.usersDueForRetry(T.plus(Duration.ofHours(3))).toList(), "then 2 h later");

        answers.add(failure(SnapTradeException.Kind.UNAVAILABLE));
        at(T.plus(Duration.ofHours(3))).check("f", "r");
        assertEquals(List.of("f"), sweepQueue.usersDueForRetry(T.plus(Duration.ofHours(3)).plusSeconds(60)).toList(),
                "a transient failure of the recheck moves it by the transient backoff");
        assertTrue(secrets.credentials("f").isEmpty(), "still flagged");

        answers.add(List.of(listed("a", false)));
        assertEquals(Optional.empty(), at(T.plus(Duration.ofHours(4))).check("f", "r").failure());
        assertTrue(secrets.credentials("f").isPresent(), "accepted again: the flag ends");
        assertEquals(List.of("f"), sweepQueue.usersInSweepOrder().map(e -> e.userId()).toList(), "back in the sweep");
        assertEquals(List.of(), sweepQueue.usersDueForRetry(T.plus(Duration.ofDays(30))).toList());
        assertEquals(3, requests);
    }

    @Test
    void aBlameConfirmedAfterANewSecretWasSavedDoesNotFlagTheNewSecret() {
        secrets.saveUserSecret("n", "old");
        String oldVersion = secrets.heldSecret("n").orElseThrow().version();
        answers.add(failure(SnapTradeException.Kind.CREDENTIALS_REJECTED));
        UserSweep.Outcome blamed = sweep.check("n", "r");
        secrets.saveUserSecret("n", "new"); // imported or reset while the run held the blame

        sweep.confirm(blamed);

        assertEquals("new", secrets.credentials("n").orElseThrow().userSecret(), "the new secret is not flagged");
        secrets.flagUser("n", "CREDENTIALS_REJECTED", T, oldVersion);
        assertTrue(secrets.credentials("n").isPresent(), "nor by a flag naming the old one");
    }

    @Test
    void doubtingABlameRetriesTheUserInsteadOfFlaggingIt() {
        secrets.saveUserSecret("d", "s");
        answers.add(failure(SnapTradeException.Kind.CREDENTIALS_REJECTED));
        sweep.doubt(sweep.check("d", "r"));
        assertTrue(secrets.credentials("d").isPresent(), "not flagged");
        assertEquals(List.of("d"), sweepQueue.usersDueForRetry(T.plusSeconds(60)).toList());
    }

    @Test
    void transientFailuresBackOffUntilAVerificationClearsThem() {
        secrets.saveUserSecret("flaky", "s");
        secrets.saveUserSecret("steady", "s");
        Instant now = T;
        for (Duration expected : List.of(Duration.ofMinutes(1), Duration.ofMinutes(2), Duration.ofMinutes(4),
                Duration.ofMinutes(5), Duration.ofMinutes(5))) {
            answers.add(failure(SnapTradeException.Kind.RATE_LIMITED));
            assertEquals(Optional.of(Failure.RATE_LIMITED), at(now).check("flaky", "r").failure());
            Instant retry = now.plus(expected);
            assertEquals(List.of(), sweepQueue.usersDueForRetry(retry.minusMillis(1)).toList(), "not before " + retry);
            assertEquals(List.of("flaky"), sweepQueue.usersDueForRetry(retry).toList());
            now = retry;
        }
        answers.add(List.of(listed("a", false)));
        assertEquals(Optional.empty(), at(now).check("flaky", "r").failure());
        assertEquals(List.of(), sweepQueue.usersDueForRetry(now.plus(Duration.ofDays(1))).toList());
        assertEquals(Optional.of(now), probe.lastVerified("flaky"));

        answers.add(failure(SnapTradeException.Kind.UNAVAILABLE));
        at(now).check("flaky", "r");
        assertEquals(List.of("flaky"), sweepQueue.usersDueForRetry(now.plus(Duration.ofMinutes(1))).toList(),
                "the count of consecutive failures starts again after a verification");
        secrets.saveUserSecret("flaky", "re-imported");
        assertEquals(List.of(), sweepQueue.usersDueForRetry(now.plus(Duration.ofDays(1))).toList(),
                "a re-imported secret drops the pending retry");
    }
}
