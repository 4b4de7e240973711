package com.connectionkeeper.secretsmanager;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.connectionkeeper.testkit.Integration;
import com.connectionkeeper.testkit.LoopbackSecretsManager;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
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
            ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-cp", System.getProperty("java.class.path"), ReadOne.class.getName());
            Map<String, String> env = pb.environment();
            env.keySet().removeIf(k -> k.startsWith("AWS_") || k.startsWith("SNAPTRADE_") || k.startsWith("CREDENTIALS_"));
            env.put(variable, manager.endpoint().toString());
            env.put("AWS_REGION", "us-east-1");
            env.put("AWS_ACCESS_KEY_ID", "local");
            env.put("AWS_SECRET_ACCESS_KEY", "local");
            env.put(CredentialsConfig.CREDENTIALS_SECRET_ID, arn);
            env.put("SNAPTRADE_CONSUMER_KEY", "from-the-environment");
            Process p = pb.inheritIO().start();
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new AssertionError("reading JVM did not finish");
            }
            assertEquals(0, p.exitValue(), "the key came from Secrets Manager, not the environment");
            assertEquals(List.of(arn), manager.requests());
        }
    }
}
