package com.connectionkeeper.aws;

import com.connectionkeeper.core.config.Config;
import java.time.Duration;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.core.client.builder.SdkSyncClientBuilder;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.core.retry.RetryMode;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;

/**
 * What every AWS client of a function shares: the region from config, the URL-connection HTTP client (small, fast
 * to start) and bounded timeouts with the SDK's standard retries, so a sick service turns into a failure the caller
 * handles rather than a hung Lambda. Credentials and endpoints stay the SDK's defaults (the default chain, never
 * pinned to environment variables — that breaks SnapStart; the standard {@code AWS_ENDPOINT_URL_*} variables).
 */
public final class AwsClientDefaults {
    private AwsClientDefaults() {
    }

    /** Applies the defaults to a client builder and returns it. */
    public static <B extends AwsClientBuilder<B, ?> & SdkSyncClientBuilder<B, ?>> B apply(B builder,
                                                                                        Config config) {
        builder.region(Region.of(config.region()));
        builder.httpClient(UrlConnectionHttpClient.builder()
                .connectionTimeout(Duration.ofSeconds(2))
                .socketTimeout(Duration.ofSeconds(5))
                .build());
        builder.overrideConfiguration(ClientOverrideConfiguration.builder()
                .retryStrategy(RetryMode.STANDARD)
                .apiCallAttemptTimeout(Duration.ofSeconds(3))
                .apiCallTimeout(Duration.ofSeconds(8))
                .build());
        return builder;
    }
}
