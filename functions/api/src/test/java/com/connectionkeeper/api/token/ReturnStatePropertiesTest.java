package com.connectionkeeper.api.token;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.connectionkeeper.accounts.ReturnState;
import com.connectionkeeper.api.token.StateCheck.Invalid;
import com.connectionkeeper.api.token.StateCheck.Reason;
import com.connectionkeeper.api.token.StateCheck.Valid;
import java.time.Instant;
import java.util.Base64;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

/** ReturnStateCodec over random states and random input: round trips, and nothing else ever verifies or throws. */
class ReturnStatePropertiesTest {
    private static final ReturnStateCodec CODEC = ReturnStateCodecTest.CODEC;
    private static final String ALPHABET = ReturnStateCodecTest.ALPHABET;
    private static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");

    @Property(tries = 2000)
    void aSignedStateVerifiesToItselfBeforeItsExpiryAndExpiresAtIt(@ForAll("states") ReturnState state) {
        String token = CODEC.sign(state);
        assertTrue(token.length() <= ReturnStateCodec.MAX_TOKEN_LENGTH);
        assertTrue(token.matches("v1\\.[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]{43}"), token);
        assertEquals(new Valid(state), CODEC.verify(token, state.expiresAt().minusNanos(1)));
        assertEquals(new Invalid(Reason.EXPIRED), CODEC.verify(token, state.expiresAt()));
    }

    @Property(tries = 2000)
    void aSubstitutedCharacterIsNeverAccepted(@ForAll("states") ReturnState state, @ForAll int position,
                                              @ForAll("tokenCharacters") char replacement) {
        String token = CODEC.sign(state);
        int i = Math.floorMod(position, token.length());
        String mutated = token.substring(0, i) + replacement + token.substring(i + 1);
        StateCheck verdict = CODEC.verify(mutated, state.expiresAt().minusSeconds(1));
        if (replacement == token.charAt(i)) {
            assertEquals(new Valid(state), verdict);
        } else {
            assertNotEquals(new Invalid(Reason.EXPIRED), verdict);
            assertTrue(verdict instanceof Invalid, mutated);
        }
    }

    @Property(tries = 5000)
    void randomTextNeverVerifiesAndNeverThrows(@ForAll String text) {
        StateCheck verdict = CODEC.verify(text, NOW);
        if (text.startsWith("v1.")) {
            assertRefused(verdict);
        } else {
            assertEquals(new Invalid(Reason.MALFORMED), verdict);
        }
    }

    @Property(tries = 5000)
    void randomV1TextNeverVerifiesAndNeverThrows(@ForAll String text) {
        assertRefused(CODEC.verify("v1." + text, NOW));
    }

    @Property(tries = 5000)
    void randomTokenShapedTextIsRefused(@ForAll("base64url") String payload, @ForAll("base64url") String signature) {
        assertRefused(CODEC.verify("v1." + payload + "." + signature, NOW));
    }

    @Property(tries = 5000)
    void randomBytesWithARandom32ByteSignatureAreABadSignature(@ForAll byte[] payload,
                                                              @ForAll("signatures") byte[] signature) {
        Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
        String token = "v1." + b64.encodeToString(payload) + "." + b64.encodeToString(signature);
        StateCheck verdict = CODEC.verify(token, NOW);
        assertEquals(new Invalid(token.length() > ReturnStateCodec.MAX_TOKEN_LENGTH ? Reason.MALFORMED
                : Reason.BAD_SIGNATURE), verdict);
    }

    @Property(tries = 2000)
    void authenticRandomPayloadsNeverThrow(@ForAll byte[] payload) {
        assertRefused(CODEC.verify(ReturnStateCodecTest.signedPayload(ReturnStateCodecTest.KEY, payload), NOW));
    }

    @Property(tries = 200)
    void hugeTextIsMalformed(@ForAll @IntRange(min = 1, max = 100_000) int extra) {
        String token = CODEC.sign(ReturnStateCodecTest.STATE);
        assertEquals(new Invalid(Reason.MALFORMED), CODEC.verify(token + "A".repeat(
                ReturnStateCodec.MAX_TOKEN_LENGTH - token.length() + extra), NOW));
    }

    /** Refused, and not as expired: nothing random carries our signature. */
    private static void assertRefused(StateCheck verdict) {
        assertTrue(verdict instanceof Invalid, () -> "accepted: " + verdict);
        assertNotEquals(new Invalid(Reason.EXPIRED), verdict);
    }

    @Provide
    Arbitrary<ReturnState> states() {
        Arbitrary<Instant> expiries = Arbitraries.longs().between(-100_000_000_000L, 100_000_000_000L)
                .flatMap(s -> Arbitraries.integers().between(0, 999_999_999).map(n -> Instant.ofEpochSecond(s, n)));
        return Combinators.combine(texts(), texts(), texts(), texts(), expiries).as(ReturnState::new);
    }

    /** Non-blank, well-formed texts: any Unicode, ASCII, or URL-ish, up to 100 characters. */
    private static Arbitrary<String> texts() {
        Arbitrary<String> any = Arbitraries.strings().all().ofMinLength(1).ofMaxLength(100);
        Arbitrary<String> ascii = Arbitraries.strings().ascii().ofMinLength(1).ofMaxLength(100);
        Arbitrary<String> url = Arbitraries.strings().withChars("abcxyz/:?&=%.-_~#@").ofMinLength(1)
                .ofMaxLength(100).map(s -> "https://app.example.com/" + s);
        return Arbitraries.oneOf(any, ascii, url).filter(ReturnStatePropertiesTest::wellFormed);
    }

    private static boolean wellFormed(String s) {
        if (s.isBlank()) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                return false;
            }
        }
        return true;
    }

    @Provide
    Arbitrary<Character> tokenCharacters() {
        return Arbitraries.oneOf(Arbitraries.of(ALPHABET.toCharArray()),
                Arbitraries.chars().ascii(), Arbitraries.chars().all());
    }

    @Provide
    Arbitrary<String> base64url() {
        return Arbitraries.strings().withChars(ALPHABET).ofMaxLength(200);
    }

    @Provide
    Arbitrary<byte[]> signatures() {
        return Arbitraries.bytes().array(byte[].class).ofSize(32);
    }
}
