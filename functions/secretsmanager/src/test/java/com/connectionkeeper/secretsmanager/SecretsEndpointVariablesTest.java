package com.connectionkeeper.secretsmanager;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.connectionkeeper.testkit.Integration;
import com.connectionkeeper.testkit.LoopbackSecretsManager;
import com.connectionkeeper.testkit.OwnJvm;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The production Secrets Manager client sets no endpoint: the SDK's standard variables point it at the loopback stub.
 * Proven in a JVM of its own whose environment holds only the variable under test, the region, the secret's id and
 * dummy keys.
 */
@Integration
class SecretsEndpointVariablesTest {
    @ParameterizedTest
    @ValueSource(strings = {"AWS_ENDPOINT_URL_SECRETS_MANAGER", "AWS_ENDPOINT_URL"})
    void theSdksEndpointVariablesReachTheLocalSecretsManager(String variable) throws Exception {
        try (LoopbackSecretsManager manager = new LoopbackSecretsManager()) {
            String arn = manager.put("ck/credentials", "{\"SNAPTRADE_CONSUMER_KEY\":\"from-secrets-manager\"}");
            assertEquals(0, OwnJvm.run(ReadOne.class, Map.of(variable, manager.endpoint().toString(),
                    "AWS_REGION", "us-east-1", "AWS_ACCESS_KEY_ID", "local", "AWS_SECRET_ACCESS_KEY", "local",
                    CredentialsConfig.CREDENTIALS_SECRET_ID, arn, "SNAPTRADE_CONSUMER_KEY", "from-the-environment")),
                    "the key came from Secrets Manager, not the environment");
            assertEquals(List.of(arn), manager.requests());
        }
    }
}
