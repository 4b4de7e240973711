package com.connectionkeeper.core.model;

import java.time.Instant;

/**
 * One received webhook as kept in history: under its connection, or under its user when it names no connection.
 * Identified by (user, connection, event time, webhook id, event type), so a redelivery of the same webhook is recognised.
 */
public record HistoryEntry(
        String userId,
        String connectionId,
        String webhookId,
        String eventType,
        Instant eventTime,
        Instant receivedAt,
        IngestResult result,
        String recordedJson,
        Source source) {

    public static HistoryEntry of(WebhookEvent e, Instant receivedAt, IngestResult result) {
        return new HistoryEntry(e.userId(), e.connectionId(), e.webhookId(), e.wireType(), e.eventTime(), receivedAt,
                result, e.recordedJson(), Source.WEBHOOK);
    }
}
