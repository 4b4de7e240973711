package com.connectionkeeper.signature;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.function.Function;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Checks SnapTrade's webhook {@code Signature} header, base64(HMAC-SHA256(consumer key, X)), where X is the canonical
 * form of the body ({@link CanonicalJson}) or the raw body bytes. Thread-safe; built once per consumer key.
 *
 * <p>Cheapest first: the header's form, then the HMAC of the raw bytes (a match needs no canonical form at all), and
 * only then the canonical form — computed within {@link CanonicalJson.Limits#UNAUTHENTICATED}, since whoever sent
 * the body has not been authenticated yet, so an unsigned body costs little whatever its shape.
 */
public final class WebhookVerifier {
    /** The outcome of a check. */
    public enum Verdict {
        VALID,
        /** No Signature header, or an empty one. */
        MISSING_SIGNATURE,
        /** The header is not canonical base64, or matches neither the canonical form nor the raw body. */
        INVALID_SIGNATURE,
        /** The body is not JSON (so has no canonical form) and the header does not match its raw bytes either. */
        MALFORMED_BODY,
        /**
         * The header does not match the raw bytes, and the body is beyond the bounds within which we compute a
         * canonical form for an unauthenticated body ({@link CanonicalJson.Limits#UNAUTHENTICATED}).
         */
        BEYOND_BOUNDS
    }

    private final ThreadLocal<Mac> macs;
    private final Function<byte[], String> canonicalizer;

    public WebhookVerifier(String consumerKey) {
        this(consumerKey, body -> CanonicalJson.canonicalize(body, CanonicalJson.Limits.UNAUTHENTICATED));
    }

    /** With another canonicalizer: tests count its calls. */
    WebhookVerifier(String consumerKey, Function<byte[], String> canonicalizer) {
        this.canonicalizer = canonicalizer;
        if (consumerKey == null || consumerKey.isEmpty()) {
            throw new IllegalArgumentException("consumer key must not be empty");
        }
        SecretKeySpec key = HmacSha256.key(consumerKey.getBytes(StandardCharsets.UTF_8));
        this.macs = ThreadLocal.withInitial(() -> HmacSha256.newMac(key));
        macs.get(); // fail now, not on the first webhook, if HMAC-SHA256 is unavailable
    }

    /** Checks a body against its {@code Signature} header; a null body counts as empty. */
    public Verdict verify(byte[] rawBody, String signatureHeader) {
        if (signatureHeader == null || signatureHeader.isBlank()) {
            return Verdict.MISSING_SIGNATURE;
        }
        byte[] claimed = decodeCanonicalBase64(signatureHeader.strip());
        if (claimed == null) {
            return Verdict.INVALID_SIGNATURE;
        }
        byte[] raw = rawBody == null ? new byte[0] : rawBody;
        if (MessageDigest.isEqual(claimed, hmac(raw))) {
            return Verdict.VALID; // the bytes as sent are signed: no canonical form needed
        }
        String canonical;
        try {
            canonical = canonicalizer.apply(raw);
        } catch (MalformedJsonException e) {
            return Verdict.MALFORMED_BODY;
        } catch (BoundsExceededException e) {
            return Verdict.BEYOND_BOUNDS;
        }
        boolean canonicalMatches = MessageDigest.isEqual(claimed, hmac(canonical.getBytes(StandardCharsets.US_ASCII)));
        return canonicalMatches ? Verdict.VALID : Verdict.INVALID_SIGNATURE;
    }

    /** The {@code Signature} header value for a body (its canonical form, or raw text), HMAC'd as UTF-8. */
    public String sign(String canonicalOrRaw) {
        return Base64.getEncoder().encodeToString(hmac(canonicalOrRaw.getBytes(StandardCharsets.UTF_8)));
    }

    private byte[] hmac(byte[] message) {
        return macs.get().doFinal(message);
    }

    /** The decoded bytes, or null unless {@code text} is exactly the padded standard base64 of those bytes. */
    private static byte[] decodeCanonicalBase64(String text) {
        byte[] decoded;
        try {
            decoded = Base64.getDecoder().decode(text);
        } catch (IllegalArgumentException e) {
            return null;
        }
        // the decoder ignores the unused low bits of the last character; re-encoding pins every character down
        return Base64.getEncoder().encodeToString(decoded).equals(text) ? decoded : null;
    }

}
