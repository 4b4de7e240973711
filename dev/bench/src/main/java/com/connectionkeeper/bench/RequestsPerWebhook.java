package com.connectionkeeper.bench;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.connectionkeeper.testkit.HttpApiInvoker;
import com.connectionkeeper.webhook.WebhookHandler;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Section 1: DynamoDB requests one webhook costs, for each kind of webhook, counted by {@link RequestCounter}. */
final class RequestsPerWebhook {
    /** Most requests the hot path (BROKEN / FIXED on a known connection) may make. */
    static final int HOT_PATH_TARGET = Targets.HOT_PATH_REQUESTS;

    private final WebhookHandler handler;
    private final RequestCounter counter;
    private final Webhooks webhooks;
    private final ObjectMapper json = new ObjectMapper();
    private final List<String> rows = new ArrayList<>();
    private int hotPathMax;

    RequestsPerWebhook(WebhookHandler handler, RequestCounter counter, Webhooks webhooks) {
        this.handler = handler;
        this.counter = counter;
        this.webhooks = webhooks;
    }

    String run() {
        String user = Webhooks.id();
        measure("first-seen connection (CONNECTION_BROKEN)", webhooks.event("CONNECTION_BROKEN", user, Webhooks.id()),
                false);

        String known = Webhooks.id();
        send(webhooks.event("CONNECTION_ADDED", user, known));
        Instant broken = webhooks.next();
        measure("**hot path**: CONNECTION_BROKEN, known connection",
                webhooks.event(webhooks.body(Webhooks.id(), "CONNECTION_BROKEN", user, known, broken)), true);
        APIGatewayV2HTTPEvent fixed = webhooks.event("CONNECTION_FIXED", user, known);
        measure("**hot path**: CONNECTION_FIXED, known connection", fixed, true);
        measure("duplicate (the FIXED webhook again)", fixed, false);
        measure("stale (BROKEN older than the FIXED)", webhooks.event(webhooks.body(Webhooks.id(), "CONNECTION_BROKEN",
                user, known, broken.plusMillis(500))), false);
        measure("account event (ACCOUNT_HOLDINGS_UPDATED)", webhooks.event("ACCOUNT_HOLDINGS_UPDATED", user, known),
                false);
        measure("user event (USER_REGISTERED)", webhooks.event("USER_REGISTERED", user, null), false);
        for (int n : new int[] {0, 1, 5, 20}) {
            String doomed = Webhooks.id();
            for (int i = 0; i < n; i++) {
                send(webhooks.event("CONNECTION_ADDED", doomed, Webhooks.id()));
            }
            measure("USER_DELETED, user with " + n + " connection" + (n == 1 ? "" : "s"),
                    webhooks.event("USER_DELETED", doomed, null), false);
        }
        APIGatewayV2HTTPEvent forged = webhooks.event("CONNECTION_BROKEN", user, known);
        Map<String, String> headers = new HashMap<>(forged.getHeaders());
        headers.put("signature", "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=");
        forged.setHeaders(headers);
        measure("rejected (bad signature)", forged, false);

        return "| webhook | answer | DynamoDB requests | by operation | hot-path target ≤ " + HOT_PATH_TARGET + " |\n"
                + "|---|---|---:|---|---|\n" + String.join("\n", rows) + "\n";
    }

    private void measure(String label, APIGatewayV2HTTPEvent event, boolean hotPath) {
        counter.reset();
        APIGatewayV2HTTPResponse response = HttpApiInvoker.invoke(handler, event);
        int total = counter.total();
        String target = hotPath ? (total <= HOT_PATH_TARGET ? "met" : "**MISSED**") : "";
        if (hotPath) {
            hotPathMax = Math.max(hotPathMax, total);
        }
        rows.add("| " + label + " | " + answer(response) + " | " + total + " | " + counter.breakdown() + " | " + target
                + " |");
    }

    /** The most requests a hot-path webhook made, once {@link #run} returned. */
    int hotPathMax() {
        return hotPathMax;
    }

    private void send(APIGatewayV2HTTPEvent event) {
        APIGatewayV2HTTPResponse response = HttpApiInvoker.invoke(handler, event);
        if (response.getStatusCode() != 200) {
            throw new IllegalStateException("setup webhook answered " + answer(response));
        }
    }

    private String answer(APIGatewayV2HTTPResponse response) {
        try {
            JsonNode body = json.readTree(response.getBody());
            return response.getStatusCode() + " " + (body.has("result") ? body.get("result").asText() : "error");
        } catch (JsonProcessingException e) {
            return response.getStatusCode() + " (unreadable body)";
        }
    }
}
