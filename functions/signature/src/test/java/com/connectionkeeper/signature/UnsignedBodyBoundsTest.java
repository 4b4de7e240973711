package com.connectionkeeper.signature;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.connectionkeeper.signature.WebhookVerifier.Verdict;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Issue 9, item 1: what an unauthenticated body may cost before its refusal. Not timed: the work is counted (floats
 * formatted, through {@link PythonNumbers}' test hook) and the refusal is the bounds', before the expensive part.
 */
class UnsignedBodyBoundsTest {
    private static final String KEY = "bounds-test-consumer-key";
    private static final WebhookVerifier VERIFIER = new WebhookVerifier(KEY);
    /** A well-formed signature, but not of these bodies. */
    private static final String WRONG = VERIFIER.sign("something else");
    private static final int MAX_BODY_BYTES = 256 * 1024;

    private final AtomicInteger floatsFormatted = new AtomicInteger();

    @BeforeEach
    void countFloats() {
        Thread me = Thread.currentThread();
        PythonNumbers.onFloatFormatted = () -> {
            if (Thread.currentThread() == me) {
                floatsFormatted.incrementAndGet();
            }
        };
    }

    @AfterEach
    void stopCounting() {
        PythonNumbers.onFloatFormatted = null;
    }

    /** A JSON array of {@code item} repeated to just under 256 KB. */
    static String arrayOf(String item) {
        return arrayOf(item, MAX_BODY_BYTES);
    }

    /** A JSON array of {@code item} repeated to just under {@code bytes}. */
    static String arrayOf(String item, int bytes) {
        int n = (bytes - 2) / (item.length() + 1);
        return "[" + (item + ",").repeat(n - 1) + item + "]";
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void aBodySignedOverItsRawBytesIsVerifiedWithoutCanonicalising() {
        String body = "{\"webhookId\":\"w\",\"eventType\":\"ACCOUNT_HOLDINGS_UPDATED\",\"details\":"
                + "{\"prices\":[150.50,0.30000000000000004,5e-324,1E+16]}}";

        assertEquals(Verdict.VALID, VERIFIER.verify(utf8(body), VERIFIER.sign(body)));
        assertEquals(0, floatsFormatted.get(), "floats formatted");
    }

    @Test
    void aBodySignedOverItsCanonicalFormIsStillVerified() {
        String body = "{\"details\": {\"prices\": [150.50, 0.30000000000000004, 5e-324, 1E+16]}}";
        String canonical = "{\"details\":{\"prices\":[150.5,0.30000000000000004,5e-324,1e+16]}}";

        assertEquals(Verdict.VALID, VERIFIER.verify(utf8(body), VERIFIER.sign(canonical)));
        assertEquals(4, floatsFormatted.get(), "floats formatted");
    }

    @Test
    void theRawBytesAreCheckedFirstAndTheCanonicalizerIsNeverCalledForASignedBody() {
        AtomicInteger calls = new AtomicInteger();
        WebhookVerifier counting = new WebhookVerifier(KEY, body -> {
            calls.incrementAndGet();
            return CanonicalJson.canonicalize(body, CanonicalJson.Limits.UNAUTHENTICATED);
        });
        String body = arrayOf("5e-324"); // the worst body for the canonicalizer, signed as sent

        assertEquals(Verdict.VALID, counting.verify(utf8(body), counting.sign(body)));
        assertEquals(0, calls.get());
        assertEquals(0, floatsFormatted.get());
        // the control: the same verifier does call it when the raw bytes do not match
        assertEquals(Verdict.BEYOND_BOUNDS, counting.verify(utf8(body), WRONG));
        assertEquals(1, calls.get());
    }

    @Test
    void anUnsignedBodyOfManyFloatsIsRefusedAfterABoundedNumberOfThem() {
        String body = arrayOf("5e-324");
        assertTrue(body.length() <= MAX_BODY_BYTES && body.length() > MAX_BODY_BYTES - 10);

        assertEquals(Verdict.BEYOND_BOUNDS, VERIFIER.verify(utf8(body), WRONG));
        assertEquals(CanonicalJson.Limits.UNAUTHENTICATED.maxFloats(), floatsFormatted.get());
    }

    @Test
    void anUnsignedBodyOfSeventeenDigitFloatsIsRefusedAfterABoundedNumberOfThem() {
        String body = "{\"a\":" + arrayOf("-2.2250738585072017e-308", MAX_BODY_BYTES - 6) + "}";
        assertTrue(body.length() <= MAX_BODY_BYTES);

        assertEquals(Verdict.BEYOND_BOUNDS, VERIFIER.verify(utf8(body), WRONG));
        assertEquals(CanonicalJson.Limits.UNAUTHENTICATED.maxFloats(), floatsFormatted.get());
    }

    @Test
    void eachBoundRefusesTheShapeThatGoesOverIt() {
        CanonicalJson.Limits l = CanonicalJson.Limits.UNAUTHENTICATED;
        String deep = "[".repeat(l.maxDepth() + 1) + "]".repeat(l.maxDepth() + 1);
        String manyInts = arrayOf("0");
        String manyKeys = "{" + "\"k\":0,".repeat(l.maxValues()) + "\"k\":0}"; // duplicate keys count too
        String longNumber = "[" + "9".repeat(l.maxNumberChars() + 1) + "]";
        String longFloat = "[0." + "1".repeat(l.maxNumberChars()) + "]";
        for (String body : new String[] {deep, manyInts, manyKeys, longNumber, longFloat}) {
            assertEquals(Verdict.BEYOND_BOUNDS, VERIFIER.verify(utf8(body), WRONG), body.substring(0, 20));
            assertEquals(Verdict.VALID, VERIFIER.verify(utf8(body), VERIFIER.sign(body)), "signed as sent");
        }
        assertEquals(0, floatsFormatted.get());
    }

    @Test
    void aBodyAtEveryBoundIsStillVerifiedInCanonicalForm() {
        CanonicalJson.Limits l = CanonicalJson.Limits.UNAUTHENTICATED;
        String deep = "[".repeat(l.maxDepth()) + "]".repeat(l.maxDepth());
        String values = "[" + "0,".repeat(l.maxValues() - 2) + "0]";
        String floats = "[" + "1.5,".repeat(l.maxFloats() - 1) + "1.50]";
        String longNumber = "[" + "9".repeat(l.maxNumberChars()) + "]";
        for (String body : new String[] {deep, values, floats, longNumber}) {
            String canonical = CanonicalJson.canonicalize(body);
            // the trailing space: the raw bytes do not match, so only the canonical form can verify it
            assertEquals(Verdict.VALID, VERIFIER.verify(utf8(body + " "), VERIFIER.sign(canonical)),
                    body.substring(0, 20));
        }
    }

    @Test
    void boundsDoNotApplyToTrustedCallers() {
        String body = arrayOf("5e-324");
        assertTrue(CanonicalJson.canonicalize(body).startsWith("[5e-324,5e-324"));
    }
}
