package com.connectionkeeper.core.secrets;

import java.util.Arrays;

/**
 * The stored layout of a sealed secret: a format byte, the scheme that sealed it ({@link #KMS} or {@link #LOCAL}),
 * then that scheme's bytes. The header lets a function configured for one scheme refuse the other's secrets with a
 * clear message instead of a decryption failure.
 */
public final class SealedForm {
    static final byte FORMAT = 1;
    /** Sealed by KMS: the rest is KMS's ciphertext blob. */
    public static final byte KMS = 'K';
    /** Sealed by the local AES-GCM sealer: the rest is the 12-byte IV and the ciphertext with its tag. */
    public static final byte LOCAL = 'L';

    private SealedForm() {
    }

    /** The stored form of a scheme's bytes. */
    public static byte[] wrap(byte scheme, byte[] payload) {
        byte[] sealed = new byte[payload.length + 2];
        sealed[0] = FORMAT;
        sealed[1] = scheme;
        System.arraycopy(payload, 0, sealed, 2, payload.length);
        return sealed;
    }

    /** The scheme's bytes of a stored form; refused when it is not a sealed secret of this scheme. */
    public static byte[] unwrap(byte[] sealed, byte scheme, SealContext context) {
        if (sealed == null || sealed.length < 3 || sealed[0] != FORMAT) {
            throw new SealingException(SealingException.Kind.REFUSED,
                    "the stored secret of user " + context.userId() + " is not a sealed secret", null);
        }
        if (sealed[1] != scheme) {
            throw new SealingException(SealingException.Kind.REFUSED, "the secret of user " + context.userId()
                    + " was sealed by " + name(sealed[1]) + ", and this function opens secrets sealed by "
                    + name(scheme) + " (SECRET_SEALING)", null);
        }
        return Arrays.copyOfRange(sealed, 2, sealed.length);
    }

    static String name(byte scheme) {
        return switch (scheme) {
            case KMS -> "kms";
            case LOCAL -> "local";
            default -> "an unknown scheme";
        };
    }
}
