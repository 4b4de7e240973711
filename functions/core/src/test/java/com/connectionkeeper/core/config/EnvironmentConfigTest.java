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
        assertThrows(IllegalStateException.class, c::snapTradeConsumerKey);
        assertThrows(IllegalStateException.class,
                () -> new EnvironmentConfig(Map.of("HISTORY_RETENTION_DAYS", "-1")).historyRetentionDays());
    }
}
