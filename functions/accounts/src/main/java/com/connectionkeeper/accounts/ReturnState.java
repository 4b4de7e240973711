package com.connectionkeeper.accounts;

import com.connectionkeeper.core.runtime.Entropy;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.Objects;

/**
 * What a reconnect link's {@code state} token carries to the return landing: whose connection is being repaired,
 * where the app wants the browser back, a nonce, and until when the token is good.
 *
 * <p>Every text is non-blank and well-formed Unicode (no unpaired surrogate), so every state can be signed.
 * {@code expiresAt} is held to whole seconds, truncated (the token carries epoch seconds), so a state read back from
 * its token equals the state that was signed.
 *
 * @param userId       the SnapTrade user whose connection is being reconnected
 * @param connectionId the connection (brokerage authorization) being reconnected
 * @param returnUrl    where the landing sends the browser afterwards, checked against the allow-list by the caller;
 *                     empty when the app gave none (the landing then shows the outcome itself)
 * @param nonce        random text that makes each token unique ({@link #randomNonce()})
 * @param expiresAt    the first instant at which the token is no longer accepted
 */
public record ReturnState(String userId, String connectionId, String returnUrl, String nonce, Instant expiresAt) {
    private static final int NONCE_BYTES = 16;

    public ReturnState {
        requireText(userId, "userId");
        requireText(connectionId, "connectionId");
        Objects.requireNonNull(returnUrl, "returnUrl");
        if (!returnUrl.isEmpty()) {
            requireText(returnUrl, "returnUrl");
        }
        requireText(nonce, "nonce");
        Objects.requireNonNull(expiresAt, "expiresAt");
        expiresAt = expiresAt.truncatedTo(ChronoUnit.SECONDS);
    }

    /** Whether the app asked to get the browser back (else the landing shows the outcome itself). */
    public boolean hasReturnUrl() {
        return !returnUrl.isEmpty();
    }

    /** A fresh nonce: 128 random bits as unpadded base64url (22 characters). */
    public static String randomNonce() {
        byte[] bytes = Entropy.bytes(NONCE_BYTES);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    private static void requireText(String value, String name) {
        Objects.requireNonNull(value, name);
        if (value.isBlank()) {
            throw new IllegalArgumentException(name + " must not be blank");
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < value.length()
                    && Character.isLowSurrogate(value.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                throw new IllegalArgumentException(name + " has an unpaired surrogate at index " + i);
            }
        }
    }
}
