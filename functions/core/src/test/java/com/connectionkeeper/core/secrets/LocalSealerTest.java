package com.connectionkeeper.core.secrets;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import org.junit.jupiter.api.Test;

class LocalSealerTest {
    private static final String SECRET = "simsecret-0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0";
    private static final SealContext ALICE = new SealContext("ck-table", "alice");
    private final LocalSealer sealer = new LocalSealer(key(1));

    @Test
    void roundTrip() {
        byte[] sealed = sealer.seal(ALICE, SECRET);
        assertEquals(SECRET, sealer.open(ALICE, sealed));
        assertFalse(new String(sealed, StandardCharsets.ISO_8859_1).contains("simsecret"), "sealed form is opaque");
        assertEquals(SealedForm.LOCAL, sealed[1]);
    }

    @Test
    void everySealIsDifferentButOpensTheSame() {
        byte[] one = sealer.seal(ALICE, SECRET);
        byte[] two = sealer.seal(ALICE, SECRET);
        assertFalse(Arrays.equals(one, two), "a fresh IV per seal");
        assertEquals(sealer.open(ALICE, one), sealer.open(ALICE, two));
    }

    @Test
    void anotherUsersContextIsRefused() {
        byte[] sealed = sealer.seal(ALICE, SECRET);
        SealingException e = assertThrows(SealingException.class,
                () -> sealer.open(new SealContext("ck-table", "mallory"), sealed));
        assertEquals(SealingException.Kind.REFUSED, e.kind());
        assertClean(e);
    }

    @Test
    void anotherTablesContextIsRefused() {
        byte[] sealed = sealer.seal(ALICE, SECRET);
        assertClean(assertThrows(SealingException.class,
                () -> sealer.open(new SealContext("other-table", "alice"), sealed)));
    }

    @Test
    void contextsThatConcatenateAlikeDoNotCollide() {
        byte[] sealed = sealer.seal(new SealContext("ab", "c"), SECRET);
        assertThrows(SealingException.class, () -> sealer.open(new SealContext("a", "bc"), sealed));
    }

    @Test
    void everyChangedByteIsRefused() {
        byte[] sealed = sealer.seal(ALICE, SECRET);
        for (int i = 0; i < sealed.length; i++) {
            byte[] tampered = sealed.clone();
            tampered[i] ^= 0x01;
            SealingException e = assertThrows(SealingException.class, () -> sealer.open(ALICE, tampered),
                    "byte " + i);
            assertEquals(SealingException.Kind.REFUSED, e.kind());
            assertClean(e);
        }
        assertThrows(SealingException.class, () -> sealer.open(ALICE, Arrays.copyOf(sealed, sealed.length - 1)));
    }

    @Test
    void anotherKeyIsRefused() {
        byte[] sealed = sealer.seal(ALICE, SECRET);
        SealingException e = assertThrows(SealingException.class, () -> new LocalSealer(key(2)).open(ALICE, sealed));
        assertTrue(e.getMessage().contains("alice") && e.getMessage().contains("does not open"), e.getMessage());
        assertClean(e);
    }

    @Test
    void aKmsSealedSecretIsRefusedWithTheReason() {
        byte[] kms = SealedForm.wrap(SealedForm.KMS, new byte[40]);
        SealingException e = assertThrows(SealingException.class, () -> sealer.open(ALICE, kms));
        assertTrue(e.getMessage().contains("sealed by kms") && e.getMessage().contains("SECRET_SEALING"),
                e.getMessage());
    }

    @Test
    void plaintextIsNotASealedSecret() {
        SealingException e = assertThrows(SealingException.class,
                () -> sealer.open(ALICE, SECRET.getBytes(StandardCharsets.UTF_8)));
        assertTrue(e.getMessage().contains("not a sealed secret"), e.getMessage());
        assertClean(e);
        assertThrows(SealingException.class, () -> sealer.open(ALICE, new byte[0]));
        assertThrows(SealingException.class, () -> sealer.open(ALICE, null));
    }

    @Test
    void keysFromBase64AreChecked() {
        String good = Base64.getEncoder().encodeToString(key(3));
        assertEquals(new LocalSealer(key(3)).describe(), LocalSealer.fromBase64(good, "K").describe());
        IllegalStateException shortKey = assertThrows(IllegalStateException.class,
                () -> LocalSealer.fromBase64(Base64.getEncoder().encodeToString(new byte[16]), "SECRET_SEALING_KEY"));
        assertTrue(shortKey.getMessage().startsWith("SECRET_SEALING_KEY must be 32 bytes"), shortKey.getMessage());
        IllegalStateException notBase64 = assertThrows(IllegalStateException.class,
                () -> LocalSealer.fromBase64("not base64 at all!", "SECRET_SEALING_KEY"));
        assertFalse(notBase64.getMessage().contains("not base64 at all"), "the key is not echoed");
        assertThrows(IllegalArgumentException.class, () -> new LocalSealer(new byte[31]));
    }

    @Test
    void describeNamesAFingerprintNotTheKey() {
        String text = sealer.describe();
        assertTrue(text.matches("local AES-256-GCM key [0-9a-f]{8}"), text);
        assertNotEquals(text, new LocalSealer(key(2)).describe());
        assertFalse(text.contains(Base64.getEncoder().encodeToString(key(1))));
    }

    @Test
    void theEphemeralSealerIsOnePerProcess() {
        byte[] sealed = LocalSealer.ephemeral().seal(ALICE, SECRET);
        assertEquals(SECRET, LocalSealer.ephemeral().open(ALICE, sealed));
        assertThrows(SealingException.class, () -> sealer.open(ALICE, sealed));
    }

    @Test
    void additionalDataIsTheWholeContext() {
        assertArrayEquals(LocalSealer.additionalData(new SealContext("t", "u")),
                LocalSealer.additionalData(new SealContext("t", "u")));
        assertFalse(Arrays.equals(LocalSealer.additionalData(new SealContext("t", "u")),
                LocalSealer.additionalData(new SealContext("t", "v"))));
    }

    /** No plaintext anywhere in the exception chain. */
    static void assertClean(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            String text = String.valueOf(t.getMessage());
            assertFalse(text.contains(SECRET) || text.contains("simsecret"), "secret in: " + text);
        }
    }

    private static byte[] key(int seed) {
        byte[] key = new byte[32];
        Arrays.fill(key, (byte) seed);
        return key;
    }
}
