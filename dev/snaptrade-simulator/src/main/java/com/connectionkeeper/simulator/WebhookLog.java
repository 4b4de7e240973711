package com.connectionkeeper.simulator;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;

/** Every webhook the simulator produced, in creation order, with its delivery progress; thread-safe. */
public final class WebhookLog {
    private final Map<String, WebhookDelivery> deliveries = new LinkedHashMap<>();

    synchronized void put(WebhookDelivery delivery) {
        deliveries.put(delivery.webhookId(), delivery);
        notifyAll();
    }

    synchronized WebhookDelivery get(String webhookId) {
        return deliveries.get(webhookId);
    }

    public synchronized List<WebhookDelivery> all() {
        return List.copyOf(deliveries.values());
    }

    public synchronized List<WebhookDelivery> ofType(String eventType) {
        return deliveries.values().stream().filter(d -> d.eventType().equals(eventType)).toList();
    }

    /** Waits up to {@code timeout} for a webhook matching {@code condition} (e.g. delivered, of a type). */
    public synchronized Optional<WebhookDelivery> await(Predicate<WebhookDelivery> condition, Duration timeout)
            throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            Optional<WebhookDelivery> match = deliveries.values().stream().filter(condition).findFirst();
            long left = deadline - System.nanoTime();
            if (match.isPresent() || left <= 0) {
                return match;
            }
            wait(Math.max(1, left / 1_000_000));
        }
    }

    public synchronized void clear() {
        deliveries.clear();
    }
}
