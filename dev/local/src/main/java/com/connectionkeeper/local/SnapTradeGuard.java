package com.connectionkeeper.local;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.function.Consumer;
import java.util.regex.Pattern;

/**
 * Between the local functions and real SnapTrade (when {@code SNAPTRADE_CLIENT_ID} and {@code SNAPTRADE_CONSUMER_KEY}
 * are set): every call passes through unchanged (SnapTrade's signature covers path, query and body, not the host),
 * except the two that would harm real users. Disabling a connection is never passed on. Deleting a SnapTrade user is
 * passed on only while the local API is handling {@code DELETE /users/{thatUser}} — a deletion someone asked for —
 * never from the sweep or a registration's clean-up. A refused call gets a 403 with SnapTrade's error shape and is
 * said on the console.
 */
final class SnapTradeGuard implements AutoCloseable {
    static final String CODE = "LOCAL_GUARD";
    private static final Pattern DISABLE = Pattern.compile("^/api/v1/authorizations/[^/]+/disable/?$");
    private static final String DELETE_USER = "/api/v1/snapTrade/deleteUser";
    private static final Set<String> HOP_BY_HOP = Set.of("host", "content-length", "connection", "expect", "upgrade",
            "transfer-encoding", "keep-alive");
    private final HttpServer server;
    private final URI upstream;
    private final Consumer<String> say;
    private final Map<String, Long> deletionsAsked = new ConcurrentHashMap<>();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    /** @param upstream SnapTrade's origin (scheme, host, port: the API's path stays as the function sent it) */
    SnapTradeGuard(URI upstream, Consumer<String> say) throws IOException {
        this.upstream = upstream;
        this.say = say;
        this.server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 64);
        server.createContext("/", this::handle);
        server.setExecutor(Executors.newFixedThreadPool(8, LocalHttp.daemons("snaptrade-guard")));
        server.start();
    }

    /** The base URL the functions get as {@code SNAPTRADE_BASE_URL}. */
    String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/api/v1";
    }

    /** The local API is handling a deletion of {@code userId} someone asked for: let SnapTrade's through, briefly. */
    void deletionAsked(String userId) {
        deletionsAsked.put(userId, System.nanoTime() + Duration.ofSeconds(60).toNanos());
    }

    /** The deletion's request ended. */
    void deletionDone(String userId) {
        deletionsAsked.remove(userId);
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getRawPath();
            String query = exchange.getRequestURI().getRawQuery();
            String method = exchange.getRequestMethod();
            if (DISABLE.matcher(path).matches()) {
                refuse(exchange, "disabling a real connection is never done by the local stack");
                return;
            }
            if (path.equals(DELETE_USER) || path.equals(DELETE_USER + "/")) {
                String user = queryParam(query, "userId");
                Long until = user == null ? null : deletionsAsked.get(user);
                if (until == null || until < System.nanoTime()) {
                    refuse(exchange, "deleting a real SnapTrade user is done locally only for DELETE /users/{userId}");
                    return;
                }
            }
            byte[] body = exchange.getRequestBody().readAllBytes();
            HttpRequest.Builder request = HttpRequest.newBuilder(upstream.resolve(path + (query == null ? ""
                    : "?" + query))).timeout(Duration.ofSeconds(30))
                    .method(method, body.length == 0 ? HttpRequest.BodyPublishers.noBody()
                            : HttpRequest.BodyPublishers.ofByteArray(body));
            exchange.getRequestHeaders().forEach((name, values) -> {
                if (!HOP_BY_HOP.contains(name.toLowerCase(Locale.ROOT))) {
                    values.forEach(v -> request.header(name, v));
                }
            });
            HttpResponse<byte[]> answer;
            try {
                answer = http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                exchange.sendResponseHeaders(502, -1);
                return;
            } catch (IOException e) {
                byte[] error = ("{\"detail\":\"SnapTrade unreachable: " + e.getClass().getSimpleName()
                        + "\",\"status_code\":502}").getBytes(StandardCharsets.UTF_8);
                exchange.getResponseHeaders().set("Content-Type", "application/json");
                exchange.sendResponseHeaders(502, error.length);
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(error);
                }
                return;
            }
            answer.headers().map().forEach((name, values) -> {
                if (!HOP_BY_HOP.contains(name.toLowerCase(Locale.ROOT)) && !name.startsWith(":")) {
                    values.forEach(v -> exchange.getResponseHeaders().add(name, v));
                }
            });
            exchange.sendResponseHeaders(answer.statusCode(), answer.body().length == 0 ? -1 : answer.body().length);
            if (answer.body().length > 0) {
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(answer.body());
                }
            }
        }
    }

    private void refuse(HttpExchange exchange, String why) throws IOException {
        say.accept("refused a call to real SnapTrade: " + exchange.getRequestMethod() + " "
                + exchange.getRequestURI().getRawPath() + " (" + why + ")");
        byte[] body = ("{\"detail\":\"" + why + "\",\"status_code\":403,\"code\":\"" + CODE + "\"}")
                .getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(403, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }

    private static String queryParam(String query, String name) {
        if (query == null) {
            return null;
        }
        for (String pair : query.split("&")) {
            int eq = pair.indexOf('=');
            if (eq > 0 && URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8).equals(name)) {
                return URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            }
        }
        return null;
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
