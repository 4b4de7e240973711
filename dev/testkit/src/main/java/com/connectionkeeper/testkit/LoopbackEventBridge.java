package com.connectionkeeper.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.math.BigDecimal;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

/**
 * A loopback stand-in for EventBridge's {@code PutEvents} (AWS JSON 1.1, {@code X-Amz-Target: AWSEvents.PutEvents}),
 * since no EventBridge emulator exists here: it keeps the entries it accepts, and can be told to fail chosen entries
 * (per-entry {@code ErrorCode}, as EventBridge reports a partial failure) or whole calls (an HTTP error with an AWS
 * error body). It checks what EventBridge checks on the way in that matters to us: at most 10 entries per call, every
 * entry with Source, DetailType, Detail (a JSON object) and EventBusName.
 */
public final class LoopbackEventBridge implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** An entry EventBridge accepted. */
    public record Entry(String eventId, String source, String detailType, JsonNode detail, String busName,
                        Instant time, List<String> resources) {
    }

    /** A PutEvents call as received: its entries, in order. */
    public record Call(List<JsonNode> entries) {
    }

    private final HttpServer server;
    private final List<Entry> accepted = new ArrayList<>();
    private final List<Call> calls = new ArrayList<>();
    private final AtomicInteger idCounter = new AtomicInteger();
    private Predicate<JsonNode> failEntries = e -> false;
    private String entryErrorCode = "InternalFailure";
    private int entryFailuresLeft;
    private int callFailuresLeft;
    private int callFailureStatus;
    private String callFailureCode;
    private volatile java.util.function.Consumer<Entry> listener = e -> { };
    private volatile AwsCalls ledger;

    public LoopbackEventBridge() throws IOException {
        this(0);
    }

    /** On this loopback port (0: any free one). */
    public LoopbackEventBridge(int port) throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 0);
        server.createContext("/", this::handle);
        server.start();
    }

    /** Tells {@code listener} of every entry accepted from now on (the local stack prints them). */
    public void onAccepted(java.util.function.Consumer<Entry> listener) {
        this.listener = listener;
    }

    /** Records every call received from now on (who, events:PutEvents, each entry's bus). */
    public void recordInto(AwsCalls calls) {
        this.ledger = calls;
    }

    /** The endpoint to hand the SDK (endpointOverride, or AWS_ENDPOINT_URL_EVENTBRIDGE). */
    public URI endpoint() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    /**
     * Fails the next {@code times} entries matching {@code which} with {@code errorCode} (EventBridge's per-entry
     * failure: the call itself succeeds with a FailedEntryCount).
     */
    public synchronized void failEntries(Predicate<JsonNode> which, int times, String errorCode) {
        this.failEntries = which;
        this.entryFailuresLeft = times;
        this.entryErrorCode = errorCode;
    }

    /** Fails the next {@code times} calls whole: HTTP {@code status} with an AWS error of type {@code code}. */
    public synchronized void failCalls(int times, int status, String code) {
        this.callFailuresLeft = times;
        this.callFailureStatus = status;
        this.callFailureCode = code;
    }

    public synchronized List<Entry> accepted() {
        return List.copyOf(accepted);
    }

    public synchronized List<Call> calls() {
        return List.copyOf(calls);
    }

    public synchronized void clear() {
        accepted.clear();
        calls.clear();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String target = exchange.getRequestHeaders().getFirst("X-Amz-Target");
            byte[] body = exchange.getRequestBody().readAllBytes();
            if (!"POST".equals(exchange.getRequestMethod()) || !"AWSEvents.PutEvents".equals(target)) {
                reply(exchange, 400, error("UnknownOperationException", "only AWSEvents.PutEvents: " + target));
                return;
            }
            int before;
            synchronized (this) {
                before = accepted.size();
            }
            JsonNode request = JSON.readTree(body);
            AwsCalls calls = ledger;
            if (calls != null) {
                String authorization = exchange.getRequestHeaders().getFirst("Authorization");
                request.path("Entries").forEach(e -> calls.add(authorization, "events:PutEvents",
                        e.path("EventBusName").asText("?")));
            }
            reply(exchange, putEvents(request));
            List<Entry> added;
            synchronized (this) {
                added = before <= accepted.size() ? List.copyOf(accepted.subList(before, accepted.size())) : List.of();
            }
            added.forEach(listener);
        }
    }

    private synchronized Reply putEvents(JsonNode request) {
        JsonNode entries = request.path("Entries");
        List<JsonNode> received = new ArrayList<>();
        entries.forEach(received::add);
        calls.add(new Call(received));
        if (callFailuresLeft > 0) {
            callFailuresLeft--;
            return new Reply(callFailureStatus, error(callFailureCode, "injected call failure"));
        }
        if (!entries.isArray() || entries.isEmpty() || entries.size() > 10) {
            return new Reply(400, error("ValidationException", "1 to 10 entries per call, got " + entries.size()));
        }
        ObjectNode response = JSON.createObjectNode();
        ArrayNode results = response.putArray("Entries");
        int failed = 0;
        for (JsonNode entry : entries) {
            String problem = invalid(entry);
            if (problem != null) {
                return new Reply(400, error("ValidationException", problem));
            }
            if (entryFailuresLeft > 0 && failEntries.test(entry)) {
                entryFailuresLeft--;
                failed++;
                results.addObject().put("ErrorCode", entryErrorCode).put("ErrorMessage", "injected entry failure");
                continue;
            }
            String id = new UUID(0x5eedL, idCounter.incrementAndGet()).toString();
            List<String> resources = new ArrayList<>();
            entry.path("Resources").forEach(r -> resources.add(r.asText()));
            accepted.add(new Entry(id, entry.path("Source").asText(), entry.path("DetailType").asText(),
                    readDetail(entry), entry.path("EventBusName").asText(), time(entry.path("Time")), resources));
            results.addObject().put("EventId", id);
        }
        response.put("FailedEntryCount", failed);
        return new Reply(200, response.toString());
    }

    /** The entry's Time: epoch seconds as the SDK sends it (AWS JSON 1.1), or ISO text; null when absent. */
    private static Instant time(JsonNode time) {
        if (time.isNumber()) {
            BigDecimal seconds = time.decimalValue();
            return Instant.ofEpochSecond(seconds.longValue(),
                    seconds.remainder(BigDecimal.ONE).movePointRight(9).intValue());
        }
        return time.isTextual() ? Instant.parse(time.asText()) : null;
    }

    private static String invalid(JsonNode entry) {
        for (String field : new String[] {"Source", "DetailType", "Detail", "EventBusName"}) {
            if (!entry.path(field).isTextual() || entry.path(field).asText().isEmpty()) {
                return "entry without " + field;
            }
        }
        JsonNode detail = readDetail(entry);
        return detail != null && detail.isObject() ? null : "Detail is not a JSON object";
    }

    private static JsonNode readDetail(JsonNode entry) {
        try {
            return JSON.readTree(entry.path("Detail").asText());
        } catch (IOException e) {
            return null;
        }
    }

    private static String error(String type, String message) {
        return JSON.createObjectNode().put("__type", type).put("message", message).toString();
    }

    private record Reply(int status, String body) {
    }

    private static void reply(HttpExchange exchange, Reply reply) throws IOException {
        reply(exchange, reply.status(), reply.body());
    }

    private static void reply(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/x-amz-json-1.1");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
