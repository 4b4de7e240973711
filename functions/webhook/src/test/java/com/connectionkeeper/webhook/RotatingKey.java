package com.connectionkeeper.webhook;

import com.connectionkeeper.core.config.CachedSecrets;
import com.connectionkeeper.core.config.Config;
import com.connectionkeeper.core.config.SecretSource;
import com.connectionkeeper.core.config.SecretsConfig;
import com.connectionkeeper.testkit.Dynalite;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The webhook's consumer key in a secret the test rotates ({@link #key}), as Secrets Manager holds it, counting reads:
 * a function's configuration over it ({@link #config}) caches it for 5 minutes and reads again after a rejection at
 * most every 30 s, as in AWS.
 */
final class RotatingKey implements SecretSource {
    final AtomicInteger reads = new AtomicInteger();
    volatile String key;

    RotatingKey(String key) {
        this.key = key;
    }

    @Override
    public Map<String, String> read() {
        reads.incrementAndGet();
        return Map.of(Config.SNAPTRADE_CONSUMER_KEY, key);
    }

    @Override
    public String describe() {
        return "test secret";
    }

    /** The webhook's configuration: this secret, and the table on the shared dynalite. */
    Config config(String table, Clock clock) {
        return new SecretsConfig(Map.of(Config.TABLE_NAME, table, Config.DYNAMODB_ENDPOINT,
                Dynalite.endpoint().toString()), new CachedSecrets(this, clock, Duration.ofMinutes(5),
                Duration.ofSeconds(30)));
    }
}
