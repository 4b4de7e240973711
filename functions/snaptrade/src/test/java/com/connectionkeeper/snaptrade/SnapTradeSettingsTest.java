package com.connectionkeeper.snaptrade;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.connectionkeeper.core.config.EnvironmentConfig;
import java.time.Duration;
import java.util.Map;
import okhttp3.OkHttpClient;
import org.junit.jupiter.api.Test;

/** Settings from the environment, their defaults, and the SDK client they build. */
class SnapTradeSettingsTest {
    private static final Map<String, String> REQUIRED =
            Map.of("SNAPTRADE_CLIENT_ID", "CLIENT", "SNAPTRADE_CONSUMER_KEY", "settings-test-key");

    @Test
    void defaultsStayBelowSnapTradesLimitAndBoundEveryWait() {
        SnapTradeSettings settings = SnapTradeSettings.from(new EnvironmentConfig(REQUIRED));
        assertEquals("https://api.snaptrade.com/api/v1", settings.baseUrl());
        assertEquals(200, settings.requestsPerWindow());
        assertEquals(Duration.ofMinutes(1), settings.window());
        assertEquals(Duration.ofSeconds(20), settings.retryBudget());
        assertEquals(Duration.ofSeconds(15), settings.readTimeout());
    }

    @Test
    void optionalVariablesOverrideTheDefaults() {
        SnapTradeSettings settings = SnapTradeSettings.from(new EnvironmentConfig(Map.of(
                "SNAPTRADE_CLIENT_ID", "CLIENT", "SNAPTRADE_CONSUMER_KEY", "settings-test-key",
                "SNAPTRADE_BASE_URL", "http://127.0.0.1:9/api/v1", "SNAPTRADE_REQUESTS_PER_MINUTE", " 120 ",
                "SNAPTRADE_RETRY_BUDGET_SECONDS", "8", "SNAPTRADE_CONNECT_TIMEOUT_SECONDS", "2",
                "SNAPTRADE_READ_TIMEOUT_SECONDS", "4", "SNAPTRADE_WRITE_TIMEOUT_SECONDS", "3")));
        assertEquals("http://127.0.0.1:9/api/v1", settings.baseUrl());
        assertEquals(120, settings.requestsPerWindow());
        assertEquals(Duration.ofSeconds(8), settings.retryBudget());
        assertEquals(Duration.ofSeconds(2), settings.connectTimeout());
        assertEquals(Duration.ofSeconds(4), settings.readTimeout());
        assertEquals(Duration.ofSeconds(3), settings.writeTimeout());
    }

    @Test
    void aMissingCredentialOrABadNumberNamesTheVariable() {
        IllegalStateException missing = assertThrows(IllegalStateException.class,
                () -> SnapTradeSettings.from(new EnvironmentConfig(Map.of("SNAPTRADE_CLIENT_ID", "CLIENT"))));
        assertTrue(missing.getMessage().contains("SNAPTRADE_CONSUMER_KEY"));
        for (String bad : new String[] {"0", "-5", "fast"}) {
            Map<String, String> env = new java.util.HashMap<>(REQUIRED);
            env.put("SNAPTRADE_REQUESTS_PER_MINUTE", bad);
            IllegalStateException e = assertThrows(IllegalStateException.class,
                    () -> SnapTradeSettings.from(new EnvironmentConfig(env)));
            assertTrue(e.getMessage().contains("SNAPTRADE_REQUESTS_PER_MINUTE"));
        }
    }

    @Test
    void theConsumerKeyIsNeverPrinted() {
        String text = SnapTradeSettings.from(new EnvironmentConfig(REQUIRED)).toString();
        assertFalse(text.contains("settings-test-key"), text);
        assertTrue(text.contains("CLIENT"));
    }

    @Test
    void theSdkClientHasTheTimeoutsAndEveryApiGroupSharesIt() {
        SnapTradeSettings settings = SnapTradeSettings.from(new EnvironmentConfig(REQUIRED))
                .withTimeouts(Duration.ofSeconds(3), Duration.ofSeconds(4), Duration.ofSeconds(5));
        var snaptrade = SnapTradeClients.create(settings);
        OkHttpClient http = snaptrade.connections.getApiClient().getHttpClient();
        assertEquals(3_000, http.connectTimeoutMillis());
        assertEquals(4_000, http.readTimeoutMillis());
        assertEquals(5_000, http.writeTimeoutMillis());
        assertEquals(12_000, http.callTimeoutMillis());
        assertFalse(http.retryOnConnectionFailure());
        assertTrue(snaptrade.authentication.getApiClient() == snaptrade.connections.getApiClient());
        assertEquals(settings.baseUrl(), snaptrade.connections.getApiClient().getBasePath());
    }
}
