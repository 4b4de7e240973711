package com.connectionkeeper.sweep;

import com.connectionkeeper.core.model.ConnectionRules;
import com.connectionkeeper.core.model.EventType;
import com.connectionkeeper.core.model.WebhookEvent;
import com.connectionkeeper.store.DynamoStores;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Seeds the heap benchmark's users, several at a time: each registered at the simulator (control API) with one
 * connection, its secret saved with {@link com.connectionkeeper.store.DynamoSecretStore#saveUserSecret}; every tenth user's connection broken at
 * the simulator, and that break recorded in the table as its CONNECTION_BROKEN webhook would record it (so the sweep's
 * BROKEN index grows with the number of users, as it does in production).
 */
final class HeapBenchSeeder {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final SimulatorProcess simulator;
    private final DynamoStores store;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    HeapBenchSeeder(SimulatorProcess simulator, DynamoStores store) {
        this.simulator = simulator;
        this.store = store;
    }

    /** The id of user {@code i}: fixed width, so the ids sort as the numbers do. */
    static String userId(int i) {
        return String.format("heap-user-%06d", i);
    }

    /** Whether user {@code i}'s connection is broken (every tenth user, spread evenly over the order). */
    static boolean broken(int i) {
        return i % 10 == 9;
    }

    /** Seeds users 0 .. users-1 with {@code threads} workers; fails on the first error. */
    void seed(int users, int threads) throws InterruptedException {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<?>> chunks = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int first = t;
                chunks.add(pool.submit(() -> {
                    for (int i = first; i < users; i += threads) {
                        seedUser(i);
                    }
                    return null;
                }));
            }
            for (Future<?> chunk : chunks) {
                chunk.get();
            }
        } catch (ExecutionException e) {
            throw new IllegalStateException("seeding failed: " + e.getCause(), e.getCause());
        } finally {
            pool.shutdownNow();
        }
    }

    private void seedUser(int i) throws IOException, InterruptedException {
        String user = userId(i);
        JsonNode registered = post("/users", JSON.createObjectNode().put("userId", user));
        store.secrets().saveUserSecret(user, registered.get("userSecret").asText());
        JsonNode connection = post("/users/" + encode(user) + "/connections",
                JSON.createObjectNode().put("brokerage", "ALPACA").put("type", "read"));
        if (broken(i)) {
            String id = connection.get("id").asText();
            JsonNode after = post("/connections/" + encode(id) + "/break", JSON.createObjectNode());
            Instant at = Instant.parse(after.get("disabledDate").asText());
            WebhookEvent webhook = new WebhookEvent("seed-" + id, user, EventType.CONNECTION_BROKEN,
                    EventType.CONNECTION_BROKEN.name(), at, id, after.path("brokerageId").asText(null), null, "{}");
            store.connections().applyToConnection(user, id, ConnectionRules.changeFor(webhook).orElseThrow());
        }
    }

    private JsonNode post(String path, JsonNode body) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create(simulator.controlUrl() + path))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)))
                .build();
        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() / 100 != 2) {
            throw new IllegalStateException("control API " + path + " answered " + response.statusCode());
        }
        return JSON.readTree(response.body());
    }

    private static String encode(String segment) {
        return URLEncoder.encode(segment, StandardCharsets.UTF_8);
    }
}
