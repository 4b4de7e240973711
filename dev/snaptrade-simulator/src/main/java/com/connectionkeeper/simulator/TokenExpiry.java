package com.connectionkeeper.simulator;

import java.time.Instant;

/**
 * A connection the simulator broke because its access token expired: the ground truth a detection benchmark compares
 * against.
 *
 * @param connectionId the connection (brokerageAuthorizationId)
 * @param userId       its owner
 * @param brokerageSlug its brokerage
 * @param brokeAt      when the token expired: the connection's {@code disabled_date} and the webhook's
 *                     {@code eventTimestamp}
 * @param webhookLost  true when its CONNECTION_BROKEN webhook was lost (never sent; see
 *                     {@link SimulatorConfig#lostWebhookShare()})
 * @param webhookId    that webhook's {@code webhookId} (in {@link WebhookLog}, status LOST when lost)
 */
public record TokenExpiry(String connectionId, String userId, String brokerageSlug, Instant brokeAt,
                          boolean webhookLost, String webhookId) {
}
