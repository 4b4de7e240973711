package com.connectionkeeper.simulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.connectionkeeper.testkit.Integration;
import com.snaptrade.client.ApiException;
import com.snaptrade.client.ApiResponse;
import com.snaptrade.client.Snaptrade;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The rolling-window limit per client, compressed to 3 requests per 2 seconds. */
@Integration
class RateLimitTest {
    private SpecCheckedSimulator checked;
    private Snaptrade sdk;

    @BeforeEach
    void start() throws IOException {
        checked = new SpecCheckedSimulator(Sdk.config().rateLimit(3).window(Duration.ofSeconds(2)).build());
        sdk = Sdk.client(checked.sim);
    }

    @AfterEach
    void stop() {
        checked.close();
    }

    @Test
    void everyAnswerCountsDownAndTheFourthIsThrottledUntilTheWindowRollsOn() throws Exception {
        for (int remaining = 2; remaining >= 0; remaining--) {
            Map<String, List<String>> headers = sdk.authentication.listSnapTradeUsers().executeWithHttpInfo()
                    .getResponseHeaders();
            assertEquals(List.of("3"), headers.get("x-ratelimit-limit"));
            assertEquals(List.of(Integer.toString(remaining)), headers.get("x-ratelimit-remaining"));
            long reset = Long.parseLong(headers.get("x-ratelimit-reset").get(0));
            assertTrue(reset >= 1 && reset <= 2, "reset " + reset);
        }

        ApiException throttled = assertThrows(ApiException.class,
                () -> sdk.authentication.listSnapTradeUsers().execute());
        assertEquals(429, throttled.getStatusCode());
        String reset = throttled.getResponseHeaders().get("x-ratelimit-reset").get(0);
        assertEquals(List.of("0"), throttled.getResponseHeaders().get("x-ratelimit-remaining"));
        assertEquals("{\"detail\":\"Request was throttled. Expected available in " + reset + " seconds.\","
                + "\"status_code\":429,\"code\":\"0000\"}", throttled.getResponseBody());

        Thread.sleep(Duration.ofSeconds(Long.parseLong(reset)).plusMillis(100).toMillis());
        ApiResponse<List<String>> again = sdk.authentication.listSnapTradeUsers().executeWithHttpInfo();
        assertEquals(200, again.getStatusCode());
    }

    @Test
    void throttledCallsAreNotCounted() throws Exception {
        for (int i = 0; i < 3; i++) {
            sdk.authentication.listSnapTradeUsers().execute();
        }
        for (int i = 0; i < 5; i++) {
            assertEquals(429, assertThrows(ApiException.class,
                    () -> sdk.authentication.listSnapTradeUsers().execute()).getStatusCode());
        }
        Thread.sleep(2100);
        for (int i = 0; i < 3; i++) {
            sdk.authentication.listSnapTradeUsers().execute();
        }
    }

    @Test
    void refusedAndUnknownCallsCarryTheHeadersToo() throws Exception {
        RawApi raw = new RawApi(checked.sim);
        HttpResponse<String> unsigned = raw.send("GET", "/api/v1/snapTrade/listUsers", RawApi.query(""), "", null);
        HttpResponse<String> unknown = raw.signed("GET", "/api/v1/nothing/here", RawApi.query(""), "");
        assertEquals(401, unsigned.statusCode());
        assertEquals(404, unknown.statusCode());
        for (HttpResponse<String> response : List.of(unsigned, unknown)) {
            assertEquals("3", response.headers().firstValue("X-RateLimit-Limit").orElseThrow());
            assertTrue(response.headers().firstValue("X-RateLimit-Remaining").isPresent());
            assertTrue(response.headers().firstValue("X-RateLimit-Reset").isPresent());
        }
    }
}
