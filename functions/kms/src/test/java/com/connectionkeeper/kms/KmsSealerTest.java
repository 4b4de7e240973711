package com.connectionkeeper.kms;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.connectionkeeper.core.config.EnvironmentConfig;
import com.connectionkeeper.core.secrets.LocalSealer;
import com.connectionkeeper.core.secrets.SealContext;
import com.connectionkeeper.core.secrets.SealedForm;
import com.connectionkeeper.core.secrets.SealingException;
import com.connectionkeeper.core.secrets.SecretSealer;
import com.connectionkeeper.testkit.LoopbackKms;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.retry.RetryMode;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.kms.KmsClient;

/** The KMS sealer's wiring against a loopback KMS that speaks TrentService.Encrypt/Decrypt. */
class KmsSealerTest {
    private static final String SECRET = "simsecret-5e1f0a2b-3c4d-4e5f-8a9b-0c1d2e3f4a5b";
    private static final SealContext ALICE = new SealContext("ck-table", "alice");
    private LoopbackKms kms;
    private KmsClient client;
    private String key;
    private KmsSealer sealer;

    @BeforeEach
    void start() throws Exception {
        kms = new LoopbackKms();
        key = kms.createKey();
        client = KmsClient.builder().endpointOverride(kms.endpoint()).region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local")))
                .overrideConfiguration(o -> o.retryStrategy(RetryMode.STANDARD))
                .build();
        sealer = new KmsSealer(client, key);
    }

    @AfterEach
    void stop() {
        client.close();
        kms.close();
    }

    @Test
    void roundTripThroughKmsWithTheContext() {
        byte[] sealed = sealer.seal(ALICE, SECRET);
        assertEquals(SealedForm.KMS, sealed[1]);
        assertFalse(new String(sealed, StandardCharsets.ISO_8859_1).contains("simsecret"));
        assertEquals(SECRET, sealer.open(ALICE, sealed));
        assertEquals(1, kms.calls("Encrypt"));
        assertEquals(1, kms.calls("Decrypt"));
        assertTrue(kms.authorizations().stream().allMatch(a -> a.contains("/us-east-1/kms/aws4_request")),
                "signed for kms");
    }

    @Test
    void anotherUsersContextIsRefusedByKms() {
        byte[] sealed = sealer.seal(ALICE, SECRET);
        SealingException e = assertThrows(SealingException.class,
                () -> sealer.open(new SealContext("ck-table", "mallory"), sealed));
        assertEquals(SealingException.Kind.REFUSED, e.kind());
        assertTrue(e.getMessage().contains("InvalidCiphertextException") && e.getMessage().contains("mallory"),
                e.getMessage());
        assertClean(e);
    }

    @Test
    void aTamperedCiphertextIsRefused() {
        byte[] sealed = sealer.seal(ALICE, SECRET);
        sealed[sealed.length - 3] ^= 0x10;
        SealingException e = assertThrows(SealingException.class, () -> sealer.open(ALICE, sealed));
        assertEquals(SealingException.Kind.REFUSED, e.kind());
        assertClean(e);
    }

    @Test
    void aCiphertextOfAnotherKeyIsRefusedNotOpenedWithIt() {
        KmsSealer other = new KmsSealer(client, kms.createKey());
        byte[] sealed = other.seal(ALICE, SECRET);
        SealingException e = assertThrows(SealingException.class, () -> sealer.open(ALICE, sealed));
        assertEquals(SealingException.Kind.REFUSED, e.kind());
        assertTrue(e.getMessage().contains("IncorrectKeyException"), e.getMessage());
        assertClean(e);
    }

    @Test
    void aContextThePolicyDoesNotAllowIsRefused() {
        kms.requireContext(SealContext.TABLE_KEY, "ck-table");
        assertEquals(SECRET, sealer.open(ALICE, sealer.seal(ALICE, SECRET)));
        SealingException e = assertThrows(SealingException.class,
                () -> sealer.seal(new SealContext("another-table", "alice"), SECRET));
        assertEquals(SealingException.Kind.REFUSED, e.kind());
        assertTrue(e.getMessage().contains("AccessDeniedException"), e.getMessage());
    }

    @Test
    void aLocallySealedSecretIsRefusedWithTheReason() {
        byte[] local = LocalSealer.ephemeral().seal(ALICE, SECRET);
        SealingException e = assertThrows(SealingException.class, () -> sealer.open(ALICE, local));
        assertTrue(e.getMessage().contains("sealed by local"), e.getMessage());
        assertEquals(0, kms.calls("Decrypt"), "KMS is not asked");
    }

    @Test
    void throttlingIsRetriedBySdkThenReportedUnavailable() {
        byte[] sealed = sealer.seal(ALICE, SECRET);
        kms.failNext(1, 400, "ThrottlingException");
        assertEquals(SECRET, sealer.open(ALICE, sealed), "one throttle: the SDK's retry opens it");
        kms.failNext(100, 500, "KMSInternalException");
        SealingException e = assertThrows(SealingException.class, () -> sealer.open(ALICE, sealed));
        assertEquals(SealingException.Kind.UNAVAILABLE, e.kind());
        assertTrue(e.getMessage().contains("KMSInternalException"), e.getMessage());
        assertClean(e);
    }

    @Test
    void aDisabledKeyIsUnavailableNotRefused() {
        byte[] sealed = sealer.seal(ALICE, SECRET);
        kms.disable(key);
        SealingException e = assertThrows(SealingException.class, () -> sealer.open(ALICE, sealed));
        assertEquals(SealingException.Kind.UNAVAILABLE, e.kind(), "re-enabling the key heals it");
    }

    @Test
    void aliasesWork() {
        kms.alias("alias/connection-keeper", key);
        KmsSealer byAlias = new KmsSealer(client, "alias/connection-keeper");
        assertEquals(SECRET, sealer.open(ALICE, byAlias.seal(ALICE, SECRET)));
    }

    @Test
    void theFactoryChoosesBySecretSealing() {
        String localKey = Base64.getEncoder().encodeToString(new byte[32]);
        SecretSealer local = Sealers.fromConfig(new EnvironmentConfig(Map.of("SECRET_SEALING", "local",
                "SECRET_SEALING_KEY", localKey)));
        assertTrue(local.describe().startsWith("local AES-256-GCM"), local.describe());
        SecretSealer viaKms = Sealers.fromConfig(new EnvironmentConfig(Map.of("SECRET_SEALING", "KMS",
                "SECRET_SEALING_KEY_ID", key, "AWS_REGION", "us-east-1")));
        assertEquals("kms key " + key, viaKms.describe());
        IllegalStateException none = assertThrows(IllegalStateException.class,
                () -> Sealers.fromConfig(new EnvironmentConfig(Map.of())));
        assertEquals("environment variable SECRET_SEALING is not set", none.getMessage());
        IllegalStateException noKeyId = assertThrows(IllegalStateException.class,
                () -> Sealers.fromConfig(new EnvironmentConfig(Map.of("SECRET_SEALING", "kms"))));
        assertEquals("environment variable SECRET_SEALING_KEY_ID is not set", noKeyId.getMessage());
        IllegalStateException other = assertThrows(IllegalStateException.class,
                () -> Sealers.fromConfig(new EnvironmentConfig(Map.of("SECRET_SEALING", "plaintext"))));
        assertEquals("SECRET_SEALING must be kms or local", other.getMessage());
    }

    static void assertClean(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            assertFalse(String.valueOf(t.getMessage()).contains("simsecret"), t.getMessage());
        }
    }
}
