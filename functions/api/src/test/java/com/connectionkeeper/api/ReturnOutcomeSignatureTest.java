package com.connectionkeeper.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.connectionkeeper.core.config.EnvironmentConfig;
import com.connectionkeeper.simulator.PortalBrowser;
import com.connectionkeeper.testkit.Integration;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

/**
 * The landing's redirect is signed so the app can tell a genuine outcome from one a user typed. The check here is
 * the README's recipe written out independently of the production code (plain javax.crypto), as an app would.
 */
@Integration
class ReturnOutcomeSignatureTest extends AliceWithOneConnection {
    static final List<String> SIGNED = List.of("status", "connectionId", "reason", "userId", "link", "at");

    /** The README's recipe: outcomeKey = HMAC(stateKey, context); signature = HMAC(outcomeKey, lines). */
    static boolean verifies(Map<String, String> p, String stateKey) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(stateKey.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return verifiesWithOutcomeKey(p,
                    mac.doFinal("connection-keeper/return-outcome/v1".getBytes(StandardCharsets.UTF_8)));
        } catch (java.security.GeneralSecurityException e) {
            throw new AssertionError(e);
        }
    }

    /** The README's recipe with a ReturnOutcomeKey of its own: outcomeKey = its UTF-8 bytes, as configured. */
    static boolean verifiesWithReturnOutcomeKey(Map<String, String> p, String returnOutcomeKey) {
        return verifiesWithOutcomeKey(p, returnOutcomeKey.getBytes(StandardCharsets.UTF_8));
    }

    private static boolean verifiesWithOutcomeKey(Map<String, String> p, byte[] outcomeKey) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            String canonical = String.join("\n", "connection-keeper/return-outcome/v1",
                    p.getOrDefault("status", ""), p.getOrDefault("connectionId", ""), p.getOrDefault("reason", ""),
                    p.getOrDefault("userId", ""), p.getOrDefault("link", ""), p.getOrDefault("at", ""));
            mac.init(new SecretKeySpec(outcomeKey, "HmacSHA256"));
            byte[] expected = mac.doFinal(canonical.getBytes(StandardCharsets.UTF_8));
            String given = p.get("signature");
            return given != null && MessageDigest.isEqual(expected,
                    Base64.getUrlDecoder().decode(given.replace('=', ' ').strip()));
        } catch (IllegalArgumentException notBase64) {
            return false;
        } catch (java.security.GeneralSecurityException e) {
            throw new AssertionError(e);
        }
    }

    static Map<String, String> params(String location) {
        return LocalApi.query(URI.create(location).getRawQuery());
    }

    @Test
    void aRealLandingRedirectCarriesASignatureTheAppCanVerifyFromItsStateKey() {
        APIGatewayV2HTTPResponse link = api.reconnectLink("alice", c,
                "{\"redirectUrl\":\"" + LocalApi.APP_RETURN + "?tab=brokerages\"}");
        String landing = PortalBrowser.complete(LocalApi.body(link).path("redirectURI").asText(), "SUCCESS");
        long before = api.clock.instant().getEpochSecond();

        APIGatewayV2HTTPResponse r = api.landAt(landing);

        assertEquals(302, r.getStatusCode(), r.getBody());
        Map<String, String> p = params(r.getHeaders().get("location"));
        assertEquals("brokerages", p.get("tab"), "the app's own parameter is kept (and not signed)");
        assertEquals("SUCCESS", p.get("status"));
        assertEquals(c, p.get("connectionId"));
        assertEquals("alice", p.get("userId"));
        assertEquals(LocalApi.body(link).path("linkId").asText(), p.get("link"), "ties the outcome to the link");
        assertTrue(Long.parseLong(p.get("at")) >= before && Long.parseLong(p.get("at")) <= before + 5);
        assertNotNull(p.get("signature"));
        assertTrue(verifies(p, LocalApi.STATE_KEY));
        assertFalse(verifies(p, "some-other-reconnect-state-key-fedcba9876543210"), "another key");
        assertFalse(r.getHeaders().get("location").contains(LocalApi.STATE_KEY));
    }

    @Test
    void alteringAnySignedParameterBreaksVerification() {
        api.reconnectLink("alice", c, "{\"redirectUrl\":\"" + LocalApi.APP_RETURN + "\"}");
        APIGatewayV2HTTPResponse r = api.land(api.lastState(), "SUCCESS", c); // still broken: ERROR, STILL_BROKEN
        Map<String, String> genuine = params(r.getHeaders().get("location"));
        assertEquals("STILL_BROKEN", genuine.get("reason"));
        assertTrue(verifies(genuine, LocalApi.STATE_KEY));

        for (String name : SIGNED) {
            for (String value : List.of("", "SUCCESS", "x", genuine.get(name) + "0")) {
                if (value.equals(genuine.get(name))) {
                    continue;
                }
                Map<String, String> altered = new LinkedHashMap<>(genuine);
                altered.put(name, value);
                assertFalse(verifies(altered, LocalApi.STATE_KEY), name + "=" + value);
            }
            Map<String, String> dropped = new LinkedHashMap<>(genuine);
            dropped.remove(name);
            assertFalse(verifies(dropped, LocalApi.STATE_KEY), name + " dropped");
        }
        Map<String, String> unsigned = new LinkedHashMap<>(genuine);
        unsigned.remove("signature");
        assertFalse(verifies(unsigned, LocalApi.STATE_KEY));
        Map<String, String> otherSignature = new LinkedHashMap<>(genuine);
        otherSignature.put("signature", "A" + genuine.get("signature").substring(1));
        assertFalse(verifies(otherSignature, LocalApi.STATE_KEY));
    }

    @Test
    void aReloadCarriesTheSameSignedOutcome() {
        api.reconnectLink("alice", c, "{\"redirectUrl\":\"" + LocalApi.APP_RETURN + "\"}");
        String state = api.lastState();
        APIGatewayV2HTTPResponse first = api.land(state, "ABANDONED", c);
        api.clock.advance(java.time.Duration.ofMinutes(3));

        APIGatewayV2HTTPResponse reload = api.land(state, "ABANDONED", c);

        assertEquals(first.getHeaders().get("location"), reload.getHeaders().get("location"),
                "the same outcome, signed at the time it was known");
        assertTrue(verifies(params(reload.getHeaders().get("location")), LocalApi.STATE_KEY));
    }

    static final String OUTCOME_KEY = "ck-api-test-return-outcome-key-only-for-the-app-42";

    /**
     * With ReturnOutcomeKey set the app holds only that key: the redirect verifies with it and not with the key
     * derived from ReconnectStateKey (which the app then never has).
     */
    @Test
    void aReturnOutcomeKeyOfItsOwnSignsTheRedirectInsteadOfTheDerivedKey() {
        api.close();
        api = new LocalApi(java.util.function.UnaryOperator.identity(), Map.of("RETURN_OUTCOME_KEY", OUTCOME_KEY));
        c = api.importedUser("alice", "!ALPACA:trade").get(0);
        api.reconnectLink("alice", c, "{\"redirectUrl\":\"" + LocalApi.APP_RETURN + "\"}");

        APIGatewayV2HTTPResponse r = api.land(api.lastState(), "ABANDONED", c);

        assertEquals(302, r.getStatusCode(), r.getBody());
        Map<String, String> p = params(r.getHeaders().get("location"));
        assertEquals("ABANDONED", p.get("status"));
        assertTrue(verifiesWithReturnOutcomeKey(p, OUTCOME_KEY), "verifies with ReturnOutcomeKey");
        assertFalse(verifies(p, LocalApi.STATE_KEY), "not with the key derived from ReconnectStateKey");
        assertFalse(r.getHeaders().get("location").contains(OUTCOME_KEY));
    }

    @Test
    void withoutAReturnOutcomeKeyTheKeyIsStillDerivedFromTheStateKey() {
        api.reconnectLink("alice", c, "{\"redirectUrl\":\"" + LocalApi.APP_RETURN + "\"}");
        Map<String, String> p = params(api.land(api.lastState(), "ABANDONED", c).getHeaders().get("location"));

        assertTrue(verifies(p, LocalApi.STATE_KEY));
        assertFalse(verifiesWithReturnOutcomeKey(p, LocalApi.STATE_KEY), "the state key itself is not the key");
    }

    @Test
    void aReturnOutcomeKeyShorterThan32CharactersOrEqualToTheStateKeyIsRefusedAtStartup() {
        IllegalStateException tooShort = org.junit.jupiter.api.Assertions.assertThrows(IllegalStateException.class,
                () -> ApiSettings.from(new EnvironmentConfig(Map.of("RECONNECT_STATE_KEY", LocalApi.STATE_KEY,
                        "RETURN_OUTCOME_KEY", "only-31-characters-long-0123456"))));
        assertEquals("RETURN_OUTCOME_KEY must be at least 32 characters (got 31); leave it empty to derive the "
                + "outcome key from RECONNECT_STATE_KEY", tooShort.getMessage());
        IllegalStateException same = org.junit.jupiter.api.Assertions.assertThrows(IllegalStateException.class,
                () -> ApiSettings.from(new EnvironmentConfig(Map.of("RECONNECT_STATE_KEY", LocalApi.STATE_KEY,
                        "RETURN_OUTCOME_KEY", LocalApi.STATE_KEY))));
        assertEquals("RETURN_OUTCOME_KEY must differ from RECONNECT_STATE_KEY: the app holding it could sign "
                + "reconnect states", same.getMessage());
        assertTrue(ApiSettings.from(new EnvironmentConfig(Map.of("RECONNECT_STATE_KEY", LocalApi.STATE_KEY,
                "RETURN_OUTCOME_KEY", "exactly-32-characters-long-01234"))) != null, "32 is enough");
    }
}
