package com.connectionkeeper.sweep;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.connectionkeeper.core.model.RetryBackoff;
import com.connectionkeeper.core.secrets.LocalSealer;
import com.connectionkeeper.core.secrets.SealContext;
import com.connectionkeeper.core.secrets.SecretSealer;
import com.connectionkeeper.core.sweep.SweepPlanner;
import com.connectionkeeper.core.sweep.UserSweep;
import com.connectionkeeper.simulator.Endpoint;
import com.connectionkeeper.simulator.Fault;
import com.connectionkeeper.simulator.SnapTradeSimulator;
import com.connectionkeeper.snaptrade.Sleeper;
import com.connectionkeeper.snaptrade.SnapTradeSdkGateway;
import com.connectionkeeper.store.DynamoStores;
import com.connectionkeeper.store.EarlierRelease;
import com.connectionkeeper.testkit.Dynalite;
import com.connectionkeeper.testkit.Integration;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ScanRequest;

/**
 * The sweep with sealed secrets against the simulator: a table an earlier release left with plaintext secrets ends
 * sealed after the first pass and after the migration, every user still verified; one opening per user checked, none
 * for a retry within the run.
 */
@Integration
class SealedSecretsSweepTest {
    private LocalSweep sweep;
    private CountingSealer sealer;
    private DynamoStores stores;
    private UserSweep users;

    @BeforeEach
    void start() {
        sweep = new LocalSweep();
        sealer = new CountingSealer(LocalSealer.fromBase64(LocalSweep.SEALING_KEY, "test key"));
        stores = DynamoStores.create(Dynalite.client(), sweep.table, Duration.ofDays(1), sealer);
        SnapTradeSdkGateway gateway = new SnapTradeSdkGateway(sweep.settings, Sleeper.SYSTEM, () -> 1.0, line -> { });
        users = new UserSweep(stores.connections(), stores.secrets(), stores.sweepQueue(), gateway, Clock.systemUTC(),
                RetryBackoff.DEFAULT);
    }

    @AfterEach
    void stop() {
        sweep.close();
    }

    @Test
    void plaintextSecretsAreSealedByTheFirstPassAndEveryUserStillSweeps() {
        List<String> ids = seedPlaintextUsers("first-use-", 6);
        assertEquals(6, plaintextItems());

        SweepSummary summary = run(ids.size());

        assertEquals(6, summary.usersChecked());
        assertEquals(Map.of(), summary.failures());
        ids.forEach(sweep::assertMatchesTruth);
        assertEquals(0, plaintextItems(), "sealed on first use");
        assertEquals(0, itemsHolding(SnapTradeSimulator.SECRET_MARK));
    }

    @Test
    void theMigrationSealsThemAllAndTheSweepOpensThem() {
        List<String> ids = seedPlaintextUsers("migrated-", 5);
        Map<String, Object> report = new SecretMigrationHandler(stores.secrets()).migrate(() -> Long.MAX_VALUE);
        assertEquals(5, report.get("sealed"));
        assertEquals(true, report.get("complete"));
        assertEquals(0, plaintextItems());
        assertEquals(0, itemsHolding(SnapTradeSimulator.SECRET_MARK));
        assertEquals(0, sealer.opens.get(), "the migration opens nothing");

        SweepSummary summary = run(ids.size());

        assertEquals(5, summary.usersChecked());
        assertEquals(Map.of(), summary.failures());
        ids.forEach(sweep::assertMatchesTruth);
        assertEquals(Map.of("sealed", 0, "dropped", 0, "alreadySealed", 0, "failed", 0, "complete", true),
                new SecretMigrationHandler(stores.secrets()).migrate(() -> Long.MAX_VALUE), "nothing left");
    }

    @Test
    void aMigrationNearItsTimeoutStopsAndSaysSo() {
        seedPlaintextUsers("slow-", 3);
        Map<String, Object> report = new SecretMigrationHandler(stores.secrets())
                .migrate(() -> SecretMigrationHandler.MARGIN.toMillis() - 1);
        assertEquals(false, report.get("complete"));
        assertEquals(3, plaintextItems(), "nothing done, nothing lost: run it again");
        assertEquals(3, new SecretMigrationHandler(stores.secrets()).migrate(() -> Long.MAX_VALUE).get("sealed"));
        assertEquals(0, plaintextItems());
    }

    @Test
    void oneOpeningPerUserCheckedNoneForARetryWithinTheRun() {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            ids.add(sweep.seedUser("sealed-" + i));
            sweep.addConnection(ids.get(i));
        }
        sweep.simulator.faults().inject(Endpoint.LIST_AUTHORIZATIONS, Fault.serverError(503).times(4));
        sealer.opens.set(0);

        SweepSummary summary = run(100);

        assertEquals(8, summary.usersChecked());
        assertEquals(Map.of(), summary.failures(), "the gateway's retries got every user through");
        assertEquals(12, sweep.listRequests(), "8 users, 4 retries");
        assertEquals(8, sealer.opens.get(), "one opening per user checked, none per retry");
    }

    @Test
    void aSecretThatDoesNotOpenIsNotSentAndIsRetriedLater() {
        String userId = "other-key";
        DynamoStores.create(Dynalite.client(), sweep.table, Duration.ofDays(1), new LocalSealer(new byte[32]))
                .secrets().saveUserSecret(userId, sweep.simulator.control().seedUser(userId));

        SweepSummary summary = run(10);

        assertEquals(Map.of(UserSweep.Failure.SECRET_UNREADABLE.name(), 1), summary.failures());
        assertEquals(0, sweep.listRequests(), "SnapTrade is not asked");
        assertEquals(List.of(userId), stores.sweepQueue().usersDueForRetry(java.time.Instant.now().plusSeconds(3600))
                .toList(), "retried with backoff, not dropped");
        assertFalse(stores.secrets().heldSecret("nobody").isPresent());
    }

    private SweepSummary run(int requests) {
        return new SweepRun(stores.sweepQueue(), new SweepPlanner(stores.sweepQueue()), users, Clock.systemUTC(),
                new SweepSettings(requests, 2, SweepSettings.marginFor(sweep.settings.retryBudget())))
                .run(LocalSweep.runId(), LocalSweep.PLENTY_OF_TIME);
    }

    /** Users at SnapTrade whose secrets an earlier release stored in plaintext, each with a connection (one broken). */
    private List<String> seedPlaintextUsers(String prefix, int n) {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            String userId = prefix + i;
            String secret = sweep.simulator.control().seedUser(userId);
            assertTrue(secret.startsWith(SnapTradeSimulator.SECRET_MARK), "the simulator marks its secrets");
            String connection = sweep.addConnection(userId);
            if (i == 0) {
                sweep.simulator.control().breakConnection(connection);
            }
            EarlierRelease.storeInPlaintext(stores.table(), userId, secret);
            ids.add(userId);
        }
        return ids;
    }

    private long plaintextItems() {
        return scan().stream().filter(i -> i.containsKey("userSecret")).count();
    }

    private long itemsHolding(String mark) {
        return scan().stream().filter(i -> i.values().stream().anyMatch(v -> String.valueOf(v.s()).contains(mark)))
                .count();
    }

    private List<Map<String, AttributeValue>> scan() {
        return Dynalite.client().scanPaginator(ScanRequest.builder().tableName(sweep.table).build()).items().stream()
                .toList();
    }

    /** Counts openings on the way to a real sealer. */
    static final class CountingSealer implements SecretSealer {
        final AtomicInteger opens = new AtomicInteger();
        private final SecretSealer inner;

        CountingSealer(SecretSealer inner) {
            this.inner = inner;
        }

        @Override
        public byte[] seal(SealContext context, String secret) {
            return inner.seal(context, secret);
        }

        @Override
        public String open(SealContext context, byte[] sealed) {
            opens.incrementAndGet();
            return inner.open(context, sealed);
        }

        @Override
        public String describe() {
            return inner.describe();
        }
    }
}
