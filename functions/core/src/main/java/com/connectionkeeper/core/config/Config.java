package com.connectionkeeper.core.config;

import java.net.URI;
import java.util.Optional;

/**
 * A function's configuration: the one source every setting and secret is read from, built once at init (the
 * handler's no-arg constructor) and handed to whatever needs it — nothing else reads the environment. Secrets are
 * read only through {@link #secret}: in AWS they come from Secrets Manager ({@link SecretsConfig}), locally and in
 * tests from the environment ({@link EnvironmentConfig}), and the code that uses them cannot tell. A secret may change
 * while the function runs (rotation): read it where it is used, not once into a field.
 */
public interface Config {
    /** Variable names shared by every function. */
    String TABLE_NAME = "TABLE_NAME";
    String AWS_REGION = "AWS_REGION";
    String DYNAMODB_ENDPOINT = "DYNAMODB_ENDPOINT";
    String SNAPTRADE_CONSUMER_KEY = "SNAPTRADE_CONSUMER_KEY";
    /** The Secrets Manager secret (ARN or name) the function's secrets are read from; unset: the environment. */
    String CREDENTIALS_SECRET_ID = "CREDENTIALS_SECRET_ID";
    String HISTORY_RETENTION_DAYS = "HISTORY_RETENTION_DAYS";
    String EVENT_BUS_NAME = "EVENT_BUS_NAME";
    String DEFAULT_REGION = "us-east-1";
    int DEFAULT_HISTORY_RETENTION_DAYS = 400;

    /** The plain (non-secret) settings by name: the function's own settings read their values here. */
    EnvironmentVariables settings();

    /** A secret by name (e.g. {@link #SNAPTRADE_CONSUMER_KEY}); empty when unset. Never logged. */
    Optional<String> secret(String name);

    /**
     * Reads the secrets again now, because something they sign or verify was rejected (a rotated key): true when a
     * value changed, so the caller rebuilds what it made from them and tries once more. Secrets from the environment
     * never change: false.
     */
    default boolean refreshSecrets() {
        return false;
    }

    /**
     * Counts the secrets held as expired, so their next use reads them again first: a SnapStart restore resumes a
     * snapshot whose secrets may be days old. Secrets from the environment never change: nothing to do.
     */
    default void expireSecrets() {
    }

    /** A secret that must be set: fails at init, naming it, when it is not. */
    default String requiredSecret(String name) {
        return secret(name).orElseThrow(() -> new IllegalStateException(name + " is not set"));
    }

    /** DynamoDB table holding users, connections and history ({@code TABLE_NAME}). */
    default String tableName() {
        return settings().required(TABLE_NAME);
    }

    /** AWS region ({@code AWS_REGION}; Lambda always sets it; {@value #DEFAULT_REGION} for local runs). */
    default String region() {
        return settings().optional(AWS_REGION).orElse(DEFAULT_REGION);
    }

    /** Endpoint override for DynamoDB, e.g. dynalite on loopback ({@code DYNAMODB_ENDPOINT}); empty in AWS. */
    default Optional<URI> dynamoDbEndpoint() {
        return settings().optional(DYNAMODB_ENDPOINT).map(URI::create);
    }

    /** SnapTrade consumer key: signs our requests and SnapTrade's webhooks ({@code SNAPTRADE_CONSUMER_KEY}). */
    default String snapTradeConsumerKey() {
        return requiredSecret(SNAPTRADE_CONSUMER_KEY);
    }

    /** The EventBridge bus lifecycle events go to ({@code EVENT_BUS_NAME}; the template creates it). */
    default String eventBusName() {
        return settings().required(EVENT_BUS_NAME);
    }

    /** How long webhook history is kept before DynamoDB's TTL removes it ({@code HISTORY_RETENTION_DAYS}). */
    default int historyRetentionDays() {
        return settings().positiveInt(HISTORY_RETENTION_DAYS, DEFAULT_HISTORY_RETENTION_DAYS);
    }
}
