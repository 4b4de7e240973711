package com.connectionkeeper.signature;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.connectionkeeper.signature.WebhookVerifier.Verdict;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The signed samples in webhook-signature-vectors.json (copied from shared/snaptrade): they verify from the canonical
 * and the wire bytes, and every one-character change of body or signature, and a wrong key, is rejected.
 */
class WebhookSignatureVectorsTest {
    private static final String BASE64_ALPHABET =
            "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/=";
    /** Replacement characters for body mutations: letters, digits, JSON punctuation, whitespace, non-ASCII. */
    private static final String REPLACEMENTS = "aZ0-\"\\,:{}[] \t\n\r\u00e9\u0000";
    private static final String WHITESPACE = " \t\n\r";

    record Vector(String name, String consumerKey, JsonNode payload, String canonical, String signature,
                  String wireBody) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Vector> vectors() throws IOException {
        try (InputStream in = WebhookSignatureVectorsTest.class.getResourceAsStream(
                "/signature/webhook-signature-vectors.json")) {
            JsonNode all = new ObjectMapper().readTree(in);
            assertTrue(all.size() >= 5, "vector file truncated");
            return StreamSupport.stream(all.spliterator(), false).map(v -> new Vector(v.get("name").textValue(),
                    v.get("consumerKey").textValue(), v.get("payload"), v.get("canonical").textValue(),
                    v.get("signature").textValue(), v.get("wireBody").textValue())).toList().stream();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("vectors")
    void canonicalFormOfPayloadAndWireBodyIsTheSignedOne(Vector v) {
        assertEquals(v.canonical(), CanonicalJson.canonicalize(v.payload().toString()));
        assertEquals(v.canonical(), CanonicalJson.canonicalize(v.wireBody()));
        assertEquals(v.canonical(), CanonicalJson.canonicalize(utf8(v.wireBody())));
        assertEquals(v.signature(), new WebhookVerifier(v.consumerKey()).sign(v.canonical()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("vectors")
    void verifiesFromCanonicalAndWireBytes(Vector v) {
        WebhookVerifier verifier = new WebhookVerifier(v.consumerKey());
        assertEquals(Verdict.VALID, verifier.verify(utf8(v.canonical()), v.signature()));
        assertEquals(Verdict.VALID, verifier.verify(utf8(v.wireBody()), v.signature()));
    }

    /**
     * Every position of the wire body, changed to each of several characters. The bodies hold no numbers and no
     * escapes (checked), so the only changes that keep the JSON meaning are whitespace-for-whitespace swaps between
     * tokens: those must still verify; every other change must not.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("vectors")
    void everyOneCharacterChangeOfTheBodyIsRejectedUnlessItOnlySwapsWhitespace(Vector v) {
        String body = v.wireBody();
        assertFalse(body.contains("\\"), "mutation rules assume no escapes");
        boolean[] inString = stringPositions(body);
        for (int i = 0; i < body.length(); i++) {
            assertFalse(!inString[i] && Character.isDigit(body.charAt(i)), "mutation rules assume no numbers");
        }
        WebhookVerifier verifier = new WebhookVerifier(v.consumerKey());
        List<String> wrong = new ArrayList<>();
        int accepted = 0;
        for (int i = 0; i < body.length(); i++) {
            char original = body.charAt(i);
            for (char replacement : REPLACEMENTS.toCharArray()) {
                if (replacement == original) {
                    continue;
                }
                String mutated = body.substring(0, i) + replacement + body.substring(i + 1);
                boolean keepsMeaning = !inString[i] && isWhitespace(original) && isWhitespace(replacement);
                Verdict verdict = verifier.verify(utf8(mutated), v.signature());
                if ((verdict == Verdict.VALID) != keepsMeaning) {
                    wrong.add("position " + i + " '" + original + "' -> '" + replacement + "': " + verdict);
                }
                accepted += verdict == Verdict.VALID ? 1 : 0;
            }
        }
        assertEquals(List.of(), wrong.subList(0, Math.min(10, wrong.size())), wrong.size() + " wrong verdicts");
        assertTrue(accepted > 0, "some whitespace swaps must have been tried");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("vectors")
    void everyOneCharacterChangeOfTheCanonicalBodyIsRejected(Vector v) {
        WebhookVerifier verifier = new WebhookVerifier(v.consumerKey());
        String body = v.canonical();
        for (int i = 0; i < body.length(); i++) {
            for (char replacement : new char[] {'x', '"', ' ', '1'}) {
                if (replacement != body.charAt(i)) {
                    String mutated = body.substring(0, i) + replacement + body.substring(i + 1);
                    assertNotEquals(Verdict.VALID, verifier.verify(utf8(mutated), v.signature()), mutated);
                }
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("vectors")
    void everyOneCharacterChangeOfTheSignatureIsRejected(Vector v) {
        WebhookVerifier verifier = new WebhookVerifier(v.consumerKey());
        byte[] body = utf8(v.wireBody());
        String signature = v.signature();
        for (int i = 0; i < signature.length(); i++) {
            for (char replacement : (BASE64_ALPHABET + " -_.").toCharArray()) {
                if (replacement != signature.charAt(i)) {
                    String mutated = signature.substring(0, i) + replacement + signature.substring(i + 1);
                    assertEquals(Verdict.INVALID_SIGNATURE, verifier.verify(body, mutated), mutated);
                }
            }
        }
        assertEquals(Verdict.INVALID_SIGNATURE, verifier.verify(body, signature.substring(0, signature.length() - 1)));
        assertEquals(Verdict.INVALID_SIGNATURE, verifier.verify(body, signature + "A"));
        assertEquals(Verdict.INVALID_SIGNATURE, verifier.verify(body, signature + "===="));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("vectors")
    void aWrongKeyIsRejected(Vector v) {
        String key = v.consumerKey();
        for (String wrongKey : List.of(key + "X", key.substring(1), key.toLowerCase(), key + " ", "X" + key)) {
            WebhookVerifier verifier = new WebhookVerifier(wrongKey);
            assertEquals(Verdict.INVALID_SIGNATURE, verifier.verify(utf8(v.wireBody()), v.signature()), wrongKey);
            assertEquals(Verdict.INVALID_SIGNATURE, verifier.verify(utf8(v.canonical()), v.signature()), wrongKey);
        }
    }

    /** Which positions lie inside a string literal, quotes included (valid for bodies without escapes). */
    private static boolean[] stringPositions(String body) {
        boolean[] inString = new boolean[body.length()];
        boolean open = false;
        for (int i = 0; i < body.length(); i++) {
            if (body.charAt(i) == '"') {
                open = !open;
                inString[i] = true;
            } else {
                inString[i] = open;
            }
        }
        return inString;
    }

    private static boolean isWhitespace(char c) {
        return WHITESPACE.indexOf(c) >= 0;
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
