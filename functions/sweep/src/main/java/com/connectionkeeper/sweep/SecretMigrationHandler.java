package com.connectionkeeper.sweep;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.connectionkeeper.core.config.Config;
import com.connectionkeeper.core.config.EnvironmentVariables;
import com.connectionkeeper.core.log.JsonLog;
import com.connectionkeeper.kms.Sealers;
import com.connectionkeeper.secretsmanager.CredentialsConfig;
import com.connectionkeeper.store.DynamoSecretStore;
import com.connectionkeeper.store.DynamoStores;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * The one-off migration after upgrading from a release that stored users' secrets in plaintext (README "Upgrading"):
 * scans the table for user items with a plaintext secret and seals each in place (a deleted user's is dropped
 * instead). Invoked by hand ({@code aws lambda invoke}); safe to run again and to run while the other functions
 * work — every step is one conditional write, and the sweep and the API seal what they read first anyway. A run that
 * nears its timeout stops and answers {@code complete: false}: invoke it again.
 */
public final class SecretMigrationHandler implements RequestHandler<Map<String, Object>, Map<String, Object>> {
    /** Time kept back from Lambda's timeout to answer. */
    static final Duration MARGIN = Duration.ofSeconds(10);
    private final DynamoSecretStore secrets;

    /** Used by Lambda: the table and the sealer from the environment. */
    public SecretMigrationHandler() {
        this(fromConfig(CredentialsConfig.fromSystem()));
        EnvironmentVariables.logReads("secret-migration");
    }

    public SecretMigrationHandler(DynamoSecretStore secrets) {
        this.secrets = secrets;
    }

    static DynamoSecretStore fromConfig(Config config) {
        return DynamoStores.fromConfig(config, Sealers.fromConfig(config)).secrets();
    }

    @Override
    public Map<String, Object> handleRequest(Map<String, Object> event, Context context) {
        LongSupplier remaining = context == null ? () -> Long.MAX_VALUE : context::getRemainingTimeInMillis;
        return migrate(remaining);
    }

    /** Seals every plaintext secret it finds before the time runs out; answers the counts. */
    Map<String, Object> migrate(LongSupplier remainingMillis) {
        Map<DynamoSecretStore.Migration, Integer> done = new EnumMap<>(DynamoSecretStore.Migration.class);
        int failed = 0;
        boolean complete = true;
        for (Iterator<String> users = secrets.usersWithPlaintextSecrets().iterator(); users.hasNext(); ) {
            if (remainingMillis.getAsLong() < MARGIN.toMillis()) {
                complete = false;
                break;
            }
            String userId = users.next();
            try {
                done.merge(secrets.sealPlaintext(userId), 1, Integer::sum);
            } catch (RuntimeException e) {
                failed++;
                JsonLog.error("secret_migration_failed", "userId", userId, "error", e.getClass().getSimpleName(),
                        "reason", e.getMessage());
            }
        }
        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("sealed", done.getOrDefault(DynamoSecretStore.Migration.SEALED, 0));
        summary.put("dropped", done.getOrDefault(DynamoSecretStore.Migration.DROPPED, 0));
        summary.put("alreadySealed", done.getOrDefault(DynamoSecretStore.Migration.NOTHING, 0));
        summary.put("failed", failed);
        summary.put("complete", complete && failed == 0);
        JsonLog.info("secret_migration", "sealed", summary.get("sealed"), "dropped", summary.get("dropped"),
                "alreadySealed", summary.get("alreadySealed"), "failed", failed, "complete", summary.get("complete"));
        return summary;
    }
}
