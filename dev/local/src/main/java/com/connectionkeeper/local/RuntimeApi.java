package com.connectionkeeper.local;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.BlockingDeque;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingDeque;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * One function's Lambda Runtime API (the {@code 2018-06-01} interface Lambda's own Java runtime client speaks), on a
 * loopback port: the function's process asks for its next invocation, gets the event with Lambda's headers (request
 * id, deadline, function ARN, trace id), and posts the response or the error. {@link #invoke} queues an event and
 * waits for the function's answer, as Lambda's synchronous invoke does. One invocation at a time, like one Lambda
 * instance.
 */
final class RuntimeApi implements AutoCloseable {
    private static final String PREFIX = "/2018-06-01/runtime/";

    /** The function's answer: its response body, or an error (the runtime's error report). */
    record Answer(boolean error, String body) {
    }

    private record Invocation(String requestId, String event, long deadlineMs, CompletableFuture<Answer> answer) {
    }

    private final String functionName;
    private final Duration timeout;
    private final HttpServer server;
    private final BlockingDeque<Invocation> pending = new LinkedBlockingDeque<>();
    /** Which process of the function asks: a request for work from a process that is gone must not take any. */
    private volatile int generation;
    private final Map<String, Invocation> running = new ConcurrentHashMap<>();
    private final CompletableFuture<String> initError = new CompletableFuture<>();
    private final java.util.concurrent.CountDownLatch polled = new java.util.concurrent.CountDownLatch(1);
    private final Object oneAtATime = new Object();
    private volatile Runnable onTimeout = () -> { };

    RuntimeApi(String functionName, Duration timeout) throws IOException {
        this.functionName = functionName;
        this.timeout = timeout;
        this.server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext(PREFIX, this::handle);
        server.setExecutor(Executors.newCachedThreadPool(LocalHttp.daemons("runtime-api-" + functionName)));
        server.start();
    }

    /** What the function's process gets as {@code AWS_LAMBDA_RUNTIME_API}. */
    String address() {
        return "127.0.0.1:" + server.getAddress().getPort();
    }

    /**
     * Hands {@code event} (JSON) to the function and waits for its answer, at most the function's timeout (then the
     * invocation is answered as Lambda does: an error). Invocations wait their turn.
     */
    Answer invoke(String event) throws InterruptedException {
        synchronized (oneAtATime) {
            Invocation invocation = new Invocation(UUID.randomUUID().toString(), event,
                    System.currentTimeMillis() + timeout.toMillis(), new CompletableFuture<>());
            pending.put(invocation);
            try {
                return invocation.answer().get(timeout.toMillis() + 2_000, TimeUnit.MILLISECONDS);
            } catch (ExecutionException e) {
                return new Answer(true, "{\"errorMessage\":\"" + e.getCause() + "\"}");
            } catch (TimeoutException e) {
                pending.remove(invocation);
                running.remove(invocation.requestId());
                onTimeout.run(); // as Lambda does: the instance that ran over its timeout does not go on
                return new Answer(true, "{\"errorType\":\"Timeout\",\"errorMessage\":\"" + functionName
                        + " did not answer within " + timeout.toSeconds() + " s\"}");
            }
        }
    }

    /** What to do when an invocation runs over the function's timeout (the process is stopped and replaced). */
    void onTimeout(Runnable action) {
        this.onTimeout = action;
    }

    /** The function's process is gone: the invocation it was running fails at once (a new process takes the rest). */
    void processGone(String why) {
        generation++;
        for (String id : List.copyOf(running.keySet())) {
            Invocation invocation = running.remove(id);
            if (invocation != null) {
                invocation.answer().complete(new Answer(true, "{\"errorType\":\"Runtime.ExitError\","
                        + "\"errorMessage\":\"" + why + "\"}"));
            }
        }
    }

    /**
     * Waits until the function's process asks for its first invocation (its JVM is up and its handler loaded), or
     * reported an init error; true when it is ready.
     */
    boolean awaitFirstPoll(Duration limit) throws InterruptedException {
        return polled.await(limit.toMillis(), TimeUnit.MILLISECONDS) && !initError.isDone();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getPath().substring(PREFIX.length());
            byte[] body = exchange.getRequestBody().readAllBytes();
            if (path.equals("invocation/next") && exchange.getRequestMethod().equals("GET")) {
                polled.countDown();
                int asker = generation;
                Invocation next;
                try {
                    next = pending.take();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
                if (asker != generation) {
                    pending.addFirst(next); // asked by a process that died while waiting: for its successor
                    return;
                }
                running.put(next.requestId(), next);
                byte[] event = next.event().getBytes(StandardCharsets.UTF_8);
                exchange.getResponseHeaders().add("Lambda-Runtime-Aws-Request-Id", next.requestId());
                exchange.getResponseHeaders().add("Lambda-Runtime-Deadline-Ms", Long.toString(next.deadlineMs()));
                exchange.getResponseHeaders().add("Lambda-Runtime-Invoked-Function-Arn",
                        "arn:aws:lambda:us-east-1:000000000000:function:" + functionName);
                // the runtime client reads every one of these; a missing trace id crashes its native part
                exchange.getResponseHeaders().add("Lambda-Runtime-Trace-Id",
                        "Root=1-00000000-000000000000000000000000;Parent=0000000000000000;Sampled=0");
                exchange.getResponseHeaders().add("Content-Type", "application/json");
                try {
                    reply(exchange, 200, event);
                } catch (IOException gone) {
                    running.remove(next.requestId());
                    pending.addFirst(next); // its process is gone: the next one takes it
                }
                return;
            }
            if (path.equals("init/error")) {
                initError.complete(new String(body, StandardCharsets.UTF_8));
                polled.countDown();
                reply(exchange, 202, new byte[0]);
                return;
            }
            if (path.startsWith("invocation/")) {
                String rest = path.substring("invocation/".length());
                int slash = rest.indexOf('/');
                Invocation invocation = slash < 0 ? null : running.remove(rest.substring(0, slash));
                String kind = slash < 0 ? "" : rest.substring(slash + 1);
                if (invocation == null || !(kind.equals("response") || kind.equals("error"))) {
                    reply(exchange, 400, "{\"message\":\"unknown invocation\"}".getBytes(StandardCharsets.UTF_8));
                    return;
                }
                invocation.answer().complete(new Answer(kind.equals("error"),
                        new String(body, StandardCharsets.UTF_8)));
                reply(exchange, 202, new byte[0]);
                return;
            }
            reply(exchange, 404, "{\"message\":\"not a runtime API path\"}".getBytes(StandardCharsets.UTF_8));
        }
    }

    private static void reply(HttpExchange exchange, int status, byte[] body) throws IOException {
        LocalHttp.reply(exchange, status, java.util.Map.of(), body);
    }

    @Override
    public void close() {
        server.stop(0);
        pending.forEach(i -> i.answer().complete(new Answer(true, "{\"errorMessage\":\"stopped\"}")));
        running.values().forEach(i -> i.answer().complete(new Answer(true, "{\"errorMessage\":\"stopped\"}")));
    }
}
