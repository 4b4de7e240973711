package com.connectionkeeper.store;

import com.connectionkeeper.core.config.Config;
import java.time.Duration;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.core.retry.RetryMode;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClientBuilder;

/**
 * Builds the one DynamoDB client a function uses: URL-connection HTTP client (small, fast to start), region from
 * config, bounded timeouts so a sick DynamoDB turns into a 500 that SnapTrade retries rather than a hung Lambda.
 * Credentials come from the default chain (never pinned to environment variables: that breaks SnapStart); against a
 * local endpoint without AWS credentials, dummy ones are used.
 */
public final class DynamoClients {
    private static final String AWS_ACCESS_KEY_ID = "AWS_ACCESS_KEY_ID";

    private DynamoClients() {
    }

    public static DynamoDbClient create(Config config) {
        DynamoDbClientBuilder builder = DynamoDbClient.builder()
                .region(Region.of(config.region()))
                .httpClient(UrlConnectionHttpClient.builder()
                        .connectionTimeout(Duration.ofSeconds(2))
                        .socketTimeout(Duration.ofSeconds(5))
                        .build())
                .overrideConfiguration(ClientOverrideConfiguration.builder()
                        .retryStrategy(RetryMode.STANDARD)
                        .apiCallAttemptTimeout(Duration.ofSeconds(3))
                        .apiCallTimeout(Duration.ofSeconds(8))
                        .build());
        config.dynamoDbEndpoint().ifPresent(endpoint -> {
            builder.endpointOverride(endpoint);
            if (config.settings().optional(AWS_ACCESS_KEY_ID).isEmpty()
                    && System.getProperty("aws.accessKeyId") == null) {
                builder.credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local")));
            }
        });
        return builder.build();
    }
}
