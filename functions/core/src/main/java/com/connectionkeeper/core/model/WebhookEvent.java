package com.connectionkeeper.core.model;

import java.time.Instant;
import java.util.Optional;

/**
 * One SnapTrade webhook as the domain sees it: who, what, when, which connection.
 *
 * @param webhookId      SnapTrade's id of this notification; retries of it carry the same id
 * @param userId         the SnapTrade user id
 * @param type           the known type, or {@link EventType#UNKNOWN}
 * @param wireType       the type exactly as SnapTrade sent it
 * @param eventTime      {@code eventTimestamp}
 * @param connectionId   {@code brokerageAuthorizationId} (or {@code connectionId} for OAuth apps); null if absent
 * @param brokerageId    {@code brokerageId}; null if absent
 * @param attemptResult  {@code connectionAttemptedResult}; null if absent
 * @param recordedJson   the payload as JSON with {@code webhookSecret} removed, for history
 */
public record WebhookEvent(
        String webhookId,
        String userId,
        EventType type,
        String wireType,
        Instant eventTime,
        String connectionId,
        String brokerageId,
        String attemptResult,
        String recordedJson) {

    public Optional<String> connection() {
        return Optional.ofNullable(connectionId);
    }

    /** This event's place in the timeline of the connection or user it concerns. */
    public Watermark watermark() {
        return Watermark.of(eventTime, type.tiePrecedence(), webhookId);
    }
}
