package com.connectionkeeper.snaptrade;

import com.snaptrade.client.ApiClient;
import com.snaptrade.client.Configuration;
import com.snaptrade.client.Snaptrade;
import java.time.Duration;

/** Builds the one SDK client: credentials, host, and explicit timeouts on the OkHttp client all API groups share. */
final class SnapTradeClients {
    private SnapTradeClients() {
    }

    static Snaptrade create(SnapTradeSettings settings) {
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
                .build());
        return snaptrade;
    }

    /** One attempt at most: connect, write and read in turn (OkHttp's own default is unbounded). */
    private static Duration callTimeout(SnapTradeSettings settings) {
        return settings.connectTimeout().plus(settings.writeTimeout()).plus(settings.readTimeout());
    }
}
