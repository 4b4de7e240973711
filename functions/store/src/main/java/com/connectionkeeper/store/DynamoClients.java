package com.connectionkeeper.store;

import com.connectionkeeper.aws.AwsClientDefaults;
import com.connectionkeeper.core.config.Config;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClientBuilder;

/**
 * Builds the one DynamoDB client a function uses, with every AWS client's defaults ({@link AwsClientDefaults}: the
 * URL-connection HTTP client, region from config, bounded timeouts so a sick DynamoDB turns into a 500 that SnapTrade
 * retries rather than a hung Lambda, credentials from the default chain). {@code DYNAMODB_ENDPOINT} points it at a
 * local endpoint; without AWS credentials, dummy ones are used there.
 */
public final class DynamoClients {
    private static final String AWS_ACCESS_KEY_ID = "AWS_ACCESS_KEY_ID";

    private DynamoClients() {
    }

    public static DynamoDbClient create(Config config) {
        DynamoDbClientBuilder builder = AwsClientDefaults.apply(DynamoDbClient.builder(), config);
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
