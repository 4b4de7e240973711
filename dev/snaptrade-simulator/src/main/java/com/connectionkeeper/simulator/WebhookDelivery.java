package com.connectionkeeper.simulator;

import java.time.Instant;
import java.util.List;

/**
 * A webhook the simulator sent (or, with no webhook URL configured, only recorded), as of the moment it was read.
 *
 * @param webhookId    the payload's {@code webhookId}
 * @param eventType    e.g. CONNECTION_BROKEN
 * @param userId       the payload's {@code userId}
 * @param connectionId the payload's {@code brokerageAuthorizationId}, or null
 * @param payload      the exact JSON body POSTed
 * @param signature    the {@code Signature} header sent with it
 * @param attempts     every delivery attempt so far, oldest first
 * @param status       where delivery stands
 */
public record WebhookDelivery(String webhookId, String eventType, String userId, String connectionId, String payload,
                              String signature, List<Attempt> attempts, Status status) {

    /** Delivery state: SnapTrade counts only 200, 201, 202 and 204 as delivered. */
    public enum Status {
        /** No webhook URL is configured: recorded, never sent. */
        NOT_SENT,
        /** Being sent, or waiting for a retry. */
        PENDING,
        DELIVERED,
        /** The first attempt and all 3 retries failed. */
        FAILED,
        /**
         * Lost on purpose (a share of the breaks by token expiry, {@link SimulatorConfig#lostWebhookShare()}):
         * recorded, never sent.
         */
        LOST
    }

    /**
     * One POST of the webhook.
     *
     * @param at     when it was sent
     * @param status the listener's HTTP status, or 0 when it could not be reached
     * @param error  why it could not be reached, or null
     */
    public record Attempt(Instant at, int status, String error) {
    }

    WebhookDelivery withAttempt(Attempt attempt, Status newStatus) {
        List<Attempt> all = new java.util.ArrayList<>(attempts);
        all.add(attempt);
        return new WebhookDelivery(webhookId, eventType, userId, connectionId, payload, signature, List.copyOf(all),
                newStatus);
    }
}
