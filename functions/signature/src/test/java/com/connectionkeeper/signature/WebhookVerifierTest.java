package com.connectionkeeper.signature;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.connectionkeeper.signature.WebhookVerifier.Verdict;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/** Verdicts of WebhookVerifier beyond the signed vectors: header forms, odd bodies, key handling, threads. */
class WebhookVerifierTest {
    private static final String KEY = "local-test-consumer-key";
    private static final WebhookVerifier VERIFIER = new WebhookVerifier(KEY);
    private static final String WIRE = "{ \"userId\": \"jos\u00e9\", \"amount\": 150.50, \"ok\": true }";
    private static final String CANONICAL = "{\"amount\":150.5,\"ok\":true,\"userId\":\"jos\\u00e9\"}";

    @Test
    void signIsBase64OfHmacSha256OverUtf8() {
        assertEquals("97yD9DBThCSxMpjmqm+xQ+9NWaFJRhdZl0edvC0aPNg=",
                new WebhookVerifier("key").sign("The quick brown fox jumps over the lazy dog"));
        assertEquals("6I2wBeVGMtb7UPDChKDglmu9y7Nng51lAQoK06FJOXw=",
                new WebhookVerifier("cl\u00e9").sign("{\"a\":\"\u00e9\"}"));
    }

    @Test
    void acceptsASignatureOverTheCanonicalFormOrOverTheRawBody() {
        assertEquals(CANONICAL, CanonicalJson.canonicalize(WIRE));
        assertEquals(Verdict.VALID, VERIFIER.verify(utf8(WIRE), VERIFIER.sign(CANONICAL)));
        assertEquals(Verdict.VALID, VERIFIER.verify(utf8(WIRE), VERIFIER.sign(WIRE)));
        assertEquals(Verdict.INVALID_SIGNATURE, VERIFIER.verify(utf8(WIRE), VERIFIER.sign(WIRE + " ")));
        String notCanonical = CANONICAL.replace("150.5", "150.50");
        assertEquals(Verdict.INVALID_SIGNATURE, VERIFIER.verify(utf8(WIRE), VERIFIER.sign(notCanonical)));
    }

    @Test
    void aMissingOrBlankHeaderIsMissing() {
        for (String header : new String[] {null, "", "   ", "\t"}) {
            assertEquals(Verdict.MISSING_SIGNATURE, VERIFIER.verify(utf8(WIRE), header));
            assertEquals(Verdict.MISSING_SIGNATURE, VERIFIER.verify(utf8("not json"), header));
        }
    }

    @Test
    void aHeaderThatIsNotExactlyPaddedStandardBase64IsInvalid() {
        String good = VERIFIER.sign(CANONICAL);
        assertEquals(Verdict.VALID, VERIFIER.verify(utf8(WIRE), " " + good + " ")); // header whitespace is not content
        for (String header : List.of("%%%", "not base64!", "====", "A", good.replace('+', '-').replace('/', '_'),
                good.substring(0, good.length() - 1), good + good, good.replace("=", "") + "\n=",
                "sha256=" + good)) {
            assertEquals(Verdict.INVALID_SIGNATURE, VERIFIER.verify(utf8(WIRE), header), header);
        }
    }

    @Test
    void aNonJsonBodyIsMalformedUnlessItsRawBytesAreSigned() {
        byte[] body = utf8("{\"webhookId\": \"x\",");
        assertEquals(Verdict.MALFORMED_BODY, VERIFIER.verify(body, VERIFIER.sign(CANONICAL)));
        assertEquals(Verdict.VALID, VERIFIER.verify(body, VERIFIER.sign("{\"webhookId\": \"x\",")));
        byte[] notUtf8 = {'"', (byte) 0xC0, (byte) 0x80, '"'};
        assertEquals(Verdict.MALFORMED_BODY, VERIFIER.verify(notUtf8, VERIFIER.sign(CANONICAL)));
        assertEquals(Verdict.MALFORMED_BODY, VERIFIER.verify(null, VERIFIER.sign(CANONICAL)));
        assertEquals(Verdict.VALID, VERIFIER.verify(null, VERIFIER.sign("")));
    }

    @Test
    void theKeyIsRequiredAndNeverShown() {
        assertThrows(IllegalArgumentException.class, () -> new WebhookVerifier(null));
        IllegalArgumentException empty = assertThrows(IllegalArgumentException.class, () -> new WebhookVerifier(""));
        assertFalse(String.valueOf(empty.getMessage()).contains(KEY));
        assertFalse(VERIFIER.toString().contains(KEY));
    }

    @Test
    void isThreadSafe() throws Exception {
        String signature = VERIFIER.sign(CANONICAL);
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<Integer>> wrong = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                wrong.add(pool.submit(() -> {
                    int errors = 0;
                    for (int i = 0; i < 2_000; i++) {
                        boolean tampered = i % 2 == 1;
                        Verdict expected = tampered ? Verdict.INVALID_SIGNATURE : Verdict.VALID;
                        String body = tampered ? WIRE.replace("true", "false") : WIRE;
                        errors += VERIFIER.verify(utf8(body), signature) == expected ? 0 : 1;
                    }
                    return errors;
                }));
            }
            for (Future<Integer> errors : wrong) {
                assertEquals(0, errors.get());
            }
        } finally {
            pool.shutdownNow();
        }
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
