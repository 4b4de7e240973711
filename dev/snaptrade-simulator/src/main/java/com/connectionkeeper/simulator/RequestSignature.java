package com.connectionkeeper.simulator;

import com.connectionkeeper.signature.CanonicalJson;
import com.connectionkeeper.signature.MalformedJsonException;
import com.connectionkeeper.signature.WebhookVerifier;
import com.fasterxml.jackson.databind.node.TextNode;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

/**
 * SnapTrade's request authentication: {@code clientId} and a fresh {@code timestamp} in the query, and header
 * {@code Signature} = base64(HMAC-SHA256(consumer key, canonical JSON of {content, path, query})).
 */
final class RequestSignature {
    private final SimulatorConfig config;
    private final WebhookVerifier hmac;

    RequestSignature(SimulatorConfig config) {
        this.config = config;
        this.hmac = new WebhookVerifier(config.consumerKey());
    }

    /** True when the call is signed by the configured client with a timestamp within the tolerance. */
    boolean accepts(String rawPath, String rawQuery, Map<String, String> query, String body, String signature) {
        if (signature == null || !config.clientId().equals(query.get("clientId")) || !fresh(query.get("timestamp"))) {
            return false;
        }
        String expected;
        try {
            expected = hmac.sign(canonical(rawPath, rawQuery, body));
        } catch (MalformedJsonException e) {
            return false;
        }
        return MessageDigest.isEqual(expected.getBytes(StandardCharsets.US_ASCII),
                signature.strip().getBytes(StandardCharsets.US_ASCII));
    }

    /** The signed text: Python's sorted, compact {@code json.dumps} of {content, path, query}; content null if empty. */
    static String canonical(String rawPath, String rawQuery, String body) {
        String content = body == null || body.isBlank() ? "null" : body;
        return CanonicalJson.canonicalize("{\"content\":" + content + ",\"path\":" + Json.write(new TextNode(rawPath))
                + ",\"query\":" + Json.write(new TextNode(rawQuery)) + "}");
    }

    /** Within the tolerance of the clock, or of the wall clock under a {@link SimulatedClock} (callers sign with it). */
    private boolean fresh(String timestamp) {
        if (timestamp == null || !timestamp.matches("\\d{1,12}")) {
            return false;
        }
        Instant now = config.clock() instanceof SimulatedClock ? Instant.now() : config.clock().instant();
        Duration skew = Duration.between(Instant.ofEpochSecond(Long.parseLong(timestamp)), now);
        return skew.abs().compareTo(config.timestampTolerance()) <= 0;
    }
}
