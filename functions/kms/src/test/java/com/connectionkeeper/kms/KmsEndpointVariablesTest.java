package com.connectionkeeper.kms;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.connectionkeeper.testkit.Integration;
import com.connectionkeeper.testkit.LoopbackKms;
import com.connectionkeeper.testkit.OwnJvm;
import java.util.Map;
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
            assertEquals(0, OwnJvm.run(SealOne.class, Map.of(variable, kms.endpoint().toString(),
                    "AWS_REGION", "us-east-1", "AWS_ACCESS_KEY_ID", "local", "AWS_SECRET_ACCESS_KEY", "local",
                    Sealers.SECRET_SEALING, Sealers.KMS, Sealers.SECRET_SEALING_KEY_ID, key)));
            assertEquals(1, kms.calls("Encrypt"));
            assertEquals(1, kms.calls("Decrypt"));
        }
    }
}
