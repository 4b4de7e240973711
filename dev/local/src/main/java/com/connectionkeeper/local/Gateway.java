package com.connectionkeeper.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Base64;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.function.Supplier;

/**
 * The local HTTP API: every route of {@code template.yaml}'s HTTP API, each request turned into the API Gateway
 * (payload format 2.0) event the deployed API would send, handed to the route's function through its
 * {@link RuntimeApi}, and its answer turned back into the HTTP response. Authorized routes need a local identity, the
 * header {@value #IDENTITY_HEADER} (the user the caller acts as): it becomes the JWT authorizer's {@code sub} claim,
 * as API Gateway's JWT authorizer would pass it; without it API Gateway's own 401 comes back. No route: API Gateway's
 * 404. A function that fails: API Gateway's 500.
 */
final class Gateway implements AutoCloseable {
    static final String IDENTITY_HEADER = "x-local-user";
    static final String ISSUER = "connection-keeper-local";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final DateTimeFormatter REQUEST_TIME =
            DateTimeFormatter.ofPattern("dd/MMM/yyyy:HH:mm:ss Z", Locale.ROOT).withZone(ZoneOffset.UTC);

    /** Where a route's requests go: the function's runtime. */
    interface Functions {
        RuntimeApi runtime(String logicalId);
    }

    private final HttpServer server;
    private final List<LocalTemplate.Route> routes;
    private final Functions functions;
    private final String audience;
    private volatile Hooks hooks = Hooks.NONE;

    /** Told of each request a route's function handles, before and after (the guard of real SnapTrade uses it). */
    interface Hooks {
        Hooks NONE = new Hooks() {
        };

        /** @param identity the caller's local identity (null on a public route) */
        default void before(LocalTemplate.Route route, Map<String, String> pathParameters, String identity) {
        }

        default void after(LocalTemplate.Route route, Map<String, String> pathParameters) {
        }
    }

    void hooks(Hooks hooks) {
        this.hooks = hooks;
    }

    private final Map<String, Supplier<String>> localPages = new ConcurrentHashMap<>();

    /** Serves {@code GET path} (under /_local/, not a route of the template) with the JSON {@code page} gives. */
    void localJson(String path, Supplier<String> page) {
        if (!path.startsWith("/_local/")) {
            throw new IllegalArgumentException("local pages live under /_local/: " + path);
        }
        localPages.put(path, page);
    }

    Gateway(HttpServer server, List<LocalTemplate.Route> routes, Functions functions, String audience) {
        this.server = server;
        this.routes = List.copyOf(routes);
        this.functions = functions;
        this.audience = audience;
        server.createContext("/", this::handle);
        // a thread per request in flight: a function that hangs holds its own callers, not every route's
        server.setExecutor(Executors.newCachedThreadPool(LocalHttp.daemons("gateway")));
    }

    /** Binds {@code port} on loopback (a busy port fails here, with the caller's clear message). */
    static HttpServer bind(int port) throws IOException {
        return HttpServer.create(new InetSocketAddress("127.0.0.1", port), 64);
    }

    void start() {
        server.start();
    }

    int port() {
        return server.getAddress().getPort();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String method = exchange.getRequestMethod();
            String rawPath = exchange.getRequestURI().getRawPath();
            String path = URLDecoder.decode(rawPath.replace("+", "%2B"), StandardCharsets.UTF_8);
            if (path.equals(Demo.APP_PATH) && method.equals("GET")) {
                appPage(exchange);
                return;
            }
            if (method.equals("GET") && localPages.containsKey(path)) {
                reply(exchange, 200, Map.of("content-type", "application/json"), localPages.get(path).get());
                return;
            }
            for (LocalTemplate.Route route : routes) {
                Map<String, String> parameters = match(route, method, path);
                if (parameters != null) {
                    forward(exchange, route, parameters, path);
                    return;
                }
            }
            reply(exchange, 404, Map.of("content-type", "application/json"), "{\"message\":\"Not Found\"}");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * The stand-in for the app's own page a user comes back to after the portal (local only, not a route of the
     * template): it shows what the landing's redirect told the app.
     */
    private static void appPage(HttpExchange exchange) throws IOException {
        String query = exchange.getRequestURI().getRawQuery();
        StringBuilder rows = new StringBuilder();
        if (query != null) {
            for (String pair : query.split("&")) {
                int eq = pair.indexOf('=');
                String name = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
                String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
                rows.append("<tr><th>").append(html(name)).append("</th><td id=\"").append(html(name)).append("\">")
                        .append(html(value)).append("</td></tr>");
            }
        }
        reply(exchange, 200, Map.of("content-type", "text/html; charset=utf-8"), "<!doctype html><html><head>"
                + "<meta charset=\"utf-8\"><title>Your app: back from the portal</title></head><body>"
                + "<h1>Your app: back from the portal</h1><p>Connection Keeper's landing sent the user here with:</p>"
                + "<table>" + rows + "</table></body></html>");
    }

    private static String html(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }

    /** The path parameters when the request is this route's; null when not. */
    static Map<String, String> match(LocalTemplate.Route route, String method, String path) {
        if (!route.method().equals(method)) {
            return null;
        }
        String[] want = route.path().split("/", -1);
        String[] got = path.split("/", -1);
        if (want.length != got.length) {
            return null;
        }
        Map<String, String> parameters = new LinkedHashMap<>();
        for (int i = 0; i < want.length; i++) {
            if (want[i].startsWith("{") && want[i].endsWith("}")) {
                if (got[i].isEmpty()) {
                    return null;
                }
                parameters.put(want[i].substring(1, want[i].length() - 1), got[i]);
            } else if (!want[i].equals(got[i])) {
                return null;
            }
        }
        return parameters;
    }

    private void forward(HttpExchange exchange, LocalTemplate.Route route, Map<String, String> parameters,
                         String path) throws IOException, InterruptedException {
        Map<String, String> headers = new LinkedHashMap<>();
        exchange.getRequestHeaders().forEach((name, values) ->
                headers.put(name.toLowerCase(Locale.ROOT), String.join(",", values)));
        String identity = headers.get(IDENTITY_HEADER);
        if (route.authorized() && (identity == null || identity.isBlank())) {
            reply(exchange, 401, Map.of("content-type", "application/json", "www-authenticate", "Bearer"),
                    "{\"message\":\"Unauthorized\"}");
            return;
        }
        byte[] body = exchange.getRequestBody().readAllBytes();
        String event = event(exchange, route, parameters, path, headers, body, identity);
        RuntimeApi.Answer answer;
        hooks.before(route, parameters, identity);
        try {
            answer = functions.runtime(route.function()).invoke(event);
        } finally {
            hooks.after(route, parameters);
        }
        if (answer.error()) {
            reply(exchange, 500, Map.of("content-type", "application/json"),
                    "{\"message\":\"Internal Server Error\"}");
            return;
        }
        respond(exchange, answer.body());
    }

    private String event(HttpExchange exchange, LocalTemplate.Route route, Map<String, String> parameters,
                         String path, Map<String, String> headers, byte[] body, String identity) {
        Instant now = Instant.now();
        ObjectNode e = JSON.createObjectNode();
        e.put("version", "2.0");
        e.put("routeKey", route.routeKey());
        e.put("rawPath", exchange.getRequestURI().getRawPath());
        String rawQuery = exchange.getRequestURI().getRawQuery();
        e.put("rawQueryString", rawQuery == null ? "" : rawQuery);
        String cookie = headers.remove("cookie");
        if (cookie != null) {
            var cookies = e.putArray("cookies");
            for (String c : cookie.split(";\\s*")) {
                cookies.add(c);
            }
        }
        ObjectNode h = e.putObject("headers");
        headers.forEach(h::put);
        if (rawQuery != null && !rawQuery.isEmpty()) {
            Map<String, String> query = new LinkedHashMap<>();
            for (String pair : rawQuery.split("&")) {
                int eq = pair.indexOf('=');
                String name = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
                String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
                query.merge(name, value, (a, b) -> a + "," + b); // API Gateway joins repeated names with commas
            }
            ObjectNode q = e.putObject("queryStringParameters");
            query.forEach(q::put);
        }
        ObjectNode context = e.putObject("requestContext");
        context.put("accountId", "000000000000");
        context.put("apiId", "local");
        if (route.authorized()) {
            ObjectNode jwt = context.putObject("authorizer").putObject("jwt");
            ObjectNode claims = jwt.putObject("claims");
            claims.put("sub", identity);
            claims.put("iss", ISSUER);
            claims.put("aud", "[" + audience + "]");
            jwt.putNull("scopes");
        }
        String host = headers.getOrDefault("host", "127.0.0.1:" + port());
        context.put("domainName", host);
        context.put("domainPrefix", host.split("[.:]")[0]);
        ObjectNode http = context.putObject("http");
        http.put("method", route.method());
        http.put("path", path);
        http.put("protocol", exchange.getProtocol());
        http.put("sourceIp", exchange.getRemoteAddress().getAddress().getHostAddress());
        http.put("userAgent", headers.getOrDefault("user-agent", ""));
        context.put("requestId", UUID.randomUUID().toString());
        context.put("routeKey", route.routeKey());
        context.put("stage", "$default");
        context.put("time", REQUEST_TIME.format(now));
        context.put("timeEpoch", now.toEpochMilli());
        if (!parameters.isEmpty()) {
            ObjectNode p = e.putObject("pathParameters");
            parameters.forEach(p::put);
        }
        if (body.length > 0) {
            boolean text = isText(headers.get("content-type"));
            e.put("body", text ? new String(body, StandardCharsets.UTF_8) : Base64.getEncoder().encodeToString(body));
            e.put("isBase64Encoded", !text);
        } else {
            e.put("isBase64Encoded", false);
        }
        return e.toString();
    }

    private static boolean isText(String contentType) {
        if (contentType == null) {
            return true;
        }
        String t = contentType.toLowerCase(Locale.ROOT);
        return t.startsWith("text/") || t.contains("json") || t.contains("xml") || t.contains("x-www-form-urlencoded");
    }

    /** The function's payload-2.0 answer as the HTTP response (a body without statusCode: 200 with that JSON). */
    private static void respond(HttpExchange exchange, String answer) throws IOException {
        JsonNode r;
        try {
            r = JSON.readTree(answer);
        } catch (IOException e) {
            reply(exchange, 200, Map.of("content-type", "application/json"), answer);
            return;
        }
        if (r == null || !r.isObject() || !r.has("statusCode")) {
            reply(exchange, 200, Map.of("content-type", "application/json"), answer);
            return;
        }
        Map<String, String> headers = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = r.path("headers").fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> h = it.next();
            headers.put(h.getKey(), h.getValue().asText());
        }
        for (JsonNode cookie : r.path("cookies")) {
            exchange.getResponseHeaders().add("set-cookie", cookie.asText());
        }
        String body = r.path("body").isNull() || r.path("body").isMissingNode() ? "" : r.path("body").asText();
        byte[] bytes = r.path("isBase64Encoded").asBoolean() ? Base64.getDecoder().decode(body)
                : body.getBytes(StandardCharsets.UTF_8);
        reply(exchange, r.path("statusCode").asInt(), headers, bytes);
    }

    private static void reply(HttpExchange exchange, int status, Map<String, String> headers, String body)
            throws IOException {
        reply(exchange, status, headers, body.getBytes(StandardCharsets.UTF_8));
    }

    private static void reply(HttpExchange exchange, int status, Map<String, String> headers, byte[] body)
            throws IOException {
        LocalHttp.reply(exchange, status, headers, body);
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
