package com.connectionkeeper.snaptrade;

import com.connectionkeeper.core.config.Config;
import com.connectionkeeper.core.config.EnvironmentVariables;
import java.time.Duration;
import java.util.Objects;

/**
 * How the gateway reaches SnapTrade: credentials, base URL, HTTP timeouts, the client-wide rate limit and the retry
 * budget. Immutable; {@link #toString()} never shows the consumer key.
 *
 * @param clientId          SnapTrade client id
 * @param consumerKey       SnapTrade consumer key (signs every request)
 * @param baseUrl           API root including {@code /api/v1}
 * @param connectTimeout    TCP connect timeout per attempt
 * @param readTimeout       read timeout per attempt (the SDK's own default is infinite)
 * @param writeTimeout      write timeout per attempt
 * @param requestsPerWindow at most this many requests start in any rolling {@code window}, client-wide
 * @param window            the rate limit's rolling window (SnapTrade: 60 s)
 * @param retryBudget       no wait (for a rate-limit slot or a backoff) reaches past this much time after a call
 *                          starts; a call's worst case is this plus one attempt's timeouts
 * @param initialBackoff    cap of the first retry's full-jitter delay; each next retry doubles it
 * @param maxBackoff        the largest cap of a full-jitter delay
 */
public record SnapTradeSettings(String clientId, String consumerKey, String baseUrl, Duration connectTimeout,
                                Duration readTimeout, Duration writeTimeout, int requestsPerWindow, Duration window,
                                Duration retryBudget, Duration initialBackoff, Duration maxBackoff) {

    public static final String ENV_CLIENT_ID = "SNAPTRADE_CLIENT_ID";
    public static final String ENV_CONSUMER_KEY = Config.SNAPTRADE_CONSUMER_KEY;
    public static final String ENV_BASE_URL = "SNAPTRADE_BASE_URL";
    public static final String ENV_REQUESTS_PER_MINUTE = "SNAPTRADE_REQUESTS_PER_MINUTE";
    public static final String ENV_RETRY_BUDGET_SECONDS = "SNAPTRADE_RETRY_BUDGET_SECONDS";
    public static final String ENV_CONNECT_TIMEOUT_SECONDS = "SNAPTRADE_CONNECT_TIMEOUT_SECONDS";
    public static final String ENV_READ_TIMEOUT_SECONDS = "SNAPTRADE_READ_TIMEOUT_SECONDS";
    public static final String ENV_WRITE_TIMEOUT_SECONDS = "SNAPTRADE_WRITE_TIMEOUT_SECONDS";

    public static final String DEFAULT_BASE_URL = "https://api.snaptrade.com/api/v1";
    /** Below SnapTrade's 250 per minute, leaving room for other processes sharing the client id. */
    public static final int DEFAULT_REQUESTS_PER_MINUTE = 200;
    public static final Duration DEFAULT_RETRY_BUDGET = Duration.ofSeconds(20);
    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(5);
    public static final Duration DEFAULT_READ_TIMEOUT = Duration.ofSeconds(15);
    public static final Duration DEFAULT_WRITE_TIMEOUT = Duration.ofSeconds(10);
    public static final Duration DEFAULT_INITIAL_BACKOFF = Duration.ofMillis(250);
    public static final Duration DEFAULT_MAX_BACKOFF = Duration.ofSeconds(8);
    private static final Duration MINUTE = Duration.ofMinutes(1);

    public SnapTradeSettings {
        requireText(clientId, ENV_CLIENT_ID);
        requireText(consumerKey, ENV_CONSUMER_KEY);
        requireText(baseUrl, ENV_BASE_URL);
        requirePositive(connectTimeout, "connectTimeout");
        requirePositive(readTimeout, "readTimeout");
        requirePositive(writeTimeout, "writeTimeout");
        requirePositive(window, "window");
        requirePositive(retryBudget, "retryBudget");
        requirePositive(initialBackoff, "initialBackoff");
        requirePositive(maxBackoff, "maxBackoff");
        if (requestsPerWindow < 1) {
            throw new IllegalArgumentException("requestsPerWindow must be >= 1");
        }
    }

    /** The defaults for these credentials: SnapTrade's production URL, 200 requests per minute, 20 s retry budget. */
    public static SnapTradeSettings of(String clientId, String consumerKey) {
        return new SnapTradeSettings(clientId, consumerKey, DEFAULT_BASE_URL, DEFAULT_CONNECT_TIMEOUT,
                DEFAULT_READ_TIMEOUT, DEFAULT_WRITE_TIMEOUT, DEFAULT_REQUESTS_PER_MINUTE, MINUTE,
                DEFAULT_RETRY_BUDGET, DEFAULT_INITIAL_BACKOFF, DEFAULT_MAX_BACKOFF);
    }

    /**
     * From the function's configuration: the client id and consumer key are its secrets (Secrets Manager in AWS),
     * everything else plain settings; a missing required one or an unreadable number fails with the variable's name.
     */
    public static SnapTradeSettings from(Config config) {
        EnvironmentVariables env = config.settings();
        SnapTradeSettings settings = of(config.secret(ENV_CLIENT_ID).orElse(null),
                config.secret(ENV_CONSUMER_KEY).orElse(null));
        return settings
                .withBaseUrl(env.optional(ENV_BASE_URL).orElse(DEFAULT_BASE_URL))
                .withRateLimit(env.positiveInt(ENV_REQUESTS_PER_MINUTE, DEFAULT_REQUESTS_PER_MINUTE), MINUTE)
                .withRetryBudget(Duration.ofSeconds(
                        env.positiveInt(ENV_RETRY_BUDGET_SECONDS, (int) DEFAULT_RETRY_BUDGET.toSeconds())))
                .withTimeouts(seconds(env, ENV_CONNECT_TIMEOUT_SECONDS, DEFAULT_CONNECT_TIMEOUT),
                        seconds(env, ENV_READ_TIMEOUT_SECONDS, DEFAULT_READ_TIMEOUT),
                        seconds(env, ENV_WRITE_TIMEOUT_SECONDS, DEFAULT_WRITE_TIMEOUT));
    }

    private static Duration seconds(EnvironmentVariables env, String name, Duration fallback) {
        return Duration.ofSeconds(env.positiveInt(name, (int) fallback.toSeconds()));
    }

    /** The same settings with other keys (a rotation). */
    public SnapTradeSettings withKeys(SnapTradeSdkGateway.ClientKeys keys) {
        return new SnapTradeSettings(keys.clientId(), keys.consumerKey(), baseUrl, connectTimeout, readTimeout,
                writeTimeout, requestsPerWindow, window, retryBudget, initialBackoff, maxBackoff);
    }

    public SnapTradeSettings withBaseUrl(String url) {
        return new SnapTradeSettings(clientId, consumerKey, url, connectTimeout, readTimeout, writeTimeout,
                requestsPerWindow, window, retryBudget, initialBackoff, maxBackoff);
    }

    public SnapTradeSettings withTimeouts(Duration connect, Duration read, Duration write) {
        return new SnapTradeSettings(clientId, consumerKey, baseUrl, connect, read, write,
                requestsPerWindow, window, retryBudget, initialBackoff, maxBackoff);
    }

    public SnapTradeSettings withRateLimit(int requests, Duration per) {
        return new SnapTradeSettings(clientId, consumerKey, baseUrl, connectTimeout, readTimeout, writeTimeout,
                requests, per, retryBudget, initialBackoff, maxBackoff);
    }

    public SnapTradeSettings withRetryBudget(Duration budget) {
        return new SnapTradeSettings(clientId, consumerKey, baseUrl, connectTimeout, readTimeout, writeTimeout,
                requestsPerWindow, window, budget, initialBackoff, maxBackoff);
    }

    public SnapTradeSettings withBackoff(Duration initial, Duration max) {
        return new SnapTradeSettings(clientId, consumerKey, baseUrl, connectTimeout, readTimeout, writeTimeout,
                requestsPerWindow, window, retryBudget, initial, max);
    }

    @Override
    public String toString() {
        return "SnapTradeSettings[clientId=" + clientId + ", consumerKey=***, baseUrl=" + baseUrl
                + ", timeouts(connect/read/write)=" + connectTimeout + "/" + readTimeout + "/" + writeTimeout
                + ", rateLimit=" + requestsPerWindow + " per " + window + ", retryBudget=" + retryBudget
                + ", backoff=" + initialBackoff + ".." + maxBackoff + "]";
    }

    private static void requireText(String value, String name) {
        if (value == null || value.isBlank()) {
            throw new IllegalStateException(name + " is not set");
        }
    }

    private static void requirePositive(Duration value, String name) {
        Objects.requireNonNull(value, name);
        if (value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException(name + " must be positive");
        }
    }
}
