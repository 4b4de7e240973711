package com.connectionkeeper.core.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.connectionkeeper.testkit.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class CachedSecretsTest {
    private static final Duration TTL = Duration.ofMinutes(5);
    private static final Duration MIN = Duration.ofSeconds(30);
    private final MutableClock clock = new MutableClock(Instant.parse("2026-11-29T12:00:00Z"));
    private final FakeSource source = new FakeSource(Map.of("KEY", "one"));

    @Test
    void readOnceAtInitThenFromMemoryWithinTheTtl() {
        CachedSecrets secrets = new CachedSecrets(source, clock, TTL, MIN);
        for (int i = 0; i < 1000; i++) {
            assertEquals(Optional.of("one"), secrets.get("KEY"));
            clock.advance(Duration.ofMillis(250));
        }
        assertEquals(1, source.reads.get(), "one read for a thousand uses within the TTL");
        assertEquals(Optional.empty(), secrets.get("OTHER"));
    }

    @Test
    void readAgainAfterTheTtlSoARotationArrivesWithinIt() {
        CachedSecrets secrets = new CachedSecrets(source, clock, TTL, MIN);
        source.values = Map.of("KEY", "two");
        clock.advance(TTL.minusSeconds(1));
        assertEquals(Optional.of("one"), secrets.get("KEY"));
        clock.advance(Duration.ofSeconds(1));
        assertEquals(Optional.of("two"), secrets.get("KEY"));
        assertEquals(2, source.reads.get());
        assertEquals(Optional.of("two"), secrets.get("KEY"));
        assertEquals(2, source.reads.get());
    }

    @Test
    void aRejectionRereadsAtOnceButAtMostOncePerInterval() {
        CachedSecrets secrets = new CachedSecrets(source, clock, TTL, MIN);
        source.values = Map.of("KEY", "rotated");
        assertFalse(secrets.refreshAfterRejection(), "just read at init");
        assertEquals(1, source.reads.get());
        clock.advance(MIN);
        assertTrue(secrets.refreshAfterRejection(), "the key changed");
        assertEquals(Optional.of("rotated"), secrets.get("KEY"));
        clock.advance(MIN.minusSeconds(1));
        for (int i = 0; i < 100; i++) {
            assertFalse(secrets.refreshAfterRejection(), "a flood of rejections is not a flood of reads");
        }
        assertEquals(2, source.reads.get());
        clock.advance(Duration.ofSeconds(1));
        assertFalse(secrets.refreshAfterRejection(), "read again: unchanged");
        assertEquals(3, source.reads.get());
    }

    @Test
    void aFailedRereadKeepsTheValuesAndIsTriedAgainAfterTheInterval() {
        CachedSecrets secrets = new CachedSecrets(source, clock, TTL, MIN);
        source.failing = true;
        clock.advance(TTL);
        assertEquals(Optional.of("one"), secrets.get("KEY"), "stale beats down");
        assertEquals(Optional.of("one"), secrets.get("KEY"));
        assertEquals(2, source.reads.get(), "not retried on every use");
        clock.advance(MIN);
        source.failing = false;
        source.values = Map.of("KEY", "two");
        assertEquals(Optional.of("two"), secrets.get("KEY"));
        assertEquals(3, source.reads.get());
    }

    @Test
    void expiredAfterARestoreTheNextUseReadsOnceWithinTheTtlAndTheInterval() {
        CachedSecrets secrets = new CachedSecrets(source, clock, TTL, MIN);
        source.values = Map.of("KEY", "rotated");
        secrets.expire();
        assertEquals(1, source.reads.get(), "expiring reads nothing");
        assertEquals(Optional.of("rotated"), secrets.get("KEY"), "the next use reads first, however recent the last");
        assertEquals(Optional.of("rotated"), secrets.get("KEY"));
        assertEquals(2, source.reads.get(), "once");
    }

    @Test
    void expiredWhileTheSourceFailsTheValuesHeldServeAndTheReadIsTriedAgainAfterTheInterval() {
        CachedSecrets secrets = new CachedSecrets(source, clock, TTL, MIN);
        source.failing = true;
        secrets.expire();
        assertEquals(Optional.of("one"), secrets.get("KEY"), "the snapshot's values rather than none");
        assertEquals(Optional.of("one"), secrets.get("KEY"));
        assertEquals(2, source.reads.get(), "not retried on every use");
        clock.advance(MIN);
        source.failing = false;
        source.values = Map.of("KEY", "two");
        assertEquals(Optional.of("two"), secrets.get("KEY"));
    }

    @Test
    void anUnreadableSourceFailsInitWithItsReason() {
        source.failing = true;
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> new CachedSecrets(source, clock, TTL, MIN));
        assertEquals("fake source is down", e.getMessage());
    }

    @Test
    void blankCountsAsUnset() {
        source.values = Map.of("KEY", "  ");
        assertEquals(Optional.empty(), new CachedSecrets(source, clock, TTL, MIN).get("KEY"));
    }

    @Test
    void manyThreadsAfterTheTtlMakeOneRead() throws InterruptedException {
        CachedSecrets secrets = new CachedSecrets(source, clock, TTL, MIN);
        clock.advance(TTL);
        CountDownLatch go = new CountDownLatch(1);
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < 8; t++) {
            Thread thread = new Thread(() -> {
                try {
                    go.await();
                } catch (InterruptedException e) {
                    return;
                }
                for (int i = 0; i < 500; i++) {
                    secrets.get("KEY");
                }
            });
            thread.start();
            threads.add(thread);
        }
        go.countDown();
        for (Thread thread : threads) {
            thread.join();
        }
        assertEquals(2, source.reads.get(), "init and one re-read");
    }

    @Test
    void secretsConfigReadsSecretsFromTheSourceAndSettingsFromTheEnvironment() {
        SecretsConfig config = new SecretsConfig(Map.of("TABLE_NAME", "t", "KEY", "from-env"),
                new CachedSecrets(source, clock, TTL, MIN));
        assertEquals("t", config.tableName());
        assertEquals(Optional.of("one"), config.secret("KEY"), "never the environment's");
        assertEquals("environment variable MISSING is not set",
                assertThrows(IllegalStateException.class, () -> config.settings().required("MISSING")).getMessage());
        assertEquals("MISSING is not set",
                assertThrows(IllegalStateException.class, () -> config.requiredSecret("MISSING")).getMessage());
        assertFalse(new EnvironmentConfig(Map.of()).refreshSecrets(), "the environment never changes");
    }

    private static final class FakeSource implements SecretSource {
        final AtomicInteger reads = new AtomicInteger();
        volatile Map<String, String> values;
        volatile boolean failing;

        FakeSource(Map<String, String> values) {
            this.values = values;
        }

        @Override
        public Map<String, String> read() {
            reads.incrementAndGet();
            if (failing) {
                throw new IllegalStateException("fake source is down");
            }
            return values;
        }

        @Override
        public String describe() {
            return "fake source";
        }
    }
}
