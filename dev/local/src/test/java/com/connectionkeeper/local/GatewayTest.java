package com.connectionkeeper.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The local API on loopback, its function played by a stand-in runtime client that speaks the Runtime API over HTTP
 * and answers with what it is told: the API Gateway 2.0 event each request becomes (route key, raw path and query,
 * joined repeated parameters, lower-cased headers, cookies, path parameters, text and base64 bodies, the JWT
 * authorizer's claims), and the response a function's answer becomes.
 */
class GatewayTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();
    private final AtomicReference<JsonNode> lastEvent = new AtomicReference<>();
    private final AtomicReference<String> answer = new AtomicReference<>("{\"statusCode\":200,\"body\":\"ok\"}");
    private RuntimeApi runtime;
    private Gateway gateway;
    private Thread function;

    @BeforeEach
    void start() throws Exception {
        runtime = new RuntimeApi("ApiFunction", Duration.ofSeconds(5));
        function = new Thread(this::runFunction, "stand-in-function");
        function.setDaemon(true);
        function.start();
        gateway = new Gateway(Gateway.bind(0), List.of(
                new LocalTemplate.Route("POST", "/users/{userId}/connections/{connectionId}/reconnect-link",
                        "ApiFunction", true),
                new LocalTemplate.Route("GET", "/reconnect/return", "ApiFunction", false)),
                id -> runtime, "aud-local");
        gateway.start();
    }

    @AfterEach
    void stop() {
        function.interrupt();
        gateway.close();
        runtime.close();
    }

    /** What Lambda's runtime client does: take the next event, answer it. */
    private void runFunction() {
        String next = "http://" + runtime.address() + "/2018-06-01/runtime/invocation/";
        while (!Thread.currentThread().isInterrupted()) {
            try {
                HttpResponse<String> event = http.send(HttpRequest.newBuilder(URI.create(next + "next")).GET()
                        .build(), HttpResponse.BodyHandlers.ofString());
                lastEvent.set(JSON.readTree(event.body()));
                String id = event.headers().firstValue("Lambda-Runtime-Aws-Request-Id").orElseThrow();
                http.send(HttpRequest.newBuilder(URI.create(next + id + "/response"))
                        .POST(HttpRequest.BodyPublishers.ofString(answer.get())).build(),
                        HttpResponse.BodyHandlers.discarding());
            } catch (Exception e) {
                return;
            }
        }
    }

    private String url(String pathAndQuery) {
        return "http://127.0.0.1:" + gateway.port() + pathAndQuery;
    }

    @Test
    void aRequestBecomesTheEventApiGatewaySends() throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(url(
                "/users/al%20ice/connections/c-1/reconnect-link?x=1&x=2&y=%C3%A9")))
                .header("x-local-user", "al ice").header("Content-Type", "application/json")
                .header("Cookie", "a=1; b=2").header("X-Custom", "v")
                .POST(HttpRequest.BodyPublishers.ofString("{\"force\":true}")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode());
        assertEquals("ok", r.body());
        JsonNode e = lastEvent.get();
        assertEquals("2.0", e.path("version").asText());
        assertEquals("POST /users/{userId}/connections/{connectionId}/reconnect-link", e.path("routeKey").asText());
        assertEquals("/users/al%20ice/connections/c-1/reconnect-link", e.path("rawPath").asText());
        assertEquals("x=1&x=2&y=%C3%A9", e.path("rawQueryString").asText());
        assertEquals("1,2", e.path("queryStringParameters").path("x").asText(), "repeated names joined");
        assertEquals("é", e.path("queryStringParameters").path("y").asText());
        assertEquals("al ice", e.path("pathParameters").path("userId").asText(), "decoded");
        assertEquals("c-1", e.path("pathParameters").path("connectionId").asText());
        assertEquals("application/json", e.path("headers").path("content-type").asText(), "lower-cased names");
        assertEquals("v", e.path("headers").path("x-custom").asText());
        assertFalse(e.path("headers").has("cookie"), "cookies go to their own field");
        assertEquals("[\"a=1\",\"b=2\"]", e.path("cookies").toString());
        assertEquals("{\"force\":true}", e.path("body").asText());
        assertFalse(e.path("isBase64Encoded").asBoolean());
        JsonNode context = e.path("requestContext");
        assertEquals("POST", context.path("http").path("method").asText());
        assertEquals("/users/al ice/connections/c-1/reconnect-link", context.path("http").path("path").asText());
        assertEquals("$default", context.path("stage").asText());
        assertEquals("al ice", context.path("authorizer").path("jwt").path("claims").path("sub").asText());
        assertTrue(context.path("requestId").asText().length() > 10);
    }

    @Test
    void aBinaryBodyIsBase64AndAPublicRouteHasNoAuthorizer() throws Exception {
        byte[] bytes = {0, 1, 2, (byte) 0xff};
        http.send(HttpRequest.newBuilder(URI.create(url("/reconnect/return")))
                .method("GET", HttpRequest.BodyPublishers.ofByteArray(bytes))
                .header("content-type", "application/octet-stream").build(), HttpResponse.BodyHandlers.ofString());
        JsonNode e = lastEvent.get();
        assertTrue(e.path("isBase64Encoded").asBoolean());
        assertEquals(Base64.getEncoder().encodeToString(bytes), e.path("body").asText());
        assertTrue(e.path("requestContext").path("authorizer").isMissingNode());
        assertEquals("", e.path("rawQueryString").asText());
    }

    @Test
    void theFunctionsAnswerBecomesTheResponse() throws Exception {
        answer.set("{\"statusCode\":302,\"headers\":{\"location\":\"https://app.example/x\",\"cache-control\":"
                + "\"no-store\"},\"cookies\":[\"s=1; Path=/\"],\"body\":\"\"}");
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(url("/reconnect/return?state=s")))
                .GET().build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(302, r.statusCode());
        assertEquals("https://app.example/x", r.headers().firstValue("location").orElseThrow());
        assertEquals("no-store", r.headers().firstValue("cache-control").orElseThrow());
        assertEquals("s=1; Path=/", r.headers().firstValue("set-cookie").orElseThrow());

        answer.set("{\"statusCode\":200,\"isBase64Encoded\":true,\"body\":\""
                + Base64.getEncoder().encodeToString("binary".getBytes(StandardCharsets.UTF_8)) + "\"}");
        assertEquals("binary", http.send(HttpRequest.newBuilder(URI.create(url("/reconnect/return"))).GET().build(),
                HttpResponse.BodyHandlers.ofString()).body());
    }

    @Test
    void noIdentityNoRouteAndAFailingFunctionAnswerAsApiGatewayDoes() throws Exception {
        HttpResponse<String> unauthorized = http.send(HttpRequest.newBuilder(URI.create(url(
                "/users/a/connections/c/reconnect-link"))).POST(HttpRequest.BodyPublishers.noBody()).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(401, unauthorized.statusCode());
        assertEquals("{\"message\":\"Unauthorized\"}", unauthorized.body());
        HttpResponse<String> none = http.send(HttpRequest.newBuilder(URI.create(url("/users"))).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(404, none.statusCode());
        assertEquals("{\"message\":\"Not Found\"}", none.body());
        function.interrupt(); // the function stops answering
        RuntimeApi slow = new RuntimeApi("Slow", Duration.ofMillis(200));
        try (Gateway g = new Gateway(Gateway.bind(0), List.of(new LocalTemplate.Route("GET", "/x", "Slow", false)),
                id -> slow, "aud")) {
            g.start();
            HttpResponse<String> failed = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + g.port()
                    + "/x")).GET().build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(500, failed.statusCode(), "no answer within the function's timeout");
            assertEquals("{\"message\":\"Internal Server Error\"}", failed.body());
        } finally {
            slow.close();
        }
    }
}
