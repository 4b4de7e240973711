package com.connectionkeeper.local;

import com.connectionkeeper.testkit.StreamFilter;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The lifecycle function's event source mapping, locally: the stream records the {@link StreamProxy} makes, filtered
 * by the template's filter criteria, handed to the function in batches of at most {@link #BATCH_SIZE}, gathered for at
 * most a second (the template's batch size and window). A batch item failure is retried from the first failed
 * record, at most {@link #MAX_RETRIES} times; then the records are reported as a dead letter (the template sends them
 * to the queue).
 */
final class StreamFeeder implements AutoCloseable {
    static final int BATCH_SIZE = 100;
    static final int MAX_RETRIES = 5;
    private static final ObjectMapper JSON = new ObjectMapper();
    private final BlockingQueue<JsonNode> queue = new LinkedBlockingQueue<>();
    private final StreamFilter filter;
    private final RuntimeApi lifecycle;
    private final Consumer<String> problems;
    private final Thread thread;
    private volatile boolean running = true;

    StreamFeeder(StreamFilter filter, RuntimeApi lifecycle, Consumer<String> problems) {
        this.filter = filter;
        this.lifecycle = lifecycle;
        this.problems = problems;
        this.thread = new Thread(this::run, "stream-feeder");
        thread.setDaemon(true);
        thread.start();
    }

    /** A record of the table's stream, in order. */
    void accept(JsonNode record) {
        if (filter.passes(record)) {
            queue.add(record);
        }
    }

    private void run() {
        while (running) {
            try {
                JsonNode first = queue.poll(200, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                List<JsonNode> batch = new ArrayList<>(List.of(first));
                long until = System.currentTimeMillis() + 1_000;
                while (batch.size() < BATCH_SIZE && System.currentTimeMillis() < until) {
                    JsonNode next = queue.poll(Math.max(1, until - System.currentTimeMillis()), TimeUnit.MILLISECONDS);
                    if (next == null) {
                        break;
                    }
                    batch.add(next);
                }
                deliver(batch);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /**
     * Hands a batch over as Lambda's event source mapping does (the template: ReportBatchItemFailures,
     * BisectBatchOnFunctionError, MaximumRetryAttempts 5): reported item failures are retried from the first failed
     * record; a failure report naming no record of the batch retries the whole batch; a function error splits the
     * batch in two and retries each half (a good record beside a poison one still goes through). Given up after the
     * retries: said, as the template's dead-letter queue would hold it.
     */
    private void deliver(List<JsonNode> batch) throws InterruptedException {
        deliver(batch, 0);
    }

    private void deliver(List<JsonNode> batch, int attempt) throws InterruptedException {
        List<JsonNode> left = batch;
        for (int tries = attempt; !left.isEmpty() && running; tries++) {
            if (tries > MAX_RETRIES) {
                problems.accept("lifecycle: gave up on " + left.size() + " stream records after " + MAX_RETRIES
                        + " retries (in AWS: the dead-letter queue)");
                return;
            }
            if (tries > attempt || attempt > 0) {
                Thread.sleep(Math.min(2_000, 100L << Math.min(tries, 5)));
            }
            ObjectNode event = JSON.createObjectNode();
            ArrayNode records = event.putArray("Records");
            left.forEach(records::add);
            RuntimeApi.Answer answer = lifecycle.invoke(event.toString());
            if (answer.error()) {
                if (left.size() > 1) {
                    int half = left.size() / 2;
                    deliver(left.subList(0, half), tries + 1);
                    deliver(left.subList(half, left.size()), tries + 1);
                    return;
                }
                continue; // one record: retried as it is
            }
            int from = firstFailure(answer.body(), left);
            if (from < 0) {
                return;
            }
            left = left.subList(from, left.size());
        }
    }

    /**
     * Where the retry starts: the first record the function reported failed; -1 when none failed; 0 (the whole
     * batch) when a reported failure names no record of the batch, as Lambda treats it.
     */
    private static int firstFailure(String response, List<JsonNode> batch) {
        JsonNode failures;
        try {
            failures = JSON.readTree(response).path("batchItemFailures");
        } catch (IOException e) {
            return 0;
        }
        int first = -1;
        for (JsonNode failure : failures) {
            String id = failure.path("itemIdentifier").asText("");
            int found = -1;
            for (int i = 0; i < batch.size(); i++) {
                if (batch.get(i).path("dynamodb").path("SequenceNumber").asText().equals(id)) {
                    found = i;
                    break;
                }
            }
            if (found < 0) {
                return 0;
            }
            first = first < 0 ? found : Math.min(first, found);
        }
        return first;
    }

    @Override
    public void close() {
        running = false;
        thread.interrupt();
    }
}
