package com.connectionkeeper.kms;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.connectionkeeper.testkit.Integration;
import com.connectionkeeper.testkit.LoopbackKms;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The production KMS client sets no endpoint: the SDK's standard variables point it at the loopback KMS. Proven in a
 * JVM of its own, whose environment holds only the variable under test, the region, the sealing settings and dummy
 * keys.
 */
@Integration
class KmsEndpointVariablesTest {
    @ParameterizedTest
    @ValueSource(strings = {"AWS_ENDPOINT_URL_KMS", "AWS_ENDPOINT_URL"})
    void theSdksEndpointVariablesReachTheLocalKms(String variable) throws Exception {
        try (LoopbackKms kms = new LoopbackKms()) {
            String key = kms.createKey();
            ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-cp", System.getProperty("java.class.path"), SealOne.class.getName());
            Map<String, String> env = pb.environment();
            env.keySet().removeIf(k -> k.startsWith("AWS_") || k.startsWith("SECRET_"));
            env.put(variable, kms.endpoint().toString());
            env.put("AWS_REGION", "us-east-1");
            env.put("AWS_ACCESS_KEY_ID", "local");
            env.put("AWS_SECRET_ACCESS_KEY", "local");
            env.put(Sealers.SECRET_SEALING, Sealers.KMS);
            env.put(Sealers.SECRET_SEALING_KEY_ID, key);
            Process p = pb.inheritIO().start();
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new AssertionError("sealing JVM did not finish");
            }
            assertEquals(0, p.exitValue());
            assertEquals(1, kms.calls("Encrypt"));
            assertEquals(1, kms.calls("Decrypt"));
        }
    }
}
