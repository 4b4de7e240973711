package com.connectionkeeper.core.secrets;

/**
 * Seals a user's SnapTrade secret before it is stored, and opens it where SnapTrade is called for that user. A sealed
 * secret is bound to its {@link SealContext} (the table it is stored in and the user it belongs to): copied onto
 * another user, or into another deployment's table, it does not open. Implementations: KMS in AWS (a customer managed
 * key), AES-GCM with a local key for tests and the local stack. Thread-safe.
 */
public interface SecretSealer {

    /** The sealed form of {@code secret}, which opens only with {@code context}. */
    byte[] seal(SealContext context, String secret);

    /**
     * The secret sealed in {@code sealed}. Throws {@link SealingException} when it does not open (another context,
     * another key, tampered, not ours) or the sealing service cannot be reached; the message never holds the secret.
     */
    String open(SealContext context, byte[] sealed);

    /** What this sealer is, for logs and errors: its scheme and key id, never key material. */
    String describe();
}
