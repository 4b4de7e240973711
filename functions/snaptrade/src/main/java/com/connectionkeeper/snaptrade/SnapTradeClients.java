package com.connectionkeeper.snaptrade;

import com.snaptrade.client.ApiClient;
import com.snaptrade.client.Configuration;
import com.snaptrade.client.Snaptrade;
import java.time.Duration;
import java.util.function.BiConsumer;
import okhttp3.Response;

/** Builds the one SDK client: credentials, host, and explicit timeouts on the OkHttp client all API groups share. */
final class SnapTradeClients {
    private SnapTradeClients() {
    }

    static Snaptrade create(SnapTradeSettings settings) {
        return create(settings, (remaining, reset) -> { });
    }

    /**
     * The client, telling {@code rateLimit} what each answer's {@code X-RateLimit-Remaining} and
     * {@code X-RateLimit-Reset} say (answers without them, or with unreadable ones, tell nothing).
     */
    static Snaptrade create(SnapTradeSettings settings, BiConsumer<Integer, Duration> rateLimit) {
        Configuration configuration = new Configuration();
        configuration.clientId = settings.clientId();
        configuration.consumerKey = settings.consumerKey();
        configuration.host = settings.baseUrl();
        Snaptrade snaptrade = new Snaptrade(configuration);
        ApiClient shared = snaptrade.connections.getApiClient();
        shared.setHttpClient(shared.getHttpClient().newBuilder()
                .connectTimeout(settings.connectTimeout())
                .readTimeout(settings.readTimeout())
                .writeTimeout(settings.writeTimeout())
                .callTimeout(callTimeout(settings))
                .retryOnConnectionFailure(false)
                .addNetworkInterceptor(chain -> {
                    Response response = chain.proceed(chain.request());
                    report(response, rateLimit);
                    return response;
                })
                .build());
        return snaptrade;
    }

    private static void report(Response response, BiConsumer<Integer, Duration> rateLimit) {
        String remaining = response.header("X-RateLimit-Remaining");
        if (remaining == null) {
            return;
        }
        try {
            String reset = response.header("X-RateLimit-Reset");
            rateLimit.accept(Integer.parseInt(remaining.trim()),
                    Duration.ofSeconds(reset == null ? 0 : Math.max(0, Long.parseLong(reset.trim()))));
        } catch (NumberFormatException unreadable) {
            // a header we cannot read tells us nothing
        }
    }

    /** One attempt at most: connect, write and read in turn (OkHttp's own default is unbounded). */
    private static Duration callTimeout(SnapTradeSettings settings) {
        return settings.connectTimeout().plus(settings.writeTimeout()).plus(settings.readTimeout());
    }
}
