package com.connectionkeeper.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.connectionkeeper.accounts.ReturnState;
import com.connectionkeeper.api.token.StateCheck;
import com.connectionkeeper.core.config.CachedSecrets;
import com.connectionkeeper.core.config.SecretSource;
import com.connectionkeeper.core.config.SecretsConfig;
import com.connectionkeeper.testkit.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The keys of reconnect links follow a rotation in the function's secrets without breaking links in flight. */
class LinkKeysTest {
    private static final String KEY_A = "state-key-A-0123456789abcdef0123456789abcdef";
    private static final String KEY_B = "state-key-B-0123456789abcdef0123456789abcdef";
    private static final Duration TTL = Duration.ofMinutes(60);
    private final MutableClock clock = new MutableClock(Instant.parse("2026-11-29T12:00:00Z"));
    private final Map<String, String> secret = new HashMap<>(Map.of(ApiSettings.ENV_STATE_KEY, KEY_A));
    private int reads;
    private final LinkKeys keys = container();

    /** An API container's link keys over the test's secret (read at its start, TTL 5 min, re-reads every 30 s). */
    private LinkKeys container() {
        return new LinkKeys(new SecretsConfig(Map.of(), new CachedSecrets(new SecretSource() {
            @Override
            public Map<String, String> read() {
                reads++;
                return Map.copyOf(secret);
            }

            @Override
            public String describe() {
                return "test secret";
            }
        }, clock, Duration.ofMinutes(5), Duration.ofSeconds(30))), TTL, clock);
    }

    private String mint(Duration valid) {
        return keys.stateCodec().sign(new ReturnState("alice", "conn-1", "https://app.example.com/done",
                "nonce-" + valid,
                clock.instant().plus(valid)));
    }

    private void rotate(Map<String, String> to) {
        secret.clear();
        secret.putAll(to);
        clock.advance(Duration.ofMinutes(5)); // the secrets' TTL
    }

    @Test
    void linksMintedBeforeARotationStillLandAfterIt() {
        String before = mint(Duration.ofMinutes(30));
        String outcomeBefore = keys.outcomeSigner().sign("SUCCESS", "conn-1", null, "alice", "l", 1);
        rotate(Map.of(ApiSettings.ENV_STATE_KEY, KEY_B));
        String after = mint(Duration.ofMinutes(30));

        assertTrue(keys.verify(after, clock.instant()).isValid(), "signed with the new key");
        assertTrue(keys.verify(before, clock.instant()).isValid(), "signed with the key it replaced");
        assertNotEquals(outcomeBefore, keys.outcomeSigner().sign("SUCCESS", "conn-1", null, "alice", "l", 1),
                "the derived outcome key follows the state key");
    }

    @Test
    void theReplacedKeyIsAcceptedForOneStateTtlOnly() {
        String longLived = mint(Duration.ofDays(30)); // as a leaked old key could mint
        rotate(Map.of(ApiSettings.ENV_STATE_KEY, KEY_B));
        assertTrue(keys.verify(longLived, clock.instant()).isValid());
        clock.advance(TTL);
        assertEquals(new StateCheck.Invalid(StateCheck.Reason.BAD_SIGNATURE), keys.verify(longLived, clock.instant()));
    }

    @Test
    void aStateOfAnUnknownKeyIsRefused() {
        rotate(Map.of(ApiSettings.ENV_STATE_KEY, KEY_B));
        String b = mint(Duration.ofMinutes(30));
        rotate(Map.of(ApiSettings.ENV_STATE_KEY, "state-key-C-0123456789abcdef0123456789abcdef"));
        mint(Duration.ofMinutes(30)); // this container uses C
        rotate(Map.of(ApiSettings.ENV_STATE_KEY, "state-key-D-0123456789abcdef0123456789abcdef"));
        assertEquals(new StateCheck.Invalid(StateCheck.Reason.BAD_SIGNATURE), keys.verify(b, clock.instant()),
                "two rotations ago: only the key just replaced is remembered");
    }

    @Test
    void anInvalidRotatedInKeyIsNotUsed() {
        String before = mint(Duration.ofMinutes(30));
        rotate(Map.of(ApiSettings.ENV_STATE_KEY, KEY_A, ApiSettings.ENV_OUTCOME_KEY, KEY_A)); // same as the state key
        assertTrue(keys.verify(before, clock.instant()).isValid(), "the keys held are kept");
        assertTrue(keys.verify(mint(Duration.ofMinutes(1)), clock.instant()).isValid());
    }

    @Test
    void aLinkMintedByAContainerThatSawTheRotationLandsOnOneThatHasNotYet() {
        LinkKeys first = keys;
        clock.advance(Duration.ofMinutes(3));
        LinkKeys second = container(); // a cold start 3 minutes later
        clock.advance(Duration.ofSeconds(30));
        secret.put(ApiSettings.ENV_STATE_KEY, KEY_B); // the operator rotates
        clock.advance(Duration.ofMinutes(2)); // the first container's TTL is over, the second's is not
        String minted = first.stateCodec().sign(new ReturnState("alice", "conn-1", "https://app.example.com/done",
                "n1", clock.instant().plus(Duration.ofMinutes(30))));
        clock.advance(Duration.ofSeconds(40)); // the user comes back from the portal, to the other container
        assertTrue(second.verify(minted, clock.instant()).isValid(), "the second reads the secret at once");
        assertTrue(second.verify(mint(Duration.ofMinutes(5)), clock.instant()).isValid());
    }

    @Test
    void aForgedStateDoesNotMakeItReadTheSecretAgainAndAgain() {
        clock.advance(Duration.ofMinutes(1));
        for (int i = 0; i < 20; i++) {
            assertEquals(new StateCheck.Invalid(StateCheck.Reason.BAD_SIGNATURE), keys.verify("v1."
                    + "eyJ1IjoiYWxpY2UifQ.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", clock.instant()));
        }
        assertEquals(2, reads, "init, and one read for the first forgery (then at most every 30 s)");
    }

    @Test
    void anInvalidKeyAtInitStopsTheFunctionNamingIt() {
        secret.put(ApiSettings.ENV_OUTCOME_KEY, "short");
        IllegalStateException e = assertThrows(IllegalStateException.class, this::container);
        assertTrue(e.getMessage().startsWith("RETURN_OUTCOME_KEY must be at least"), e.getMessage());
    }
}
