package com.connectionkeeper.simulator;

import com.connectionkeeper.signature.CanonicalJson;
import com.connectionkeeper.signature.WebhookVerifier;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Builds, signs and POSTs SnapTrade-shaped webhooks asynchronously; a status other than 200/201/202/204 is retried
 * at most 3 times, after the configured first delay and then doubling (SnapTrade: from 30 minutes).
 */
final class WebhookSender {
    static final int MAX_RETRIES = 3;
    /** The deprecated per-client secret SnapTrade still puts in every payload. */
    static final String WEBHOOK_SECRET = "simulator-webhook-secret";
    private static final Set<Integer> DELIVERED = Set.of(200, 201, 202, 204);
    private static final Duration SEND_TIMEOUT = Duration.ofSeconds(10);

    private final SimulatorConfig config;
    private final WebhookVerifier signer;
    private final WebhookLog log;
    private final ScheduledExecutorService scheduler;
    private final HttpClient http;

    WebhookSender(SimulatorConfig config, WebhookLog log, ScheduledExecutorService scheduler) {
        this.config = config;
        this.signer = new WebhookVerifier(config.consumerKey());
        this.log = log;
        this.scheduler = scheduler;
        this.http = HttpClient.newBuilder().connectTimeout(SEND_TIMEOUT).build();
    }

    /** Records the webhook for {@code event}, stamped now, and starts delivering it; returns at once. */
    WebhookDelivery send(SimulatedWebhookEvent event) {
        return send(event, config.clock().instant());
    }

    /** Records the webhook for {@code event}, which happened {@code at}, and starts delivering it; returns at once. */
    WebhookDelivery send(SimulatedWebhookEvent event, Instant at) {
        WebhookDelivery delivery = record(event, at,
                config.webhookUrl() == null ? WebhookDelivery.Status.NOT_SENT : WebhookDelivery.Status.PENDING);
        if (config.webhookUrl() != null) {
            scheduler.schedule(() -> attempt(delivery.webhookId(), 0), config.webhookDelay().toNanos(),
                    TimeUnit.NANOSECONDS);
        }
        return delivery;
    }

    /** Records the webhook for {@code event}, which happened {@code at}, as lost: it is never sent. */
    WebhookDelivery lose(SimulatedWebhookEvent event, Instant at) {
        return record(event, at, WebhookDelivery.Status.LOST);
    }

    private WebhookDelivery record(SimulatedWebhookEvent event, Instant at, WebhookDelivery.Status status) {
        ObjectNode payload = Json.object()
                .put("webhookId", UUID.randomUUID().toString())
                .put("clientId", config.clientId())
                .put("eventTimestamp", Json.time(at))
                .put("userId", event.userId())
                .put("eventType", event.eventType())
                .put("webhookSecret", WEBHOOK_SECRET);
        if (event.connectionId() != null) {
            payload.put("brokerageAuthorizationId", event.connectionId()).put("brokerageId", event.brokerageId());
        }
        String body = Json.write(payload);
        WebhookDelivery delivery = new WebhookDelivery(payload.get("webhookId").asText(), event.eventType(),
                event.userId(), event.connectionId(), body, signer.sign(CanonicalJson.canonicalize(body)), List.of(),
                status);
        log.put(delivery);
        return delivery;
    }

    private void attempt(String webhookId, int retry) {
        WebhookDelivery delivery = log.get(webhookId);
        if (delivery == null) {
            return; // the log was cleared
        }
        WebhookDelivery.Attempt attempt = post(config.webhookUrl(), delivery);
        boolean delivered = DELIVERED.contains(attempt.status());
        boolean retriesLeft = retry < MAX_RETRIES;
        log.put(delivery.withAttempt(attempt, delivered ? WebhookDelivery.Status.DELIVERED
                : retriesLeft ? WebhookDelivery.Status.PENDING : WebhookDelivery.Status.FAILED));
        if (!delivered && retriesLeft) {
            long delayNanos = config.webhookFirstRetry().toNanos() << retry;
            scheduler.schedule(() -> attempt(webhookId, retry + 1), delayNanos, TimeUnit.NANOSECONDS);
        }
    }

    private WebhookDelivery.Attempt post(URI url, WebhookDelivery delivery) {
        HttpRequest request = HttpRequest.newBuilder(url)
                .timeout(SEND_TIMEOUT)
                .header("Content-Type", "application/json")
                .header("Signature", delivery.signature())
                .POST(HttpRequest.BodyPublishers.ofString(delivery.payload()))
                .build();
        Instant at = config.clock().instant();
        try {
            int status = http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
            return new WebhookDelivery.Attempt(at, status, null);
        } catch (IOException e) {
            return new WebhookDelivery.Attempt(at, 0, e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new WebhookDelivery.Attempt(at, 0, "interrupted");
        }
    }
}
