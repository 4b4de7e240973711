package com.connectionkeeper.snaptrade;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.connectionkeeper.core.snaptrade.SnapTradeException.Kind;
import com.snaptrade.client.ApiException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** SnapTrade's codes and statuses to kinds, and where "retry after" comes from. */
class FailureClassifierTest {

    @Test
    void theUsersSecretIsToBlameOnlyFor1083AndOurClientForSignaturePermissionOrNoCode() {
        assertEquals(Kind.CREDENTIALS_REJECTED, kind(401, "1083"));
        assertEquals(Kind.CREDENTIALS_REJECTED, kind(400, "1083"));
        assertEquals(Kind.CLIENT_REJECTED, kind(401, "1076"));
        assertEquals(Kind.CLIENT_REJECTED, kind(403, "1066"));
        assertEquals(Kind.CLIENT_REJECTED, kind(403, null));
        assertEquals(Kind.CLIENT_REJECTED, kind(401, null));
    }

    @Test
    void missingResourcesAreNotFoundOnlyWhenSnapTradeItselfSaysSo() {
        assertEquals(Kind.NOT_FOUND, kind(404, "1011"));
        assertEquals(Kind.NOT_FOUND, kind(404, "1012"));
        assertEquals(Kind.NOT_FOUND, classify(new ApiException(404, Map.of(),
                "{\"detail\":\"The requested resource does not exist.\",\"status_code\":404,\"code\":1011}"),
                Operation.LIST_CONNECTIONS).kind(), "a numeric code is SnapTrade's too");
    }

    @Test
    void a404WithoutSnapTradesErrorBodyAndCodeIsInfrastructureNotAnUnknownUser() {
        // a load balancer, a CDN, an API gateway or a wrong base URL: nobody is to blame but the path to SnapTrade
        for (String body : new String[] {null, "", "   ", "Not Found", "<html><body><h1>404 Not Found</h1></body></html>",
                "{\"message\":\"Not Found\"}", "{\"detail\":\"Not Found\"}", "{\"detail\":\"x\",\"status_code\":404}",
                "[\"1011\"]", "{\"code\":null}", "{\"code\":{\"a\":1}}", "{\"code\":\"\"}"}) {
            Failure failure = classify(new ApiException(404, Map.of(), body), Operation.LIST_CONNECTIONS);
            assertEquals(Kind.UNAVAILABLE, failure.kind(), "404 with body " + body);
            assertFalse(failure.retryable(), "a wrong path does not heal in seconds: no retry burns the budget");
        }
    }

    @Test
    void otherClientErrorsAreBadResponsesAndFinal() {
        Failure failure = classify(error(402, "3003", Map.of()), Operation.LIST_CONNECTIONS);
        assertEquals(Kind.BAD_RESPONSE, failure.kind());
        assertFalse(failure.retryable());
        assertEquals(Kind.BAD_RESPONSE, kind(400, "1000"));
    }

    @Test
    void anExistingUserIsAConflict() {
        assertEquals(Kind.CONFLICT, kind(400, "1010"));
        assertEquals(Kind.CONFLICT, kind(409, null));
        assertFalse(classify(error(400, "1010", Map.of()), Operation.REGISTER_USER).retryable());
    }

    @Test
    void serverErrorsAreUnavailableAndRetryable() {
        Failure failure = classify(error(502, "1000", Map.of()), Operation.REGISTER_USER);
        assertEquals(Kind.UNAVAILABLE, failure.kind());
        assertTrue(failure.retryable());
    }

    @Test
    void a429WaitsTheLongerOfTheResetHeaderAndTheBodysEstimate() {
        assertEquals(Optional.of(Duration.ofSeconds(9)),
                classify(throttled(7, "9"), Operation.LIST_CONNECTIONS).retryAfter());
        assertEquals(Optional.of(Duration.ofSeconds(7)),
                classify(throttled(7, null), Operation.LIST_CONNECTIONS).retryAfter());
        Failure failure = classify(throttled(7, "3"), Operation.LIST_CONNECTIONS);
        assertEquals(Kind.RATE_LIMITED, failure.kind());
        assertTrue(failure.retryable());
        assertEquals(Optional.of(Duration.ofSeconds(7)), failure.retryAfter());
    }

    @Test
    void a429WithoutHintsHasNoRetryAfter() {
        ApiException e = new ApiException(429, Map.of(), "not json");
        assertEquals(Optional.empty(), classify(e, Operation.LIST_CONNECTIONS).retryAfter());
    }

    @Test
    void noAnswerIsUnavailableAndRetriedOnlyWhenRepeatingIsHarmless() {
        ApiException timeout = new ApiException(new SocketTimeoutException("timeout"));
        assertTrue(classify(timeout, Operation.LIST_CONNECTIONS).retryable());
        assertFalse(classify(timeout, Operation.REGISTER_USER).retryable());
        ApiException refused = new ApiException(new ConnectException("refused"));
        assertTrue(classify(refused, Operation.REGISTER_USER).retryable());
        assertEquals(Kind.UNAVAILABLE, classify(new ApiException(new IOException("reset")), Operation.CONNECTION).kind());
    }

    @Test
    void anSdkFailureOnAnAnswerIsABadResponse() {
        Failure failure = FailureClassifier.unreadable(new NullPointerException());
        assertEquals(Kind.BAD_RESPONSE, failure.kind());
        assertFalse(failure.retryable());
    }

    private static Kind kind(int status, String code) {
        return classify(error(status, code, Map.of()), Operation.LIST_CONNECTIONS).kind();
    }

    private static Failure classify(ApiException e, Operation operation) {
        return FailureClassifier.classify(e, operation);
    }

    private static ApiException throttled(int bodySeconds, String resetHeader) {
        Map<String, List<String>> headers = resetHeader == null ? Map.of()
                : Map.of("x-ratelimit-reset", List.of(resetHeader));
        return new ApiException(429, headers, "{\"detail\":\"Request was throttled. Expected available in "
                + bodySeconds + " seconds.\",\"status_code\":429,\"code\":\"0000\"}");
    }

    private static ApiException error(int status, String code, Map<String, List<String>> headers) {
        String body = "{\"detail\":\"something\",\"status_code\":" + status
                + (code == null ? "" : ",\"code\":\"" + code + "\"") + "}";
        return new ApiException(status, headers, body);
    }
}
