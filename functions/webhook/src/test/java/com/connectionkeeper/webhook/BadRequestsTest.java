package com.connectionkeeper.webhook;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.connectionkeeper.signature.CanonicalJson;
import com.connectionkeeper.signature.WebhookVerifier;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * More than 30 distinct bad requests: each gets its documented 4xx and {"error": …}, and afterwards the table is
 * exactly as empty as before. (Authentic events with an unknown type are not bad: they are answered "ignored".)
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BadRequestsTest {
    private static final WebhookVerifier LOCAL = new WebhookVerifier(LocalWebhook.LOCAL_CONSUMER_KEY);
    private static final WebhookVerifier OTHER = new WebhookVerifier("some-other-consumer-key");
    private static final String GOOD = """
            {"webhookId":"8b1f0c52-7e3a-4d59-9c21-5a6b7c8d9e0f","clientId":"TESTCLIENT",\
            "eventTimestamp":"2024-05-01T12:00:00.123456+00:00","userId":"bad-request-user",\
            "eventType":"CONNECTION_BROKEN","brokerageAuthorizationId":"c0ffee00-0000-4000-8000-000000000001"}""";

    private LocalWebhook webhook;
    private final Set<String> seen = new HashSet<>();

    @BeforeAll
    void freshTable() {
        webhook = LocalWebhook.fresh();
    }

    @AfterAll
    void atLeastThirtyDistinctCasesLeftTheTableEmpty() {
        assertTrue(seen.size() >= 30, "distinct bad requests: " + seen.size());
        assertEquals(List.of(), webhook.scan());
    }

    static String signed(String body) {
        return LOCAL.sign(CanonicalJson.canonicalize(body));
    }

    /** GOOD with one top-level field's value replaced (or the field appended). */
    static String withField(String field, String jsonValue) {
        String marker = "\"" + field + "\":";
        int at = GOOD.indexOf(marker);
        if (at < 0) {
            return GOOD.substring(0, GOOD.length() - 1) + "," + marker + jsonValue + "}";
        }
        int end = GOOD.indexOf(",\"", at + marker.length());
        return GOOD.substring(0, at + marker.length()) + jsonValue + (end < 0 ? "}" : GOOD.substring(end));
    }

    /** GOOD without one top-level field (never the first one). */
    static String without(String field) {
        int at = GOOD.indexOf(",\"" + field + "\":");
        int end = GOOD.indexOf(",\"", at + 1);
        return GOOD.substring(0, at) + (end < 0 ? "}" : GOOD.substring(end));
    }

    static Stream<Arguments> badRequests() {
        List<Arguments> cases = new ArrayList<>();
        String sig = signed(GOOD);
        // authenticity: 401
        cases.add(Arguments.of("no Signature header", GOOD, null, false, 401));
        cases.add(Arguments.of("empty Signature", GOOD, "", false, 401));
        cases.add(Arguments.of("Signature not base64", GOOD, "%%%not-base64%%%", false, 401));
        cases.add(Arguments.of("Signature of another key", GOOD, OTHER.sign(CanonicalJson.canonicalize(GOOD)), false, 401));
        cases.add(Arguments.of("Signature truncated", GOOD, sig.substring(0, sig.length() - 2), false, 401));
        cases.add(Arguments.of("Signature with an extra character", GOOD, sig + "A", false, 401));
        cases.add(Arguments.of("Signature first character changed", GOOD, flip(sig, 0), false, 401));
        cases.add(Arguments.of("Signature of an empty body", GOOD, LOCAL.sign(""), false, 401));
        cases.add(Arguments.of("Signature lower-cased", GOOD, sig.toLowerCase(), false, 401));
        cases.add(Arguments.of("userId tampered", GOOD.replace("bad-request-user", "bad-request-usex"), sig, false, 401));
        cases.add(Arguments.of("eventType tampered", GOOD.replace("CONNECTION_BROKEN", "CONNECTION_FIXED"), sig, false, 401));
        cases.add(Arguments.of("timestamp tampered", GOOD.replace("12:00:00", "12:00:01"), sig, false, 401));
        cases.add(Arguments.of("field added", withField("extra", "1"), sig, false, 401));
        cases.add(Arguments.of("connection id tampered", GOOD.replace("000000000001", "000000000002"), sig, false, 401));
        cases.add(Arguments.of("hex Signature instead of base64", GOOD, "e3b0c44298fc1c149afbf4c8996fb924", false, 401));
        // not JSON: 400
        cases.add(Arguments.of("empty body", "", signed("{}"), false, 400));
        cases.add(Arguments.of("whitespace body", "   ", sig, false, 400));
        cases.add(Arguments.of("truncated JSON", GOOD.substring(0, 40), sig, false, 400));
        cases.add(Arguments.of("trailing garbage", GOOD + "x", sig, false, 400));
        cases.add(Arguments.of("form-encoded body", "webhookId=1&userId=2", sig, false, 400));
        cases.add(Arguments.of("invalid base64 body", "***not base64***", sig, true, 400));
        // authentic JSON that cannot be applied: 400
        cases.add(signedCase("JSON array", "[1,2,3]", 400));
        cases.add(signedCase("JSON string", "\"CONNECTION_BROKEN\"", 400));
        cases.add(signedCase("JSON number", "42", 400));
        cases.add(signedCase("JSON null", "null", 400));
        cases.add(signedCase("no webhookId", "{" + GOOD.substring(GOOD.indexOf("\"clientId\"")), 400));
        cases.add(signedCase("no userId", without("userId"), 400));
        cases.add(signedCase("no eventType", without("eventType"), 400));
        cases.add(signedCase("no eventTimestamp", without("eventTimestamp"), 400));
        cases.add(signedCase("eventTimestamp without offset", withField("eventTimestamp", "\"2024-05-01T12:00:00\""), 400));
        cases.add(signedCase("eventTimestamp garbage", withField("eventTimestamp", "\"yesterday\""), 400));
        cases.add(signedCase("eventTimestamp a number", withField("eventTimestamp", "1714564800"), 400));
        cases.add(signedCase("webhookId a number", withField("webhookId", "12345"), 400));
        cases.add(signedCase("userId an object", withField("userId", "{\"id\":\"u\"}"), 400));
        cases.add(signedCase("empty userId", withField("userId", "\"\""), 400));
        cases.add(signedCase("userId too long", withField("userId", "\"" + "u".repeat(1025) + "\""), 400));
        cases.add(signedCase("connection id too long",
                withField("brokerageAuthorizationId", "\"" + "c".repeat(257) + "\""), 400));
        cases.add(signedCase("connection id a number", withField("brokerageAuthorizationId", "7"), 400));
        cases.add(signedCase("eventType over 128 characters", withField("eventType", "\"" + "A".repeat(129) + "\""), 400));
        cases.add(signedCase("eventType with a space", withField("eventType", "\"CONNECTION BROKEN\""), 400));
        cases.add(signedCase("eventType with a control character", withField("eventType", "\"CONNECTION\\u0007\""), 400));
        // unsigned bodies beyond the bounds of the canonical form: refused before that work (issue 9, item 1)
        String floats = "[" + "5e-324,".repeat(37_000) + "5e-324]";
        cases.add(Arguments.of("unsigned body of 37,001 floats", floats, sig, false, 400));
        String deep = GOOD.substring(0, GOOD.length() - 1) + ",\"d\":" + "[".repeat(40) + "]".repeat(40) + "}";
        cases.add(Arguments.of("unsigned body nested 41 deep", deep, sig, false, 400));
        String longNumber = withField("details", "1" + "0".repeat(200));
        cases.add(Arguments.of("unsigned body with a 201-digit number", longNumber, sig, false, 400));
        // size: 413
        String huge = withField("padding", "\"" + "x".repeat(WebhookEndpoint.MAX_BODY_BYTES) + "\"");
        cases.add(Arguments.of("body over 256 KB", huge, signed(huge), false, 413));
        String hugeBase64 = Base64.getEncoder().encodeToString(huge.getBytes(StandardCharsets.UTF_8));
        cases.add(Arguments.of("base64 body over 256 KB", hugeBase64, signed(huge), true, 413));
        return cases.stream();
    }

    private static Arguments signedCase(String name, String body, int status) {
        return Arguments.of(name, body, signed(body), false, status);
    }

    private static String flip(String s, int index) {
        char c = s.charAt(index) == 'A' ? 'B' : 'A';
        return s.substring(0, index) + c + s.substring(index + 1);
    }

    /** The webhook route's event with this body and Signature header (none when null). */
    private static APIGatewayV2HTTPEvent event(String body, String signature, boolean base64) {
        APIGatewayV2HTTPEvent event = LocalWebhook.event("webhook-connection-broken.json");
        Map<String, String> headers = new HashMap<>(event.getHeaders());
        headers.remove("signature");
        if (signature != null) {
            headers.put("signature", signature);
        }
        event.setHeaders(headers);
        event.setBody(body);
        event.setIsBase64Encoded(base64);
        return event;
    }

    @ParameterizedTest(name = "{0} -> {4}")
    @MethodSource("badRequests")
    void isRejectedWithAClearError(String name, String body, String signature, boolean base64, int status) {
        assertTrue(seen.add(name), "duplicate case name");

        APIGatewayV2HTTPResponse response = webhook.invoke(event(body, signature, base64));

        assertEquals(status, response.getStatusCode(), response.getBody());
        String error = LocalWebhook.answer(response);
        assertTrue(error.length() > 5 && !error.contains("Exception"), "clear message: " + error);
        assertEquals(List.of(), webhook.scan(), "nothing written");
    }

    @Test
    void pythonsNonFiniteNumbersAreNotBadInput() {
        String body = withField("details", "{\"total_value\":NaN,\"cap\":Infinity}");
        assertEquals("applied", LocalWebhook.answer(LocalWebhook.fresh().invoke(event(body, signed(body), false))));
    }

    @Test
    void theGoodBodyItselfIsAccepted() {
        // the control: the same body, correctly signed, applies (in a table of its own)
        LocalWebhook other = LocalWebhook.fresh();
        assertEquals("applied", LocalWebhook.answer(other.invoke(event(GOOD, signed(GOOD), false))));
        assertEquals(1, other.connections.connections("bad-request-user").size());
    }
}
