package com.connectionkeeper.simulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.connectionkeeper.signature.WebhookVerifier;
import com.connectionkeeper.testkit.Integration;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** Webhooks reach a listener signed as SnapTrade signs them, and failed deliveries are retried 3 times. */
@Integration
class WebhookTest {
    private static final WebhookVerifier VERIFIER = new WebhookVerifier(Sdk.CONSUMER_KEY);
    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final String MICROSECONDS_UTC = "\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{6}\\+00:00";

    @Test
    void everyChangeIsAnnouncedSignedAndShapedAsSnapTradesWebhooks() throws Exception {
        try (WebhookReceiver receiver = new WebhookReceiver(200);
             SnapTradeSimulator sim = SnapTradeSimulator.start(Sdk.config().webhookUrl(receiver.url()).build())) {
            sim.control().seedUser("alice");
            String id = sim.control().addConnection("alice", "ALPACA", "trade");
            sim.control().breakConnection(id);
            sim.control().fixConnection(id);
            sim.control().deleteConnection(id);
            sim.control().deleteUser("alice");

            List<WebhookReceiver.Received> received = receiver.await(6, WAIT);
            assertEquals(Set.of("USER_REGISTERED", "CONNECTION_ADDED", "CONNECTION_BROKEN", "CONNECTION_FIXED",
                    "CONNECTION_DELETED", "USER_DELETED"), received.stream()
                    .map(r -> json(r.body()).path("eventType").asText()).collect(Collectors.toSet()));
            for (WebhookReceiver.Received r : received) {
                assertEquals(WebhookVerifier.Verdict.VALID,
                        VERIFIER.verify(r.body().getBytes(StandardCharsets.UTF_8), r.signature()), r.body());
                JsonNode payload = json(r.body());
                UUID.fromString(payload.path("webhookId").asText());
                assertEquals(Sdk.CLIENT_ID, payload.path("clientId").asText());
                assertEquals("alice", payload.path("userId").asText());
                assertTrue(payload.path("eventTimestamp").asText().matches(MICROSECONDS_UTC), r.body());
                assertEquals(WebhookSender.WEBHOOK_SECRET, payload.path("webhookSecret").asText());
                if (payload.path("eventType").asText().startsWith("CONNECTION_")) {
                    assertEquals(id, payload.path("brokerageAuthorizationId").asText());
                    assertEquals(Brokerage.of("ALPACA").id(), payload.path("brokerageId").asText());
                } else {
                    assertTrue(payload.path("brokerageAuthorizationId").isMissingNode());
                }
            }
            awaitSettled(sim, 6);
            sim.webhooks().all().forEach(d -> {
                assertEquals(WebhookDelivery.Status.DELIVERED, d.status());
                assertEquals(1, d.attempts().size());
            });
        }
    }

    @Test
    void aChangedBodyNoLongerVerifies() throws Exception {
        try (WebhookReceiver receiver = new WebhookReceiver(200);
             SnapTradeSimulator sim = SnapTradeSimulator.start(Sdk.config().webhookUrl(receiver.url()).build())) {
            sim.control().seedUser("alice");
            WebhookReceiver.Received r = receiver.await(1, WAIT).get(0);
            byte[] changed = r.body().replace("alice", "alicf").getBytes(StandardCharsets.UTF_8);
            assertNotEquals(WebhookVerifier.Verdict.VALID, VERIFIER.verify(changed, r.signature()));
        }
    }

    /** SnapTrade's own latency, when asked for: the first attempt goes out that long after the event. */
    @Test
    void aWebhookDelayHoldsTheFirstAttempt() throws Exception {
        try (WebhookReceiver receiver = new WebhookReceiver(200);
             SnapTradeSimulator sim = SnapTradeSimulator.start(Sdk.config().webhookUrl(receiver.url())
                     .webhookDelay(Duration.ofMillis(400)).build())) {
            long sent = System.nanoTime();
            sim.control().seedUser("alice");
            assertEquals(List.of(), receiver.await(1, Duration.ofMillis(200)), "not yet");
            List<WebhookReceiver.Received> received = receiver.await(1, WAIT);
            assertEquals(1, received.size());
            assertTrue(received.get(0).nanoTime() - sent >= Duration.ofMillis(400).toNanos());
        }
    }

    @Test
    void aFailingListenerGetsTheSameWebhookThreeMoreTimesWithGrowingPauses() throws Exception {
        try (WebhookReceiver receiver = new WebhookReceiver(500);
             SnapTradeSimulator sim = SnapTradeSimulator.start(Sdk.config().webhookUrl(receiver.url())
                     .webhookFirstRetry(Duration.ofMillis(50)).build())) {
            sim.control().seedUser("alice");

            List<WebhookReceiver.Received> received = receiver.await(4, WAIT);
            assertEquals(4, received.size());
            assertEquals(1, received.stream().map(WebhookReceiver.Received::body).distinct().count());
            assertEquals(1, received.stream().map(WebhookReceiver.Received::signature).distinct().count());
            for (int retry = 1; retry <= 3; retry++) {
                long pause = received.get(retry).nanoTime() - received.get(retry - 1).nanoTime();
                long expected = Duration.ofMillis(50).toNanos() << (retry - 1);
                assertTrue(pause >= expected, "retry " + retry + " after " + pause + " ns");
            }
            WebhookDelivery delivery = awaitSettled(sim, 1).get(0);
            assertEquals(WebhookDelivery.Status.FAILED, delivery.status());
            assertEquals(List.of(500, 500, 500, 500),
                    delivery.attempts().stream().map(WebhookDelivery.Attempt::status).toList());
            Thread.sleep(500);
            assertEquals(4, receiver.await(5, Duration.ZERO).size(), "no fifth attempt");
        }
    }

    @Test
    void aRetryThatSucceedsEndsTheRetries() throws Exception {
        try (WebhookReceiver receiver = new WebhookReceiver(500, 503, 204);
             SnapTradeSimulator sim = SnapTradeSimulator.start(Sdk.config().webhookUrl(receiver.url())
                     .webhookFirstRetry(Duration.ofMillis(10)).build())) {
            sim.control().seedUser("alice");
            WebhookDelivery delivery = awaitSettled(sim, 1).get(0);
            assertEquals(WebhookDelivery.Status.DELIVERED, delivery.status());
            assertEquals(List.of(500, 503, 204),
                    delivery.attempts().stream().map(WebhookDelivery.Attempt::status).toList());
        }
    }

    @Test
    void anUnreachableListenerCountsAsFailedAttempts() throws Exception {
        URI closed;
        try (WebhookReceiver gone = new WebhookReceiver(200)) {
            closed = gone.url();
        }
        try (SnapTradeSimulator sim = SnapTradeSimulator.start(Sdk.config().webhookUrl(closed)
                .webhookFirstRetry(Duration.ofMillis(5)).build())) {
            sim.control().seedUser("alice");
            WebhookDelivery delivery = awaitSettled(sim, 1).get(0);
            assertEquals(WebhookDelivery.Status.FAILED, delivery.status());
            assertEquals(4, delivery.attempts().size());
            delivery.attempts().forEach(a -> {
                assertEquals(0, a.status());
                assertTrue(a.error() != null && !a.error().isBlank());
            });
        }
    }

    @Test
    void withoutAWebhookUrlWebhooksAreOnlyRecorded() throws Exception {
        try (SnapTradeSimulator sim = SnapTradeSimulator.start(Sdk.config().build())) {
            sim.control().seedUser("alice");
            WebhookDelivery delivery = sim.webhooks().all().get(0);
            assertEquals(WebhookDelivery.Status.NOT_SENT, delivery.status());
            assertEquals(List.of(), delivery.attempts());
            assertNull(delivery.connectionId());
            assertEquals(WebhookDelivery.Status.NOT_SENT, sim.webhooks()
                    .await(d -> d.eventType().equals("USER_REGISTERED"), Duration.ZERO).orElseThrow().status());
        }
    }

    /** The first {@code count} webhooks once none is pending any more. */
    private static List<WebhookDelivery> awaitSettled(SnapTradeSimulator sim, int count) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (System.nanoTime() < deadline) {
            List<WebhookDelivery> all = sim.webhooks().all();
            if (all.size() >= count && all.stream().noneMatch(d -> d.status() == WebhookDelivery.Status.PENDING)) {
                return all;
            }
            Thread.sleep(10);
        }
        throw new AssertionError("webhooks still pending: " + sim.webhooks().all());
    }

    private static JsonNode json(String body) {
        try {
            return Json.MAPPER.readTree(body);
        } catch (IOException e) {
            throw new AssertionError(body, e);
        }
    }
}
