package com.connectionkeeper.core.domain;

import java.time.Instant;

/**
 * One received webhook as kept in history: under its connection, or under its user when it names no connection.
 * Identified by (user, connection, event time, webhook id, event type), so a redelivery of the same webhook is recognised.
 */
public record Delivery(
        String userId,
        String connectionId,
        String webhookId,
        String eventType,
        Instant eventTime,
        Instant receivedAt,
        IngestResult result,
        String recordedJson,
        Source source) {

    public static Delivery of(WebhookEvent e, Instant receivedAt, IngestResult result) {
        return new Delivery(e.userId(), e.connectionId(), e.webhookId(), e.wireType(), e.eventTime(), receivedAt,
                result, e.recordedJson(), Source.WEBHOOK);
    }
}
