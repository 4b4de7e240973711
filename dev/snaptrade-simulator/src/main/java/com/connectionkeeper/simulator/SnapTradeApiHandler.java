package com.connectionkeeper.simulator;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The SnapTrade API below {@code /api/v1}: rate limit, then signature, then the endpoint's faults, then the endpoint.
 * Every answer carries the {@code X-RateLimit-*} headers.
 */
final class SnapTradeApiHandler implements HttpHandler {
    private final SimulatorConfig config;
    private final RateLimiter limiter;
    private final RequestSignature signature;
    private final Faults faults;
    private final RequestLog log;
    private final Operations operations;

    SnapTradeApiHandler(SimulatorConfig config, Operations operations, RateLimiter limiter, Faults faults, RequestLog log) {
        this.config = config;
        this.limiter = limiter;
        this.signature = new RequestSignature(config);
        this.faults = faults;
        this.log = log;
        this.operations = operations;
    }

    @Override
    public void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String body = Exchanges.body(exchange);
            String method = exchange.getRequestMethod();
            String rawPath = exchange.getRequestURI().getRawPath();
            String rawQuery = Objects.toString(exchange.getRequestURI().getRawQuery(), "");
            Map<String, String> query = QueryString.parse(rawQuery);
            Optional<Endpoint.Match> match =
                    Endpoint.match(method, rawPath.substring(SnapTradeSimulator.API_PREFIX.length()));
            RateLimiter.Decision rate = limiter.acquire(query.getOrDefault("clientId", ""));
            SnapTradeApiResponse response = rate.allowed()
                    ? answer(rawPath, rawQuery, query, body, exchange.getRequestHeaders().getFirst("Signature"), match)
                    : SnapTradeApiResponse.throttled(rate.resetSeconds());
            log.add(new RecordedRequest(match.map(Endpoint.Match::endpoint).orElse(null), method, rawPath, rawQuery,
                    Json.readOrNull(body), response.status(), response.body(), response.fault(),
                    config.clock().instant()));
            if (response.status() == 0) {
                sleep(response.hang());
                return; // closed without an answer
            }
            if (response.fault() == Fault.Kind.FOREIGN_ERROR) {
                Exchanges.send(exchange, response.status(), Exchanges.HTML, response.body());
                return; // not SnapTrade's answer: none of its headers
            }
            Headers headers = exchange.getResponseHeaders();
            headers.set("X-RateLimit-Limit", Integer.toString(rate.limit()));
            headers.set("X-RateLimit-Remaining", Integer.toString(response.status() == 429 ? 0 : rate.remaining()));
            headers.set("X-RateLimit-Reset", Long.toString(
                    response.retryAfterSeconds() > 0 ? response.retryAfterSeconds() : rate.resetSeconds()));
            Exchanges.send(exchange, response.status(), Exchanges.JSON, response.body());
        }
    }

    private SnapTradeApiResponse answer(String rawPath, String rawQuery, Map<String, String> query, String body,
                               String signatureHeader, Optional<Endpoint.Match> match) {
        if (!signature.accepts(rawPath, rawQuery, query, body, signatureHeader)) {
            return SnapTradeApiResponse.badSignature();
        }
        if (match.isEmpty()) {
            return SnapTradeApiResponse.notFound();
        }
        Endpoint endpoint = match.get().endpoint();
        Faults.Outcome fault = faults.fire(endpoint);
        sleep(fault.latency());
        Fault terminal = fault.terminal();
        if (terminal == null) {
            return operations.call(match.get(), query, Json.readOrNull(body));
        }
        SnapTradeApiResponse faulted = switch (terminal.kind()) {
            case SERVER_ERROR -> SnapTradeApiResponse.serverError(terminal.status());
            case RATE_LIMITED -> SnapTradeApiResponse.throttled(Math.max(1, terminal.delay().toSeconds()));
            case MALFORMED_JSON -> SnapTradeApiResponse.raw(200, SpoiledBodies.malformed());
            case WRONG_SHAPE -> SnapTradeApiResponse.raw(200, SpoiledBodies.wrongShape(endpoint));
            case TIMEOUT -> SnapTradeApiResponse.hang(terminal.delay());
            case LOST_ANSWER -> {
                operations.call(match.get(), query, Json.readOrNull(body)); // done at "SnapTrade"; the answer is lost
                yield SnapTradeApiResponse.hang(terminal.delay());
            }
            case SNAPTRADE_ERROR -> SnapTradeApiResponse.error(terminal.status(), "Injected SnapTrade error.", terminal.code());
            case FOREIGN_ERROR -> SnapTradeApiResponse.raw(terminal.status(), "<html><head><title>" + terminal.status()
                    + "</title></head><body><center><h1>" + terminal.status() + "</h1></center><hr>"
                    + "<center>load-balancer</center></body></html>");
            case LATENCY -> throw new IllegalStateException("latency is never terminal");
        };
        return faulted.byFault(terminal.kind());
    }

    private static void sleep(Duration duration) {
        if (duration.isZero()) {
            return;
        }
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
