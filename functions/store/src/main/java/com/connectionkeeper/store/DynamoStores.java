package com.connectionkeeper.store;

import com.connectionkeeper.core.config.Config;
import com.connectionkeeper.core.secrets.SecretSealer;
import java.time.Duration;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * The store's adapters over one table, built together: a function wires the ports it needs from here (the API adds
 * its account store over the same {@link #table}).
 */
public record DynamoStores(DynamoTable table, DynamoConnectionStore connections, DynamoSecretStore secrets,
                           DynamoSweepQueue sweepQueue) {

    /**
     * The adapters over {@code tableName}; history items expire {@code historyRetention} after their delivery; users'
     * secrets are sealed and opened by {@code sealer}.
     */
    public static DynamoStores create(DynamoDbClient dynamo, String tableName, Duration historyRetention,
                                      SecretSealer sealer) {
        return over(new DynamoTable(dynamo, tableName), historyRetention, sealer);
    }

    private static DynamoStores over(DynamoTable table, Duration historyRetention, SecretSealer sealer) {
        return new DynamoStores(table, new DynamoConnectionStore(table, historyRetention),
                new DynamoSecretStore(table, sealer), new DynamoSweepQueue(table));
    }

    /**
     * The connection store alone (the webhook's one port), with the production wiring of {@link #fromConfig}: a
     * function that needs no other port loads no other adapter.
     */
    public static DynamoConnectionStore connectionsFromConfig(Config config) {
        return new DynamoConnectionStore(table(config), historyRetention(config));
    }

    /**
     * The production wiring: {@link DynamoClients}' client, table name and history retention from configuration, the
     * function's sealer.
     */
    public static DynamoStores fromConfig(Config config, SecretSealer sealer) {
        return over(table(config), historyRetention(config), sealer);
    }

    /**
     * The production wiring over a client of the caller's (tests: one that records the table's changes): table name
     * and history retention from configuration.
     */
    public static DynamoStores fromConfig(Config config, DynamoDbClient dynamo, SecretSealer sealer) {
        return over(new DynamoTable(dynamo, config.tableName()), historyRetention(config), sealer);
    }

    /**
     * The table with the production client (one client per call: a function builds it once and hands it to every
     * adapter it needs, as the reminder and lifecycle functions do).
     */
    public static DynamoTable table(Config config) {
        return new DynamoTable(DynamoClients.create(config), config.tableName());
    }

    private static Duration historyRetention(Config config) {
        return Duration.ofDays(config.historyRetentionDays());
    }
}
