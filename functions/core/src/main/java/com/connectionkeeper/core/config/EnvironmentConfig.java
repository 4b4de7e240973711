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

    private final EnvironmentVariables env;

    public EnvironmentConfig(Map<String, String> env) {
        this.env = new EnvironmentVariables(env);
    }

    public static EnvironmentConfig fromSystem() {
        return new EnvironmentConfig(System.getenv());
    }

    @Override
    public String tableName() {
        return env.required(TABLE_NAME);
    }

    @Override
    public String region() {
        return env.optional(AWS_REGION).orElse(DEFAULT_REGION);
    }

    @Override
    public Optional<URI> dynamoDbEndpoint() {
        return env.optional(DYNAMODB_ENDPOINT).map(URI::create);
    }

    @Override
    public String snapTradeConsumerKey() {
        return env.required(SNAPTRADE_CONSUMER_KEY);
    }

    @Override
    public int historyRetentionDays() {
        return env.positiveInt(HISTORY_RETENTION_DAYS, DEFAULT_HISTORY_RETENTION_DAYS);
    }
}
