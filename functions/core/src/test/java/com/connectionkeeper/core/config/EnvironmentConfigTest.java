package com.connectionkeeper.core.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EnvironmentConfigTest {
    @Test
    void readsEveryVariable() {
        Config c = new EnvironmentConfig(Map.of("TABLE_NAME", "t", "AWS_REGION", "eu-west-1",
                "DYNAMODB_ENDPOINT", "http://127.0.0.1:4567", "SNAPTRADE_CONSUMER_KEY", "k",
                "HISTORY_RETENTION_DAYS", "30"));
        assertEquals("t", c.tableName());
        assertEquals("eu-west-1", c.region());
        assertEquals(URI.create("http://127.0.0.1:4567"), c.dynamoDbEndpoint().orElseThrow());
        assertEquals("k", c.snapTradeConsumerKey());
        assertEquals(30, c.historyRetentionDays());
    }

    @Test
    void defaultsAndMissingValues() {
        Config c = new EnvironmentConfig(Map.of("TABLE_NAME", " ", "DYNAMODB_ENDPOINT", ""));
        assertEquals("us-east-1", c.region());
        assertFalse(c.dynamoDbEndpoint().isPresent());
        assertEquals(400, c.historyRetentionDays());
        IllegalStateException e = assertThrows(IllegalStateException.class, c::tableName);
        assertTrue(e.getMessage().contains("TABLE_NAME"));
        IllegalStateException key = assertThrows(IllegalStateException.class, c::snapTradeConsumerKey);
        assertEquals("environment variable SNAPTRADE_CONSUMER_KEY is not set", key.getMessage());
        assertThrows(IllegalStateException.class,
                () -> new EnvironmentConfig(Map.of("HISTORY_RETENTION_DAYS", "-1")).historyRetentionDays());
    }

    /** Every secret goes through secret(): a Config that holds its secrets elsewhere changes nothing else. */
    @Test
    void secretsComeOnlyThroughTheSecretSeam() {
        Map<String, String> asked = new java.util.TreeMap<>();
        Config elsewhere = new Config() {
            private final EnvironmentVariables plain = new EnvironmentVariables(Map.of("TABLE_NAME", "t",
                    "SNAPTRADE_CONSUMER_KEY", "from-the-environment"));

            @Override
            public EnvironmentVariables settings() {
                return plain;
            }

            @Override
            public java.util.Optional<String> secret(String name) {
                asked.put(name, "asked");
                return name.equals("SNAPTRADE_CONSUMER_KEY") ? java.util.Optional.of("from-the-vault")
                        : java.util.Optional.empty();
            }
        };
        assertEquals("from-the-vault", elsewhere.snapTradeConsumerKey());
        assertEquals(Map.of("SNAPTRADE_CONSUMER_KEY", "asked"), asked);
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> elsewhere.requiredSecret("RECONNECT_STATE_KEY"));
        assertEquals("RECONNECT_STATE_KEY is not set", e.getMessage());
    }
}
