package com.connectionkeeper.simulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.connectionkeeper.signature.WebhookVerifier;
import com.connectionkeeper.testkit.Integration;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The signed text and its HMAC, against the vector in shared/snaptrade/README.md. */
@Integration
class RequestSignatureTest {
    private static final String PATH = "/api/v1/authorizations";
    private static final String QUERY = "userId=u1&userSecret=s1&timestamp=1700000000&clientId=TESTCLIENT";

    @Test
    void theReadmeVector() {
        String canonical = RequestSignature.canonical(PATH, QUERY, "");
        assertEquals("{\"content\":null,\"path\":\"/api/v1/authorizations\",\"query\":\"userId=u1&userSecret=s1"
                + "&timestamp=1700000000&clientId=TESTCLIENT\"}", canonical);
        assertEquals("Ft31cwxojPsnVK6ePOxkuHHcsaKBpJZ+Nq9NyIxHQxs=",
                new WebhookVerifier("TEST_CONSUMER_KEY").sign(canonical));
    }

    @Test
    void theVectorIsAcceptedAtItsTimeAndRefusedFiveMinutesAndASecondLater() {
        RequestSignature at = signature(Instant.ofEpochSecond(1_700_000_000L + 300));
        Map<String, String> query = QueryString.parse(QUERY);
        assertTrue(at.accepts(PATH, QUERY, query, "", "Ft31cwxojPsnVK6ePOxkuHHcsaKBpJZ+Nq9NyIxHQxs="));
        assertFalse(signature(Instant.ofEpochSecond(1_700_000_000L + 301))
                .accepts(PATH, QUERY, query, "", "Ft31cwxojPsnVK6ePOxkuHHcsaKBpJZ+Nq9NyIxHQxs="));
    }

    @Test
    void theBodyIsSignedInCanonicalFormWhateverItsSpacingAndKeyOrder() {
        assertEquals("{\"content\":{\"a\":[1,2.5],\"b\":\"\\u00e9\"},\"path\":\"/p\",\"query\":\"q=1\"}",
                RequestSignature.canonical("/p", "q=1", "{ \"b\": \"é\",\n \"a\": [1, 2.50] }"));
    }

    @Test
    void aBodyThatIsNotJsonIsNeverAccepted() {
        RequestSignature signature = signature(Instant.ofEpochSecond(1_700_000_000L));
        Map<String, String> query = QueryString.parse(QUERY);
        assertFalse(signature.accepts(PATH, QUERY, query, "{not json", "anything"));
    }

    private static RequestSignature signature(Instant now) {
        return new RequestSignature(SimulatorConfig.builder("TESTCLIENT", "TEST_CONSUMER_KEY")
                .clock(Clock.fixed(now, ZoneOffset.UTC)).build());
    }
}
