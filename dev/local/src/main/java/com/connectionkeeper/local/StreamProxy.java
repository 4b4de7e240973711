package com.connectionkeeper.local;

import com.connectionkeeper.testkit.AwsCalls;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * DynamoDB Streams for dynalite, which has none: a loopback proxy in front of it that every function uses as its
 * DynamoDB endpoint. Reads pass through. A write (PutItem, UpdateItem, DeleteItem, BatchWriteItem) is done one at a
 * time: the items it may change are read (consistently) before and after it, and each item that changed becomes a
 * stream record with its old and new image ({@code NEW_AND_OLD_IMAGES}), in write order — what the table's stream
 * would carry, handed to {@code records}. A write that changes nothing makes no record, as in DynamoDB.
 */
final class StreamProxy implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Set<String> WRITES = Set.of("PutItem", "UpdateItem", "DeleteItem", "BatchWriteItem");
    private static final String TARGET_PREFIX = "DynamoDB_20120810.";
    private final HttpServer server;
    private final URI dynalite;
    private final List<String> keyAttributes;
    private final Consumer<JsonNode> records;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final AtomicLong sequence = new AtomicLong(100_000_000_000_000_000L);
    private final Object writes = new Object();
    private volatile AwsCalls ledger;

    /**
     * @param keyAttributes the table's key attribute names (partition, sort)
     * @param records       where each stream record goes, in order
     */
    StreamProxy(HttpServer server, URI dynalite, List<String> keyAttributes, Consumer<JsonNode> records) {
        this.server = server;
        this.dynalite = dynalite;
        this.keyAttributes = List.copyOf(keyAttributes);
        this.records = records;
        server.createContext("/", this::handle);
        server.setExecutor(Executors.newFixedThreadPool(16, LocalHttp.daemons("dynamodb-proxy")));
        server.start();
    }

    static HttpServer bind(int port) throws IOException {
        return HttpServer.create(new InetSocketAddress("127.0.0.1", port), 64);
    }

    /** Records every call from now on: who signed it, dynamodb:&lt;operation&gt;, the table (and index) it names. */
    void recordInto(AwsCalls calls) {
        this.ledger = calls;
    }

    URI endpoint() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            byte[] body = exchange.getRequestBody().readAllBytes();
            String target = exchange.getRequestHeaders().getFirst("X-Amz-Target");
            String operation = target != null && target.startsWith(TARGET_PREFIX)
                    ? target.substring(TARGET_PREFIX.length()) : "";
            record(exchange.getRequestHeaders().getFirst("Authorization"), operation, body);
            HttpResponse<byte[]> answer;
            if (WRITES.contains(operation)) {
                synchronized (writes) {
                    answer = write(exchange, operation, body);
                }
            } else {
                answer = forward(exchange, body);
            }
            answer.headers().firstValue("Content-Type").ifPresent(v -> exchange.getResponseHeaders().set(
                    "Content-Type", v));
            answer.headers().firstValue("x-amzn-RequestId").ifPresent(v -> exchange.getResponseHeaders().set(
                    "x-amzn-RequestId", v));
            answer.headers().firstValue("x-amz-crc32").ifPresent(v -> exchange.getResponseHeaders().set(
                    "x-amz-crc32", v));
            exchange.sendResponseHeaders(answer.statusCode(), answer.body().length == 0 ? -1 : answer.body().length);
            if (answer.body().length > 0) {
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(answer.body());
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            exchange.sendResponseHeaders(500, -1);
        }
    }

    private void record(String authorization, String operation, byte[] body) throws IOException {
        AwsCalls calls = ledger;
        if (calls == null || operation.isEmpty()) {
            return;
        }
        JsonNode request = JSON.readTree(body);
        if (request.has("RequestItems")) {
            request.path("RequestItems").fieldNames().forEachRemaining(table -> calls.add(authorization,
                    "dynamodb:" + operation, table));
            return;
        }
        String table = request.path("TableName").asText("?");
        calls.add(authorization, "dynamodb:" + operation, request.has("IndexName")
                ? table + "/index/" + request.path("IndexName").asText() : table);
    }

    /** The write, with the images of what it changed. */
    private HttpResponse<byte[]> write(HttpExchange exchange, String operation, byte[] body)
            throws IOException, InterruptedException {
        JsonNode request = JSON.readTree(body);
        List<Map.Entry<String, JsonNode>> keys = new ArrayList<>(); // table name, key
        switch (operation) {
            case "PutItem" -> keys.add(Map.entry(request.path("TableName").asText(), key(request.path("Item"))));
            case "UpdateItem", "DeleteItem" -> keys.add(Map.entry(request.path("TableName").asText(),
                    request.path("Key")));
            default -> request.path("RequestItems").fields().forEachRemaining(table -> {
                for (JsonNode w : table.getValue()) {
                    JsonNode key = w.has("PutRequest") ? key(w.path("PutRequest").path("Item"))
                            : w.path("DeleteRequest").path("Key");
                    keys.add(Map.entry(table.getKey(), key));
                }
            });
        }
        List<JsonNode> before = new ArrayList<>(keys.size());
        for (Map.Entry<String, JsonNode> k : keys) {
            before.add(get(k.getKey(), k.getValue()));
        }
        HttpResponse<byte[]> answer = forward(exchange, body);
        if (answer.statusCode() != 200) {
            return answer; // refused (a condition, a validation error): nothing changed
        }
        for (int i = 0; i < keys.size(); i++) {
            JsonNode after = get(keys.get(i).getKey(), keys.get(i).getValue());
            if (!Objects.equals(before.get(i), after)) {
                records.accept(record(keys.get(i).getKey(), keys.get(i).getValue(), before.get(i), after));
            }
        }
        return answer;
    }

    private JsonNode key(JsonNode item) {
        ObjectNode key = JSON.createObjectNode();
        for (String name : keyAttributes) {
            if (item.has(name)) {
                key.set(name, item.get(name));
            }
        }
        return key;
    }

    /** The item now (consistent read); null when there is none. */
    private JsonNode get(String table, JsonNode key) throws IOException, InterruptedException {
        ObjectNode request = JSON.createObjectNode().put("TableName", table).put("ConsistentRead", true);
        request.set("Key", key);
        HttpResponse<byte[]> answer = http.send(HttpRequest.newBuilder(dynalite)
                .header("X-Amz-Target", TARGET_PREFIX + "GetItem")
                .header("Content-Type", "application/x-amz-json-1.0")
                .header("Authorization", "AWS4-HMAC-SHA256 Credential=local/20260101/us-east-1/dynamodb/aws4_request, "
                        + "SignedHeaders=host, Signature=local")
                .header("X-Amz-Date", "20260101T000000Z")
                .POST(HttpRequest.BodyPublishers.ofString(request.toString())).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        if (answer.statusCode() != 200) {
            throw new IOException("dynalite refused a GetItem: " + new String(answer.body(), StandardCharsets.UTF_8));
        }
        JsonNode item = JSON.readTree(answer.body()).get("Item");
        return item == null || item.isEmpty() ? null : item;
    }

    private JsonNode record(String table, JsonNode key, JsonNode before, JsonNode after) {
        ObjectNode record = JSON.createObjectNode();
        record.put("eventID", UUID.randomUUID().toString().replace("-", ""));
        record.put("eventName", before == null ? "INSERT" : after == null ? "REMOVE" : "MODIFY");
        record.put("eventVersion", "1.1");
        record.put("eventSource", "aws:dynamodb");
        record.put("awsRegion", "us-east-1");
        ObjectNode d = record.putObject("dynamodb");
        d.put("ApproximateCreationDateTime", Instant.now().getEpochSecond());
        d.set("Keys", key);
        if (after != null) {
            d.set("NewImage", after);
        }
        if (before != null) {
            d.set("OldImage", before);
        }
        d.put("SequenceNumber", Long.toString(sequence.incrementAndGet()));
        d.put("SizeBytes", (after == null ? before : after).toString().length());
        d.put("StreamViewType", "NEW_AND_OLD_IMAGES");
        record.put("eventSourceARN", "arn:aws:dynamodb:us-east-1:000000000000:table/" + table + "/stream/local");
        return record;
    }

    private HttpResponse<byte[]> forward(HttpExchange exchange, byte[] body) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(dynalite.resolve(exchange.getRequestURI().getRawPath()))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        Map<String, String> headers = new LinkedHashMap<>();
        exchange.getRequestHeaders().forEach((name, values) -> headers.put(name, String.join(",", values)));
        headers.forEach((name, value) -> {
            String n = name.toLowerCase(Locale.ROOT);
            if (!n.equals("host") && !n.equals("content-length") && !n.equals("connection") && !n.equals("expect")
                    && !n.equals("upgrade") && !n.equals("transfer-encoding")) {
                request.header(name, value);
            }
        });
        return http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
