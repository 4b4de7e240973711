package com.connectionkeeper.kms;

import com.connectionkeeper.core.config.Config;
import com.connectionkeeper.core.secrets.LocalSealer;
import com.connectionkeeper.core.secrets.SecretSealer;
import java.util.Locale;

/**
 * The sealer a function uses, chosen by its environment: {@code SECRET_SEALING=kms} with the key in
 * {@code SECRET_SEALING_KEY_ID} (what the template sets), or {@code SECRET_SEALING=local} with a 32-byte base64 key
 * in {@code SECRET_SEALING_KEY} (the local stack and tests). There is no default: a function that seals fails at init,
 * naming the variable, rather than storing secrets some other way than its deployment meant.
 */
public final class Sealers {
    public static final String SECRET_SEALING = "SECRET_SEALING";
    public static final String SECRET_SEALING_KEY_ID = "SECRET_SEALING_KEY_ID";
    public static final String SECRET_SEALING_KEY = "SECRET_SEALING_KEY";
    public static final String KMS = "kms";
    public static final String LOCAL = "local";

    private Sealers() {
    }

    /** The configured sealer, built once (a KMS client, or the local key). */
    public static SecretSealer fromConfig(Config config) {
        String scheme = config.settings().required(SECRET_SEALING).toLowerCase(Locale.ROOT);
        return switch (scheme) {
            case KMS -> new KmsSealer(KmsSealer.client(config), config.settings().required(SECRET_SEALING_KEY_ID));
            case LOCAL -> LocalSealer.fromBase64(config.requiredSecret(SECRET_SEALING_KEY), SECRET_SEALING_KEY);
            default -> throw new IllegalStateException(SECRET_SEALING + " must be " + KMS + " or " + LOCAL);
        };
    }
}
