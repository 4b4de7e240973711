package com.connectionkeeper.api.token;

import com.connectionkeeper.accounts.ReturnState;
import com.connectionkeeper.api.token.StateCheck.Invalid;
import com.connectionkeeper.api.token.StateCheck.Reason;
import com.connectionkeeper.api.token.StateCheck.Valid;
import com.connectionkeeper.signature.HmacSha256;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.Base64;
import java.util.Objects;
import javax.crypto.spec.SecretKeySpec;

/**
 * Signs a {@link ReturnState} into a compact URL-safe {@code state} token and verifies such tokens.
 *
 * <p>Token: {@code v1.<payload>.<signature>}, where payload is the unpadded base64url of the UTF-8 JSON object
 * {@code {"u":userId,"c":connectionId,"r":returnUrl,"n":nonce,"e":expiresAt in epoch seconds}} and signature is the
 * unpadded base64url of HMAC-SHA256(key, ASCII of {@code "v1." + payload}). Tokens use only {@code A-Z a-z 0-9 - _ .}
 * and are at most {@value #MAX_TOKEN_LENGTH} characters.
 *
 * <p>{@link #verify} never throws on any token: it checks shape, then the signature (in constant time, before the
 * payload is read), then the payload, then the expiry. Thread-safe (a fresh {@code Mac} per call). Never logs.
 */
public final class ReturnStateCodec {
    /** Longest token accepted (and produced); longer input is {@link Reason#MALFORMED} without further work. */
    public static final int MAX_TOKEN_LENGTH = 4096;
    /** Shortest signing key, in bytes (the HMAC-SHA256 output size). */
    public static final int MIN_KEY_BYTES = 32;

    private static final String VERSION_PREFIX = "v1.";
    private static final int SIGNATURE_BYTES = 32;
    private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder DECODER = Base64.getUrlDecoder();
    private static final ObjectMapper JSON = JsonMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    private final SecretKeySpec key;

    /** A codec signing with {@code key} (at least {@value #MIN_KEY_BYTES} bytes; copied). */
    public ReturnStateCodec(byte[] key) {
        Objects.requireNonNull(key, "key");
        if (key.length < MIN_KEY_BYTES) {
            throw new IllegalArgumentException("the return-state signing key must be at least " + MIN_KEY_BYTES
                    + " bytes, got " + key.length);
        }
        this.key = HmacSha256.key(key);
        HmacSha256.newMac(this.key); // fail now, not on the first request, if HMAC-SHA256 is unavailable
    }

    /**
     * A codec whose key is the UTF-8 bytes of a configured secret (at least {@value #MIN_KEY_BYTES} bytes, e.g. the
     * output of {@code openssl rand -base64 32}).
     */
    public static ReturnStateCodec fromSecret(String secret) {
        Objects.requireNonNull(secret, "secret");
        byte[] bytes = secret.getBytes(StandardCharsets.UTF_8);
        if (bytes.length < MIN_KEY_BYTES) {
            throw new IllegalArgumentException("the return-state secret must be at least " + MIN_KEY_BYTES
                    + " bytes of UTF-8, got " + bytes.length);
        }
        return new ReturnStateCodec(bytes);
    }

    /**
     * The token for {@code state}.
     *
     * @throws IllegalArgumentException if the token would be longer than {@value #MAX_TOKEN_LENGTH} characters
     */
    public String sign(ReturnState state) {
        Objects.requireNonNull(state, "state");
        ObjectNode payload = JSON.createObjectNode()
                .put("u", state.userId())
                .put("c", state.connectionId())
                .put("r", state.returnUrl())
                .put("n", state.nonce())
                .put("e", state.expiresAt().getEpochSecond());
        byte[] json;
        try {
            json = JSON.writeValueAsBytes(payload);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("could not write the return state", e);
        }
        String signed = VERSION_PREFIX + ENCODER.encodeToString(json);
        String token = signed + "." + ENCODER.encodeToString(hmac(signed));
        if (token.length() > MAX_TOKEN_LENGTH) {
            throw new IllegalArgumentException("the return state's token would be " + token.length()
                    + " characters, over the " + MAX_TOKEN_LENGTH + " allowed");
        }
        return token;
    }

    /**
     * Checks {@code token} as of {@code now}: {@link Valid} with its state, or {@link Invalid} with the first failed
     * check. Never throws for any token (null included).
     */
    public StateCheck verify(String token, Instant now) {
        Objects.requireNonNull(now, "now");
        if (token == null || token.length() > MAX_TOKEN_LENGTH || !token.startsWith(VERSION_PREFIX)
                || !urlSafe(token)) {
            return new Invalid(Reason.MALFORMED);
        }
        int dot = token.indexOf('.', VERSION_PREFIX.length());
        if (dot < 0 || token.indexOf('.', dot + 1) >= 0) {
            return new Invalid(Reason.MALFORMED);
        }
        String signed = token.substring(0, dot);
        byte[] claimed = decodeCanonical(token.substring(dot + 1));
        if (claimed == null || claimed.length != SIGNATURE_BYTES) {
            return new Invalid(Reason.MALFORMED);
        }
        if (!MessageDigest.isEqual(hmac(signed), claimed)) {
            return new Invalid(Reason.BAD_SIGNATURE);
        }
        ReturnState state = readPayload(signed.substring(VERSION_PREFIX.length()));
        if (state == null) {
            return new Invalid(Reason.MALFORMED);
        }
        if (!now.isBefore(state.expiresAt())) {
            return new Invalid(Reason.EXPIRED);
        }
        return new Valid(state);
    }

    /** The state in an (authentic) payload part, or null unless it is exactly the object {@link #sign} writes. */
    private static ReturnState readPayload(String payloadPart) {
        try {
            JsonNode root = JSON.readTree(DECODER.decode(payloadPart));
            if (root == null || !root.isObject() || root.size() != 5) {
                return null;
            }
            JsonNode expiry = root.get("e");
            if (expiry == null || !expiry.isIntegralNumber() || !expiry.canConvertToLong()) {
                return null;
            }
            String userId = text(root, "u");
            String connectionId = text(root, "c");
            String returnUrl = text(root, "r");
            String nonce = text(root, "n");
            if (userId == null || connectionId == null || returnUrl == null || nonce == null) {
                return null;
            }
            return new ReturnState(userId, connectionId, returnUrl, nonce, Instant.ofEpochSecond(expiry.longValue()));
        } catch (IOException | RuntimeException e) {
            // bad base64, invalid UTF-8, not JSON, duplicate keys, blank texts, an expiry beyond Instant's range
            return null;
        }
    }

    private static String text(JsonNode root, String field) {
        JsonNode node = root.get(field);
        return node != null && node.isTextual() ? node.textValue() : null;
    }

    /** The bytes of unpadded base64url {@code text}, or null unless re-encoding them gives back exactly {@code text}. */
    private static byte[] decodeCanonical(String text) {
        byte[] decoded;
        try {
            decoded = DECODER.decode(text);
        } catch (IllegalArgumentException e) {
            return null;
        }
        // the decoder ignores the unused low bits of the last character; re-encoding pins every character down
        return ENCODER.encodeToString(decoded).equals(text) ? decoded : null;
    }

    /** Only base64url characters and dots. */
    private static boolean urlSafe(String token) {
        for (int i = 0; i < token.length(); i++) {
            char c = token.charAt(i);
            boolean ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')
                    || c == '-' || c == '_' || c == '.';
            if (!ok) {
                return false;
            }
        }
        return true;
    }

    private byte[] hmac(String signed) {
        return HmacSha256.newMac(key).doFinal(signed.getBytes(StandardCharsets.US_ASCII));
    }

}
