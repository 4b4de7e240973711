package com.connectionkeeper.signature;

import java.security.GeneralSecurityException;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/** HMAC-SHA256, the MAC of SnapTrade's webhook signatures and of our reconnect state. */
public final class HmacSha256 {
    public static final String ALGORITHM = "HmacSHA256";

    private HmacSha256() {
    }

    public static SecretKeySpec key(byte[] bytes) {
        return new SecretKeySpec(bytes, ALGORITHM);
    }

    /** A fresh MAC (a Mac is not thread-safe: one per use, or per thread). */
    public static Mac newMac(SecretKeySpec key) {
        try {
            Mac mac = Mac.getInstance(ALGORITHM);
            mac.init(key);
            return mac;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(ALGORITHM + " is not available", e);
        }
    }
}
