package com.connectionkeeper.webhook;

import com.connectionkeeper.core.config.Config;
import com.connectionkeeper.core.log.JsonLog;
import com.connectionkeeper.signature.CanonicalJson;
import com.connectionkeeper.signature.WebhookVerifier.Verdict;
import com.connectionkeeper.signature.WebhookVerifier;

/**
 * The webhook's verifier for the consumer key in force. The key is read from the function's secrets where it is used
 * (cached; Secrets Manager in AWS), so a rotation reaches the verifier within the secrets' TTL; a signature that does
 * not match makes the function read its secrets again at once (at most every 30 s, so forged webhooks cannot make it
 * read more) and, if the key changed, the webhook is checked with the new key. SnapTrade retries a refused webhook
 * only three times: a rotation must not cost webhooks.
 */
final class WebhookKeys {
    private final Config config;
    private volatile Keyed current;

    private record Keyed(String key, WebhookVerifier verifier) {
    }

    /** Always this verifier (tests). */
    WebhookKeys(WebhookVerifier fixed) {
        this.config = null;
        this.current = new Keyed(null, fixed);
    }

    /** The consumer key from {@code config}'s secrets; fails at init, naming the variable, when it is not set. */
    WebhookKeys(Config config) {
        this.config = config;
        String key = config.snapTradeConsumerKey();
        this.current = new Keyed(key, new WebhookVerifier(key));
    }

    Verdict verify(byte[] body, String signature, String requestId) {
        Keyed keyed = keyed();
        Verdict verdict = keyed.verifier().verify(body, signature);
        if (verdict == Verdict.INVALID_SIGNATURE && config != null) {
            config.refreshSecrets(); // false also when another webhook's rejection just read them: compare the keys
            Keyed fresh = keyed();
            if (fresh != keyed) {
                verdict = fresh.verifier().verify(body, signature);
                JsonLog.info("webhook_key_refreshed", "requestId", requestId, "verdict", verdict.name());
            }
        }
        return verdict;
    }

    /**
     * SnapStart priming: signs {@code sample}'s canonical form with the key in force and verifies the sample's raw
     * bytes against it, as for a webhook SnapTrade sends (its raw bytes are not what was signed). True when valid.
     */
    boolean prime(byte[] sample) {
        WebhookVerifier verifier = keyed().verifier();
        String signature = verifier.sign(CanonicalJson.canonicalize(sample, CanonicalJson.Limits.UNAUTHENTICATED));
        return verifier.verify(sample, signature) == Verdict.VALID;
    }

    /** After a SnapStart restore: the key held is as old as the snapshot; the next webhook reads it again first. */
    void restore() {
        if (config != null) {
            config.expireSecrets();
        }
    }

    private Keyed keyed() {
        Keyed keyed = current;
        if (config == null) {
            return keyed;
        }
        String key = config.secret(Config.SNAPTRADE_CONSUMER_KEY).orElse(keyed.key());
        if (key.equals(keyed.key())) {
            return keyed;
        }
        synchronized (this) {
            if (!key.equals(current.key())) {
                current = new Keyed(key, new WebhookVerifier(key));
            }
            return current;
        }
    }
}
