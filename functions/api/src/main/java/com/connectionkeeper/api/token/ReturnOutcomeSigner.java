package com.connectionkeeper.api.token;

import com.connectionkeeper.signature.HmacSha256;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Objects;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Signs the outcome the return landing sends the app, so the app can tell a genuine {@code status=SUCCESS} from one a
 * user typed. The key is the operator's {@code ReturnOutcomeKey} when set — then the app holds only that key and
 * cannot sign reconnect states — else derived from {@code ReconnectStateKey} (the default, as before):
 * <pre>
 *   outcomeKey = UTF-8 bytes of ReturnOutcomeKey, when set; else
 *   outcomeKey = HMAC-SHA256(key = UTF-8 bytes of ReconnectStateKey, "connection-keeper/return-outcome/v1")
 *   canonical  = "connection-keeper/return-outcome/v1\n" + status + "\n" + connectionId + "\n" + reason (or "")
 *                + "\n" + userId + "\n" + link + "\n" + at
 *   signature  = base64url, no padding (HMAC-SHA256(outcomeKey, UTF-8 bytes of canonical))
 * </pre>
 * {@code link} is the link's id (its state's nonce, returned as {@code linkId} when the link was minted) and
 * {@code at} the Unix second the outcome was established. Ids never hold a line break (they have no control
 * characters), so the lines are unambiguous.
 */
public final class ReturnOutcomeSigner {
    public static final String CONTEXT = "connection-keeper/return-outcome/v1";

    private final SecretKeySpec outcomeKey;

    private ReturnOutcomeSigner(byte[] outcomeKey) {
        this.outcomeKey = HmacSha256.key(outcomeKey);
    }

    /** The signer for the outcome key derived from the configured state key (the same text as the codec's). */
    public static ReturnOutcomeSigner fromStateKey(String stateKey) {
        Objects.requireNonNull(stateKey, "stateKey");
        Mac mac = HmacSha256.newMac(HmacSha256.key(stateKey.getBytes(StandardCharsets.UTF_8)));
        return new ReturnOutcomeSigner(mac.doFinal(CONTEXT.getBytes(StandardCharsets.UTF_8)));
    }

    /** The least length of a {@code ReturnOutcomeKey}, in characters. */
    public static final int MIN_OUTCOME_KEY_CHARS = 32;

    /**
     * The signer for an outcome key of its own ({@code ReturnOutcomeKey}: its UTF-8 bytes are the key).
     *
     * @throws IllegalArgumentException if shorter than {@value #MIN_OUTCOME_KEY_CHARS} characters
     */
    public static ReturnOutcomeSigner fromOutcomeKey(String outcomeKey) {
        Objects.requireNonNull(outcomeKey, "outcomeKey");
        if (outcomeKey.length() < MIN_OUTCOME_KEY_CHARS) {
            throw new IllegalArgumentException("the return-outcome key must be at least " + MIN_OUTCOME_KEY_CHARS
                    + " characters, got " + outcomeKey.length());
        }
        return new ReturnOutcomeSigner(outcomeKey.getBytes(StandardCharsets.UTF_8));
    }

    /** The {@code signature} parameter for this outcome ({@code reason} may be null). */
    public String sign(String status, String connectionId, String reason, String userId, String link, long at) {
        String canonical = String.join("\n", CONTEXT, status, connectionId, reason == null ? "" : reason, userId,
                link, Long.toString(at));
        byte[] mac = HmacSha256.newMac(outcomeKey).doFinal(canonical.getBytes(StandardCharsets.UTF_8));
        return Base64.getUrlEncoder().withoutPadding().encodeToString(mac);
    }
}
