package com.connectionkeeper.api.token;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.connectionkeeper.accounts.ReturnState;
import com.connectionkeeper.api.token.StateCheck.Invalid;
import com.connectionkeeper.api.token.StateCheck.Reason;
import com.connectionkeeper.api.token.StateCheck.Valid;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

/** ReturnStateCodec: the token format, round trips, and every way a token is refused. */
class ReturnStateCodecTest {
    static final byte[] KEY = "0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.US_ASCII);
    static final ReturnStateCodec CODEC = new ReturnStateCodec(KEY);
    static final Instant EXPIRY = Instant.parse("2026-01-01T00:10:00Z");
    static final Instant BEFORE = EXPIRY.minus(Duration.ofMinutes(10));
    static final ReturnState STATE = new ReturnState("user-1", "conn-1", "https://app.example.com/return?x=1",
            "n0nce", EXPIRY);
    static final String ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();

    @Test
    void theTokenIsV1DotPayloadDotHmacOverTheFirstTwoParts() {
        String json = "{\"u\":\"user-1\",\"c\":\"conn-1\",\"r\":\"https://app.example.com/return?x=1\","
                + "\"n\":\"n0nce\",\"e\":" + EXPIRY.getEpochSecond() + "}";
        assertEquals(signedPayload(KEY, json), CODEC.sign(STATE));
        assertTrue(CODEC.sign(STATE).matches("v1\\.[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]{43}"), CODEC.sign(STATE));
    }

    @Test
    void aSignedStateVerifiesToItself() {
        assertEquals(new Valid(STATE), CODEC.verify(CODEC.sign(STATE), BEFORE));
        ReturnState unicode = new ReturnState("jos\u00e9 \uD83D\uDE00", "c\n\"\\", "http://localhost:3000/cb",
                ReturnState.randomNonce(), Instant.parse("2030-06-01T12:00:00Z"));
        assertEquals(new Valid(unicode), CODEC.verify(CODEC.sign(unicode), BEFORE));
        assertTrue(CODEC.verify(CODEC.sign(STATE), BEFORE).isValid());
    }

    @Test
    void anotherCodecWithTheSameKeyAcceptsTheToken() {
        assertEquals(new Valid(STATE), new ReturnStateCodec(KEY.clone()).verify(CODEC.sign(STATE), BEFORE));
        assertEquals(new Valid(STATE), ReturnStateCodec.fromSecret("0123456789abcdef0123456789abcdef")
                .verify(CODEC.sign(STATE), BEFORE));
    }

    @Test
    void aTokenOfAnotherKeyIsABadSignature() {
        byte[] other = KEY.clone();
        other[31] ^= 1;
        assertEquals(new Invalid(Reason.BAD_SIGNATURE), CODEC.verify(new ReturnStateCodec(other).sign(STATE), BEFORE));
        byte[] longer = Arrays.copyOf(KEY, 33);
        longer[32] = 'x'; // (HMAC pads short keys with zero bytes: KEY + 0x00 is the same key as KEY)
        assertEquals(new Invalid(Reason.BAD_SIGNATURE), CODEC.verify(new ReturnStateCodec(longer).sign(STATE), BEFORE));
    }

    @Test
    void aTokenExpiresAtItsExpiryInstant() {
        String token = CODEC.sign(STATE);
        assertEquals(new Valid(STATE), CODEC.verify(token, EXPIRY.minusNanos(1)));
        assertEquals(new Invalid(Reason.EXPIRED), CODEC.verify(token, EXPIRY));
        assertEquals(new Invalid(Reason.EXPIRED), CODEC.verify(token, EXPIRY.plusNanos(1)));
        assertEquals(new Invalid(Reason.EXPIRED), CODEC.verify(token, EXPIRY.plus(Duration.ofDays(365))));
    }

    @Test
    void theSignatureIsCheckedBeforeTheExpiry() {
        byte[] other = KEY.clone();
        other[0] ^= 1;
        assertEquals(new Invalid(Reason.BAD_SIGNATURE),
                CODEC.verify(new ReturnStateCodec(other).sign(STATE), EXPIRY.plusSeconds(1)));
    }

    @Test
    void expiryIsHeldToWholeSecondsTruncated() {
        ReturnState state = new ReturnState("u", "c", "https://a.example/", "n",
                Instant.parse("2026-01-01T00:10:00.999999999Z"));
        assertEquals(EXPIRY, state.expiresAt());
        assertEquals(new Valid(state), CODEC.verify(CODEC.sign(state), EXPIRY.minusNanos(1)));
        assertEquals(new Invalid(Reason.EXPIRED), CODEC.verify(CODEC.sign(state), EXPIRY));
    }

    @Test
    void everySingleCharacterSubstitutionIsRefused() {
        String token = CODEC.sign(STATE);
        int secondDot = token.lastIndexOf('.');
        List<Character> replacements = new ArrayList<>();
        for (char c = 0; c < 0x80; c++) {
            replacements.add(c);
        }
        replacements.addAll(List.of('\u00e9', '\u2024', '\uFF0E', '\uD83D', '\uFFFF'));
        int checked = 0;
        for (int i = 0; i < token.length(); i++) {
            for (char c : replacements) {
                if (c == token.charAt(i)) {
                    continue;
                }
                String mutated = token.substring(0, i) + c + token.substring(i + 1);
                Reason expected = expectedReason(token, secondDot, i, c);
                assertEquals(new Invalid(expected), CODEC.verify(mutated, BEFORE), () -> "mutated: " + mutated);
                checked++;
            }
        }
        assertTrue(checked > 10_000, "checked " + checked);
    }

    /** Substituting {@code c} at {@code i}: where in the token, and whether {@code c} keeps it well-formed. */
    private static Reason expectedReason(String token, int secondDot, int i, char c) {
        boolean base64 = ALPHABET.indexOf(c) >= 0;
        if (i < 3 || i == secondDot || !base64) {
            return Reason.MALFORMED; // version, separators, or a character no token has ('.' adds a fourth part)
        }
        if (i == token.length() - 1 && (ALPHABET.indexOf(c) & 3) != 0) {
            return Reason.MALFORMED; // 32 bytes leave 2 unused bits in the last character: they must be zero
        }
        return Reason.BAD_SIGNATURE;
    }

    @Test
    void everyDeletionAndInsertionIsRefused() {
        String token = CODEC.sign(STATE);
        for (int i = 0; i < token.length(); i++) {
            String deleted = token.substring(0, i) + token.substring(i + 1);
            assertFalse(CODEC.verify(deleted, BEFORE).isValid(), deleted);
        }
        for (int i = 0; i <= token.length(); i++) {
            for (char c : (ALPHABET + ". =%\n").toCharArray()) {
                String inserted = token.substring(0, i) + c + token.substring(i);
                assertFalse(CODEC.verify(inserted, BEFORE).isValid(), inserted);
            }
        }
    }

    @Test
    void malformedTokens() {
        String token = CODEC.sign(STATE);
        String[] parts = token.split("\\.");
        String padded = parts[0] + "." + parts[1] + "." + Base64.getUrlEncoder().encodeToString(
                Base64.getUrlDecoder().decode(parts[2]));
        String standardAlphabet = token.replace('-', '+').replace('_', '/');
        List<String> malformed = new ArrayList<>(Arrays.asList(null, "", ".", "..", "v1", "v1.", "v1..", "v1...",
                "v1.x", "v1.e30", "V1." + parts[1] + "." + parts[2], "v2." + parts[1] + "." + parts[2],
                "v1" + parts[1] + "." + parts[2], "." + parts[1] + "." + parts[2], parts[1] + "." + parts[2],
                token + ".", token + "." + parts[2], " " + token, token + " ", token + "\n", padded,
                "v1." + parts[1] + "." + parts[2].substring(0, 42), "v1." + parts[1] + "." + parts[2] + "AA",
                "v1." + parts[1] + "." + parts[2] + "A", "v1." + parts[1] + ".", "v1." + parts[1] + "." + "%%%",
                "x".repeat(10_000_000), token + "A".repeat(ReturnStateCodec.MAX_TOKEN_LENGTH)));
        if (!standardAlphabet.equals(token)) {
            malformed.add(standardAlphabet);
        }
        for (String t : malformed) {
            assertEquals(new Invalid(Reason.MALFORMED), CODEC.verify(t, BEFORE),
                    () -> "token: " + (t == null ? null : t.substring(0, Math.min(t.length(), 200))));
        }
    }

    @Test
    void aWellFormedTokenWithAWrongOrEmptyPayloadIsABadSignature() {
        String token = CODEC.sign(STATE);
        String sig = token.substring(token.lastIndexOf('.') + 1);
        assertEquals(new Invalid(Reason.BAD_SIGNATURE), CODEC.verify("v1.." + sig, BEFORE));
        assertEquals(new Invalid(Reason.BAD_SIGNATURE), CODEC.verify("v1.AAAA." + sig, BEFORE));
        assertEquals(new Invalid(Reason.BAD_SIGNATURE), CODEC.verify("v1.AAAA." + "A".repeat(43), BEFORE));
    }

    @Test
    void anAuthenticPayloadThatIsNotExactlyAStateIsMalformed() {
        long e = EXPIRY.getEpochSecond();
        String ok = "{\"u\":\"u\",\"c\":\"c\",\"r\":\"https://a.example/\",\"n\":\"n\",\"e\":" + e + "}";
        assertTrue(CODEC.verify(signedPayload(KEY, ok), BEFORE).isValid(), "the helper signs like the codec");
        List<String> payloads = List.of("", "not json", "null", "1", "\"text\"", "[]", "{}", "{",
                ok.substring(0, ok.length() - 1),
                ok + " x", ok + "{}", ok + ok,
                ok.replace("\"u\":\"u\",", ""),
                ok.replace("\"c\":\"c\",", ""),
                ok.replace("\"r\":\"https://a.example/\",", ""),
                ok.replace("\"n\":\"n\",", ""),
                ok.replace(",\"e\":" + e, ""),
                ok.replace("}", ",\"x\":1}"),
                ok.replace("\"u\":\"u\"", "\"u\":\"u\",\"u\":\"v\"").replace(",\"n\":\"n\"", ""),
                ok.replace("}", ",\"u\":\"v\"}"),
                ok.replace("\"u\":\"u\"", "\"U\":\"u\""),
                ok.replace("\"u\":\"u\"", "\"u\":\"\""),
                ok.replace("\"u\":\"u\"", "\"u\":\" \""),
                ok.replace("\"u\":\"u\"", "\"u\":null"),
                ok.replace("\"u\":\"u\"", "\"u\":7"),
                ok.replace("\"u\":\"u\"", "\"u\":[\"u\"]"),
                ok.replace("\"u\":\"u\"", "\"u\":\"\\ud800\""),
                ok.replace("\"c\":\"c\"", "\"c\":{}"),
                ok.replace("\"r\":\"https://a.example/\"", "\"r\":true"),
                ok.replace("\"n\":\"n\"", "\"n\":\"\""),
                ok.replace(":" + e, ":\"" + e + "\""),
                ok.replace(":" + e, ":" + e + ".5"),
                ok.replace(":" + e, ":1e9"),
                ok.replace(":" + e, ":null"),
                ok.replace(":" + e, ":9223372036854775807"),
                ok.replace(":" + e, ":-9223372036854775808"),
                ok.replace(":" + e, ":100000000000000000000000000000"),
                "[" + ok + "]",
                "/*c*/" + ok,
                ok.replace("\"", "'"));
        for (String payload : payloads) {
            assertEquals(new Invalid(Reason.MALFORMED), CODEC.verify(signedPayload(KEY, payload), BEFORE), payload);
        }
        byte[] notUtf8 = ok.replace("\"u\"", "\"u\u00e9\"").getBytes(StandardCharsets.ISO_8859_1);
        assertEquals(new Invalid(Reason.MALFORMED), CODEC.verify(signedPayload(KEY, notUtf8), BEFORE));
        String tooLong = ok.replace("\"u\":\"u\"", "\"u\":\"" + "u".repeat(3100) + "\"");
        assertTrue(signedPayload(KEY, tooLong).length() > ReturnStateCodec.MAX_TOKEN_LENGTH);
        assertEquals(new Invalid(Reason.MALFORMED), CODEC.verify(signedPayload(KEY, tooLong), BEFORE));
        String deep = "[".repeat(1500) + "]".repeat(1500);
        assertTrue(signedPayload(KEY, deep).length() <= ReturnStateCodec.MAX_TOKEN_LENGTH);
        assertEquals(new Invalid(Reason.MALFORMED), CODEC.verify(signedPayload(KEY, deep), BEFORE));
    }

    @Test
    void keysShorterThan32BytesAreRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new ReturnStateCodec(Arrays.copyOf(KEY, 31)));
        assertEquals("the return-state signing key must be at least 32 bytes, got 31", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new ReturnStateCodec(new byte[0]));
        assertThrows(NullPointerException.class, () -> new ReturnStateCodec(null));
        IllegalArgumentException s = assertThrows(IllegalArgumentException.class,
                () -> ReturnStateCodec.fromSecret("short secret"));
        assertEquals("the return-state secret must be at least 32 bytes of UTF-8, got 12", s.getMessage());
        assertThrows(IllegalArgumentException.class, () -> ReturnStateCodec.fromSecret(""));
        assertThrows(NullPointerException.class, () -> ReturnStateCodec.fromSecret(null));
        ReturnStateCodec.fromSecret("\u00e9".repeat(16)); // 32 bytes of UTF-8
    }

    @Test
    void theKeyIsCopied() {
        byte[] key = KEY.clone();
        ReturnStateCodec codec = new ReturnStateCodec(key);
        Arrays.fill(key, (byte) 0);
        assertEquals(CODEC.sign(STATE), codec.sign(STATE));
    }

    @Test
    void aStateTooLargeForATokenIsRefusedWhenSigning() {
        ReturnState huge = new ReturnState("u".repeat(3000), "c", "https://a.example/", "n", EXPIRY);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> CODEC.sign(huge));
        assertTrue(e.getMessage().contains("over the 4096 allowed"), e.getMessage());
        ReturnState fits = new ReturnState("u".repeat(2900), "c", "https://a.example/", "n", EXPIRY);
        String token = CODEC.sign(fits);
        assertTrue(token.length() <= ReturnStateCodec.MAX_TOKEN_LENGTH);
        assertEquals(new Valid(fits), CODEC.verify(token, BEFORE));
    }

    @Test
    void signingAndVerifyingFromManyThreadsAgree() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<Boolean>> results = new ArrayList<>();
            for (int t = 0; t < 32; t++) {
                int n = t;
                results.add(pool.submit(() -> {
                    for (int i = 0; i < 100; i++) {
                        ReturnState s = new ReturnState("user-" + n, "conn-" + i, "https://app.example.com/return",
                                "nonce-" + n + "-" + i, EXPIRY);
                        if (!CODEC.verify(CODEC.sign(s), BEFORE).equals(new Valid(s))) {
                            return false;
                        }
                    }
                    return true;
                }));
            }
            for (Future<Boolean> r : results) {
                assertTrue(r.get());
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void theStateRefusesMissingBlankAndIllFormedTexts() {
        assertThrows(NullPointerException.class, () -> new ReturnState(null, "c", "r", "n", EXPIRY));
        assertThrows(NullPointerException.class, () -> new ReturnState("u", null, "r", "n", EXPIRY));
        assertThrows(NullPointerException.class, () -> new ReturnState("u", "c", null, "n", EXPIRY));
        assertThrows(NullPointerException.class, () -> new ReturnState("u", "c", "r", null, EXPIRY));
        assertThrows(NullPointerException.class, () -> new ReturnState("u", "c", "r", "n", null));
        assertEquals("userId must not be blank",
                assertThrows(IllegalArgumentException.class, () -> new ReturnState("", "c", "r", "n", EXPIRY))
                        .getMessage());
        assertEquals("connectionId must not be blank",
                assertThrows(IllegalArgumentException.class, () -> new ReturnState("u", " \t", "r", "n", EXPIRY))
                        .getMessage());
        assertEquals("returnUrl must not be blank",
                assertThrows(IllegalArgumentException.class, () -> new ReturnState("u", "c", "\n", "n", EXPIRY))
                        .getMessage());
        assertEquals("nonce must not be blank",
                assertThrows(IllegalArgumentException.class, () -> new ReturnState("u", "c", "r", "", EXPIRY))
                        .getMessage());
        ReturnState noReturnUrl = new ReturnState("u", "c", "", "n", EXPIRY);
        assertFalse(noReturnUrl.hasReturnUrl(), "empty means: the app gave no return URL");
        assertEquals(new StateCheck.Valid(noReturnUrl), CODEC.verify(CODEC.sign(noReturnUrl), EXPIRY.minusSeconds(1)));
        assertEquals("userId has an unpaired surrogate at index 1",
                assertThrows(IllegalArgumentException.class, () -> new ReturnState("a\uD83D", "c", "r", "n", EXPIRY))
                        .getMessage());
        assertEquals("nonce has an unpaired surrogate at index 0",
                assertThrows(IllegalArgumentException.class, () -> new ReturnState("u", "c", "r", "\uDE00x", EXPIRY))
                        .getMessage());
    }

    @Test
    void randomNoncesAre22UrlSafeCharactersAndDiffer() {
        String a = ReturnState.randomNonce();
        String b = ReturnState.randomNonce();
        assertTrue(a.matches("[A-Za-z0-9_-]{22}"), a);
        assertFalse(a.equals(b));
    }

    /** {@code v1.<payload>.<HMAC>} over arbitrary payload text, computed independently of the codec. */
    static String signedPayload(byte[] key, String payload) {
        return signedPayload(key, payload.getBytes(StandardCharsets.UTF_8));
    }

    static String signedPayload(byte[] key, byte[] payload) {
        String signed = "v1." + B64.encodeToString(payload);
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return signed + "." + B64.encodeToString(mac.doFinal(signed.getBytes(StandardCharsets.US_ASCII)));
        } catch (GeneralSecurityException e) {
            throw new AssertionError(e);
        }
    }
}
