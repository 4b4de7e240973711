package com.connectionkeeper.simulator;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;

/** A tiny webhook listener: answers each POST with the next scripted status (the last one repeats). */
final class WebhookReceiver implements AutoCloseable {
    /** One received POST. */
    record Received(String body, String signature, long nanoTime) {
    }

    private final HttpServer server;
    private final ConcurrentLinkedQueue<Integer> script;
    private final int lastStatus;
    private final List<Received> received = new ArrayList<>();

    WebhookReceiver(Integer... statuses) throws IOException {
        this.script = new ConcurrentLinkedQueue<>(List.of(statuses));
        this.lastStatus = statuses[statuses.length - 1];
        this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/webhooks", exchange -> {
            try (exchange) {
                String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
                synchronized (this) {
                    received.add(new Received(body, exchange.getRequestHeaders().getFirst("Signature"),
                            System.nanoTime()));
                    notifyAll();
                }
                Integer status = script.poll();
                exchange.sendResponseHeaders(status == null ? lastStatus : status, -1);
            }
        });
        server.start();
    }

    URI url() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/webhooks");
    }

    /** Waits until {@code count} POSTs have arrived (or the timeout passed) and returns all received. */
    synchronized List<Received> await(int count, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (received.size() < count && System.nanoTime() < deadline) {
            wait(Math.max(1, (deadline - System.nanoTime()) / 1_000_000));
        }
        return List.copyOf(received);
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
