package com.connectionkeeper.core.config;

import java.net.URI;
import java.util.Map;
import java.util.Optional;

/** {@link Config} from environment variables; a missing required variable fails at init with its name. */
public final class EnvironmentConfig implements Config {
    public static final String TABLE_NAME = "TABLE_NAME";
    public static final String AWS_REGION = "AWS_REGION";
    public static final String DYNAMODB_ENDPOINT = "DYNAMODB_ENDPOINT";
    public static final String SNAPTRADE_CONSUMER_KEY = "SNAPTRADE_CONSUMER_KEY";
    public static final String HISTORY_RETENTION_DAYS = "HISTORY_RETENTION_DAYS";
    static final String DEFAULT_REGION = "us-east-1";
    static final int DEFAULT_HISTORY_RETENTION_DAYS = 400;

    private final Map<String, String> env;

    public EnvironmentConfig(Map<String, String> env) {
        this.env = Map.copyOf(env);
    }

    public static EnvironmentConfig fromSystem() {
        return new EnvironmentConfig(System.getenv());
    }

    @Override
    public String tableName() {
        return required(TABLE_NAME);
    }

    @Override
    public String region() {
        return optional(AWS_REGION).orElse(DEFAULT_REGION);
    }

    @Override
    public Optional<URI> dynamoDbEndpoint() {
        return optional(DYNAMODB_ENDPOINT).map(URI::create);
    }

    @Override
    public String snapTradeConsumerKey() {
        return required(SNAPTRADE_CONSUMER_KEY);
    }

    @Override
    public int historyRetentionDays() {
        String days = optional(HISTORY_RETENTION_DAYS).orElse(null);
        if (days == null) {
            return DEFAULT_HISTORY_RETENTION_DAYS;
        }
        try {
            int n = Integer.parseInt(days.trim());
            if (n > 0) {
                return n;
            }
        } catch (NumberFormatException ignored) {
            // reported below
        }
        throw new IllegalStateException(HISTORY_RETENTION_DAYS + " must be a positive number of days");
    }

    private Optional<String> optional(String name) {
        return Optional.ofNullable(env.get(name)).map(String::trim).filter(v -> !v.isEmpty());
    }

    private String required(String name) {
        return optional(name).orElseThrow(
                () -> new IllegalStateException("environment variable " + name + " is not set"));
    }
}
