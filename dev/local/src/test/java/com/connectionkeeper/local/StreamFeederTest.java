package com.connectionkeeper.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.connectionkeeper.testkit.StreamFilter;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The lifecycle function's event source mapping, locally, against a stand-in function that answers each batch as
 * told: item failures retried from the first failed record, a failure that names no record retries the whole batch,
 * a function error bisects the batch so a good record beside a poison one still goes through.
 */
class StreamFeederTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient http = HttpClient.newHttpClient();
    private final List<List<String>> batches = new CopyOnWriteArrayList<>();
    private RuntimeApi runtime;
    private StreamFeeder feeder;
    private Thread function;
    private final List<String> problems = new CopyOnWriteArrayList<>();

    /** Starts the feeder with a function that answers a batch (its sequence numbers) with {@code answer}. */
    private void start(Function<List<String>, String> answer) throws Exception {
        runtime = new RuntimeApi("LifecycleFunction", Duration.ofSeconds(5));
        function = new Thread(() -> {
            String base = "http://" + runtime.address() + "/2018-06-01/runtime/invocation/";
            while (!Thread.currentThread().isInterrupted()) {
                try {
                    HttpResponse<String> e = http.send(HttpRequest.newBuilder(URI.create(base + "next")).build(),
                            HttpResponse.BodyHandlers.ofString());
                    List<String> seq = new ArrayList<>();
                    JSON.readTree(e.body()).path("Records")
                            .forEach(r -> seq.add(r.path("dynamodb").path("SequenceNumber").asText()));
                    batches.add(seq);
                    String a = answer.apply(seq);
                    String id = e.headers().firstValue("Lambda-Runtime-Aws-Request-Id").orElseThrow();
                    http.send(HttpRequest.newBuilder(URI.create(base + id + (a == null ? "/error" : "/response")))
                            .POST(HttpRequest.BodyPublishers.ofString(a == null ? "{}" : a)).build(),
                            HttpResponse.BodyHandlers.discarding());
                } catch (Exception ex) {
                    return;
                }
            }
        });
        function.setDaemon(true);
        function.start();
        StreamFilter all = StreamFilter.ofPatterns("{\"eventSource\":[\"aws:dynamodb\"]}");
        feeder = new StreamFeeder(all, runtime, problems::add);
    }

    @AfterEach
    void stop() {
        feeder.close();
        function.interrupt();
        runtime.close();
    }

    private static JsonNode record(int sequence) {
        ObjectNode r = JSON.createObjectNode().put("eventSource", "aws:dynamodb");
        r.putObject("dynamodb").put("SequenceNumber", Integer.toString(sequence));
        return r;
    }

    private void feed(int... sequences) {
        for (int s : sequences) {
            feeder.accept(record(s));
        }
    }

    private void awaitQuiet() throws InterruptedException {
        int seen = -1;
        while (seen != batches.size()) {
            seen = batches.size();
            Thread.sleep(2_500);
        }
    }

    @Test
    void itemFailuresAreRetriedFromTheFirstFailedRecord() throws Exception {
        start(seq -> batches.size() == 1 ? "{\"batchItemFailures\":[{\"itemIdentifier\":\"3\"}]}"
                : "{\"batchItemFailures\":[]}");
        feed(1, 2, 3, 4);
        awaitQuiet();
        assertEquals(List.of(List.of("1", "2", "3", "4"), List.of("3", "4")), batches);
    }

    @Test
    void aFailureNamingNoRecordRetriesTheWholeBatch() throws Exception {
        start(seq -> batches.size() == 1 ? "{\"batchItemFailures\":[{\"itemIdentifier\":\"\"}]}" : "{}");
        feed(1, 2);
        awaitQuiet();
        assertEquals(List.of(List.of("1", "2"), List.of("1", "2")), batches);
    }

    @Test
    void aFunctionErrorBisectsSoTheGoodRecordGoesThrough() throws Exception {
        start(seq -> seq.contains("2") ? null : "{}"); // record 2 always makes the function fail
        feed(1, 2);
        awaitQuiet();
        assertTrue(batches.contains(List.of("1")), "the good record alone: " + batches);
        assertEquals(List.of("1", "2"), batches.get(0));
        assertTrue(problems.stream().anyMatch(p -> p.contains("gave up on 1")), problems.toString());
    }
}
