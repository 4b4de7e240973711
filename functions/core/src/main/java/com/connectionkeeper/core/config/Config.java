package com.connectionkeeper.core.config;

import java.net.URI;
import java.util.Optional;

/**
 * The functions' configuration. Read from the environment today ({@link EnvironmentConfig}); in AWS the consumer key
 * will come from Secrets Manager behind this same interface.
 */
public interface Config {
    /** DynamoDB table holding users, connections and history ({@code TABLE_NAME}). */
    String tableName();

    /** AWS region ({@code AWS_REGION}; Lambda always sets it). */
    String region();

    /** Endpoint override for DynamoDB, e.g. dynalite on loopback ({@code DYNAMODB_ENDPOINT}); empty in AWS. */
    Optional<URI> dynamoDbEndpoint();

    /** SnapTrade consumer key: signs webhooks ({@code SNAPTRADE_CONSUMER_KEY}). */
    String snapTradeConsumerKey();

    /** How long webhook history is kept before DynamoDB's TTL removes it ({@code HISTORY_RETENTION_DAYS}). */
    int historyRetentionDays();
}
