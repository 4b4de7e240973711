package com.connectionkeeper.api;

import com.connectionkeeper.api.token.ReturnOutcomeSigner;
import com.connectionkeeper.api.token.ReturnStateCodec;
import com.connectionkeeper.api.token.StateCheck;
import com.connectionkeeper.core.config.Config;
import com.connectionkeeper.core.log.JsonLog;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * The keys of reconnect links, from the function's secrets and kept current: {@code RECONNECT_STATE_KEY} signs and
 * verifies the links' state, {@code RETURN_OUTCOME_KEY} (or the key derived from the state key) signs the landing's
 * redirect to the app. A rotation reaches this container with the secrets' TTL, or at once when a state does not
 * verify (another container may have minted it with the new key); links minted before it still land: a state the new
 * key does not verify is checked with the key it replaced, for one state TTL. A rotated-in key that is not valid is
 * logged and not used (the keys held stay); at init it stops the function, naming the variable.
 */
final class LinkKeys {
    private final Config config;
    private volatile Held held;

    private final Duration stateTtl;

    /**
     * The keys in force, the state codec they replaced (null: none) and when that one was replaced: links minted
     * before then are accepted for {@code stateTtl} after it, no longer (a key is rotated away for a reason).
     */
    private record Held(String stateKey, Optional<String> outcomeKey, ReturnStateCodec codec,
                        ReturnOutcomeSigner outcomeSigner, ReturnStateCodec previous, Instant replacedAt) {
    }

    private final Clock clock;

    LinkKeys(Config config, Duration stateTtl, Clock clock) {
        this.config = config;
        this.stateTtl = stateTtl;
        this.clock = clock;
        String stateKey = config.requiredSecret(ApiSettings.ENV_STATE_KEY);
        Optional<String> outcomeKey = config.secret(ApiSettings.ENV_OUTCOME_KEY);
        this.held = new Held(stateKey, outcomeKey, ReturnStateCodec.fromSecret(stateKey),
                ApiSettings.outcomeSigner(stateKey, outcomeKey), null, null);
    }

    /** Signs and verifies states with the state key in force now. */
    ReturnStateCodec stateCodec() {
        return current().codec();
    }

    /** Signs the landing's redirect with the outcome key in force now. */
    ReturnOutcomeSigner outcomeSigner() {
        return current().outcomeSigner();
    }

    /**
     * Verifies with the key in force, then — for a state TTL after a rotation — with the one it replaced (links
     * minted before the rotation); a state neither verifies makes the function read its secrets at once.
     */
    StateCheck verify(String token, Instant now) {
        Held keys = current();
        StateCheck check = verify(keys, token, now);
        if (check instanceof StateCheck.Invalid invalid && invalid.reason() == StateCheck.Reason.BAD_SIGNATURE) {
            // perhaps minted by a container that saw a rotation this one has not yet: read the secrets now (at most
            // every 30 s, so forged states cannot make it read more), and check with new keys if they changed
            config.refreshSecrets();
            Held fresh = current();
            if (fresh != keys) {
                return verify(fresh, token, now);
            }
        }
        return check;
    }

    /** With the key in force, then — for a state TTL after a rotation — the one it replaced. */
    private StateCheck verify(Held keys, String token, Instant now) {
        StateCheck check = keys.codec().verify(token, now);
        if (check instanceof StateCheck.Invalid invalid && invalid.reason() == StateCheck.Reason.BAD_SIGNATURE
                && keys.previous() != null && now.isBefore(keys.replacedAt().plus(stateTtl))) {
            StateCheck before = keys.previous().verify(token, now);
            if (before.isValid() || before instanceof StateCheck.Invalid old
                    && old.reason() == StateCheck.Reason.EXPIRED) {
                return before;
            }
        }
        return check;
    }

    private Held current() {
        Held keys = held;
        Optional<String> stateKey = config.secret(ApiSettings.ENV_STATE_KEY);
        Optional<String> outcomeKey = config.secret(ApiSettings.ENV_OUTCOME_KEY);
        if (stateKey.isEmpty() || (stateKey.get().equals(keys.stateKey()) && outcomeKey.equals(keys.outcomeKey()))) {
            return keys;
        }
        synchronized (this) {
            keys = held;
            if (stateKey.get().equals(keys.stateKey()) && outcomeKey.equals(keys.outcomeKey())) {
                return keys;
            }
            try {
                boolean stateRotated = !stateKey.get().equals(keys.stateKey());
                held = new Held(stateKey.get(), outcomeKey, ReturnStateCodec.fromSecret(stateKey.get()),
                        ApiSettings.outcomeSigner(stateKey.get(), outcomeKey),
                        stateRotated ? keys.codec() : keys.previous(),
                        stateRotated ? clock.instant() : keys.replacedAt());
                JsonLog.info("api_keys_rotated", "stateKey", stateRotated, "outcomeKey",
                        !Objects.equals(outcomeKey, keys.outcomeKey()));
            } catch (RuntimeException e) {
                JsonLog.error("api_keys_invalid", "reason", e.getMessage(), "hint",
                        "the keys held are kept until the secret holds valid ones");
                return keys;
            }
            return held;
        }
    }
}
