package com.connectionkeeper.core.secrets;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * {@link SecretSealer} with the JDK's AES-256-GCM and a local key, for tests and the local stack: the same rules as
 * KMS — the {@link SealContext} is authenticated with the ciphertext (as additional data), so a secret sealed for one
 * user or table does not open for another, and a changed byte or another key is refused.
 */
public final class LocalSealer implements SecretSealer {
    /** Key length in bytes (AES-256). */
    public static final int KEY_BYTES = 32;
    private static final int IV_BYTES = 12;
    private static final int TAG_BITS = 128;
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final LocalSealer EPHEMERAL = new LocalSealer(randomKey());

    private final SecretKeySpec key;
    private final String fingerprint;

    /** With this 32-byte key. */
    public LocalSealer(byte[] key) {
        if (key == null || key.length != KEY_BYTES) {
            throw new IllegalArgumentException("a local sealing key is " + KEY_BYTES + " bytes");
        }
        this.key = new SecretKeySpec(key.clone(), "AES");
        this.fingerprint = fingerprint(key);
    }

    /** With a key given as base64 (e.g. {@code openssl rand -base64 32}); {@code name} names it in errors. */
    public static LocalSealer fromBase64(String base64Key, String name) {
        byte[] key;
        try {
            key = Base64.getDecoder().decode(base64Key.strip());
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException(name + " is not base64", null);
        }
        if (key.length != KEY_BYTES) {
            throw new IllegalStateException(name + " must be " + KEY_BYTES + " bytes in base64 (openssl rand -base64 "
                    + KEY_BYTES + "), got " + key.length);
        }
        return new LocalSealer(key);
    }

    /**
     * A sealer whose random key lives as long as this JVM (tests and benchmarks: every store of the process opens what
     * another sealed; nothing sealed with it opens after the process ends).
     */
    public static LocalSealer ephemeral() {
        return EPHEMERAL;
    }

    /** A new random key, base64 (the local stack writes one per run directory). */
    public static String newKeyBase64() {
        return Base64.getEncoder().encodeToString(randomKey());
    }

    @Override
    public byte[] seal(SealContext context, String secret) {
        byte[] iv = new byte[IV_BYTES];
        RANDOM.nextBytes(iv);
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, iv));
            cipher.updateAAD(additionalData(context));
            byte[] sealed = cipher.doFinal(secret.getBytes(StandardCharsets.UTF_8));
            return SealedForm.wrap(SealedForm.LOCAL, ByteBuffer.allocate(IV_BYTES + sealed.length).put(iv).put(sealed)
                    .array());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is unavailable in this JVM", e);
        }
    }

    @Override
    public String open(SealContext context, byte[] sealed) {
        byte[] payload = SealedForm.unwrap(sealed, SealedForm.LOCAL, context);
        if (payload.length < IV_BYTES + TAG_BITS / 8) {
            throw refused(context, null);
        }
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, payload, 0, IV_BYTES));
            cipher.updateAAD(additionalData(context));
            return new String(cipher.doFinal(payload, IV_BYTES, payload.length - IV_BYTES), StandardCharsets.UTF_8);
        } catch (AEADBadTagException e) {
            throw refused(context, e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is unavailable in this JVM", e);
        }
    }

    @Override
    public String describe() {
        return "local AES-256-GCM key " + fingerprint;
    }

    private SealingException refused(SealContext context, Throwable cause) {
        return new SealingException(SealingException.Kind.REFUSED, "the secret of user " + context.userId()
                + " does not open with " + describe() + " for table " + context.table()
                + " (sealed for another user or table, with another key, or changed)", cause);
    }

    /** The context as bytes, keys in order, each key and value length-prefixed (no two contexts share an encoding). */
    static byte[] additionalData(SealContext context) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (Map.Entry<String, String> e : new TreeMap<>(context.asMap()).entrySet()) {
            write(out, e.getKey());
            write(out, e.getValue());
        }
        return out.toByteArray();
    }

    private static void write(ByteArrayOutputStream out, String text) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        out.writeBytes(ByteBuffer.allocate(4).putInt(bytes.length).array());
        out.writeBytes(bytes);
    }

    private static byte[] randomKey() {
        byte[] key = new byte[KEY_BYTES];
        RANDOM.nextBytes(key);
        return key;
    }

    private static String fingerprint(byte[] key) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(key);
            return HexFormat.of().formatHex(digest, 0, 4);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("SHA-256 is unavailable in this JVM", e);
        }
    }
}
