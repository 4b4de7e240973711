package com.connectionkeeper.bench;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.connectionkeeper.core.model.Watermark;
import com.connectionkeeper.testkit.HttpApiInvoker;
import com.connectionkeeper.webhook.WebhookHandler;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest;

/** Section 2: warm handler time per hot-path webhook vs the same DynamoDB requests sent bare, interleaved. */
final class HandlerVsBare {
    /** Largest acceptable handler / bare ratio of median per-call times. */
    static final double RATIO_TARGET = Targets.WARM_RATIO;
    /** The medians of the last {@link #run}, ms per call: the handler, the bare calls. */
    private double handlerMedian;
    private double bareMedian;
    private static final String APPLIED = "{\"result\":\"applied\"}";

    private final WebhookHandler handler;
    private final DynamoDbClient client;
    private final RequestCounter counter;
    private final Webhooks webhooks;
    /** The events as Lambda's runtime streams them to the handler. */
    private byte[][] events;
    private UpdateItemRequest[][] bare;
    private long[] handlerNanos;
    private long[] bareNanos;

    HandlerVsBare(WebhookHandler handler, DynamoDbClient client, RequestCounter counter, Webhooks webhooks) {
        this.handler = handler;
        this.client = client;
        this.counter = counter;
        this.webhooks = webhooks;
    }

    String run(int warmup, int measured, int block) {
        String user = Webhooks.id();
        String known = Webhooks.id();
        check(HttpApiInvoker.invoke(handler, webhooks.event("CONNECTION_ADDED", user, known)));
        Template broken = capture("CONNECTION_BROKEN", user, known);
        Template fixed = capture("CONNECTION_FIXED", user, known);

        // everything sent is built up front: fresh ids, later timestamps, so each webhook and replay is applied
        int total = warmup + measured;
        String bareConnection = Webhooks.id();
        events = new byte[total][];
        bare = new UpdateItemRequest[total][];
        for (int i = 0; i < total; i++) {
            Template t = i % 2 == 0 ? broken : fixed;
            events[i] = HttpApiInvoker.json(
                    webhooks.event(webhooks.body(Webhooks.id(), t.type(), user, known, webhooks.next())));
            bare[i] = t.replay(Webhooks.id(), bareConnection, webhooks.next());
        }
        handlerNanos = new long[total];
        bareNanos = new long[total];
        runBlocks(0, warmup, block);
        counter.reset();
        runBlocks(warmup, total, block);
        int perCall = broken.requests().size();
        if (counter.total() != 2 * perCall * measured || counter.failed() > 0) {
            throw new IllegalStateException("expected " + perCall + " applied requests per call on both paths, got "
                    + counter.breakdown() + " for " + measured + " calls each");
        }

        Stats h = Stats.ofNanos(Arrays.copyOfRange(handlerNanos, warmup, total));
        Stats b = Stats.ofNanos(Arrays.copyOfRange(bareNanos, warmup, total));
        double ratio = h.median() / b.median();
        handlerMedian = h.median();
        bareMedian = b.median();
        return String.format("| path | calls timed | median ms/call | p90 ms/call |%n|---|---:|---:|---:|%n"
                        + "| `WebhookHandler.handleRequest` (event bytes in, response bytes out; BROKEN/FIXED alternating, known"
                        + " connection)"
                        + " | %d | %.3f | %.3f |%n"
                        + "| bare `client.updateItem` ×%d (the same requests, replayed) | %d | %.3f | %.3f |%n"
                        + "| **ratio handler / bare** (target ≤ %.1f: %s) | | **%.2f** | %.2f |%n"
                        + "| handler's own time (handler − bare) | | %.3f | |%n%n"
                        + "Warm-up %d + %d calls per path, interleaved in blocks of %d (order alternating per block). "
                        + "Requests per hot-path call, checked over the timed run: %s.%n",
                h.n(), h.median(), h.p90(), perCall, b.n(), b.median(), b.p90(), RATIO_TARGET,
                ratio <= RATIO_TARGET ? "met" : "**MISSED**", ratio, h.p90() / b.p90(), h.median() - b.median(),
                warmup, measured, block, requestsPerCall(broken));
    }

    /** Median ms per warm webhook through the handler, once {@link #run} returned. */
    double handlerMedian() {
        return handlerMedian;
    }

    /** Median ms of the same requests sent bare, once {@link #run} returned. */
    double bareMedian() {
        return bareMedian;
    }

    /** Sends one webhook through the handler and keeps the requests it made. */
    private Template capture(String type, String user, String connection) {
        String webhookId = Webhooks.id();
        Instant time = webhooks.next();
        counter.reset();
        check(HttpApiInvoker.invoke(handler, webhooks.event(webhooks.body(webhookId, type, user, connection, time))));
        List<UpdateItemRequest> requests = counter.sent().stream()
                .filter(UpdateItemRequest.class::isInstance).map(UpdateItemRequest.class::cast).toList();
        if (requests.size() != counter.total()) {
            throw new IllegalStateException("the hot path now makes " + counter.breakdown()
                    + "; only UpdateItem can be replayed bare");
        }
        return new Template(type, webhookId, connection, time, requests);
    }

    private void runBlocks(int from, int to, int block) {
        for (int start = from; start < to; start += block) {
            int end = Math.min(start + block, to);
            if ((start - from) / block % 2 == 0) {
                timeHandler(start, end);
                timeBare(start, end);
            } else {
                timeBare(start, end);
                timeHandler(start, end);
            }
        }
    }

    private void timeHandler(int from, int to) {
        try {
            for (int i = from; i < to; i++) {
                ByteArrayOutputStream out = new ByteArrayOutputStream(128);
                long t0 = System.nanoTime();
                handler.handleRequest(new ByteArrayInputStream(events[i]), out, null);
                handlerNanos[i] = System.nanoTime() - t0;
                check(HttpApiInvoker.response(out.toByteArray()));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void timeBare(int from, int to) {
        for (int i = from; i < to; i++) {
            long t0 = System.nanoTime();
            for (UpdateItemRequest request : bare[i]) {
                client.updateItem(request);
            }
            bareNanos[i] = System.nanoTime() - t0;
        }
    }

    private static void check(APIGatewayV2HTTPResponse response) {
        if (response.getStatusCode() != 200 || !APPLIED.equals(response.getBody())) {
            throw new IllegalStateException("webhook not applied: " + response.getStatusCode() + " " + response.getBody());
        }
    }

    private static String requestsPerCall(Template t) {
        return t.requests().stream().map(r -> "UpdateItem " + r.key().get("sk").s().split("#")[0] + "#…")
                .collect(Collectors.joining(" + "));
    }

    /** One webhook's requests, and what in them names that webhook, so they can be replayed as another one. */
    private record Template(String type, String webhookId, String connectionId, Instant time,
                            List<UpdateItemRequest> requests) {

        /** The same requests for another webhook id, connection and (later) time: their conditions pass again. */
        UpdateItemRequest[] replay(String newWebhookId, String newConnectionId, Instant newTime) {
            Map<String, String> swaps = Map.of(webhookId, newWebhookId, connectionId, newConnectionId,
                    Watermark.timeKey(time), Watermark.timeKey(newTime), time.toString(), newTime.toString());
            return requests.stream()
                    .map(r -> r.toBuilder()
                            .key(swap(r.key(), swaps))
                            .expressionAttributeValues(swap(r.expressionAttributeValues(), swaps))
                            .build())
                    .toArray(UpdateItemRequest[]::new);
        }

        private static Map<String, AttributeValue> swap(Map<String, AttributeValue> values, Map<String, String> swaps) {
            return values.entrySet().stream().collect(Collectors.toMap(Map.Entry::getKey, e -> {
                String s = e.getValue().s();
                if (s == null) {
                    return e.getValue();
                }
                for (Map.Entry<String, String> swap : swaps.entrySet()) {
                    s = s.replace(swap.getKey(), swap.getValue());
                }
                return AttributeValue.fromS(s);
            }));
        }
    }
}
