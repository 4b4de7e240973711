package com.connectionkeeper.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.connectionkeeper.testkit.Integration;
import com.connectionkeeper.testkit.RepoPaths;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The local stack started exactly as the README says ({@code ./keeper local}, a process of its own) and driven only
 * over HTTP, as an app and a user's browser would: the repair story with exactly its lifecycle events, one bad request
 * per route (its documented 4xx, nothing changed), and Ctrl-C leaving no process behind.
 */
@Integration
class LocalStackIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern URL = Pattern.compile("^\\s+(API|simulator)\\s+(http://\\S+)");
    private final List<String> output = new CopyOnWriteArrayList<>();
    private final HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();
    private Process keeper;
    private List<ProcessHandle> children;
    private String api;
    private String simulator;

    @BeforeEach
    void start() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        keeper = new ProcessBuilder(RepoPaths.root().resolve("keeper").toString(), "local", "--port",
                String.valueOf(port), "--simulator-port", "0", "--sweep-every", "3", "--reminders-every", "30")
                .directory(RepoPaths.root().toFile()).redirectErrorStream(true).start();
        Thread reader = new Thread(() -> {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(keeper.getInputStream(),
                    StandardCharsets.UTF_8))) {
                for (String line = in.readLine(); line != null; line = in.readLine()) {
                    output.add(line);
                }
            } catch (IOException ignored) {
                // the process ended
            }
        });
        reader.setDaemon(true);
        reader.start();
        awaitLine(l -> l.startsWith("Ctrl-C stops everything"), Duration.ofSeconds(180));
        for (String line : output) {
            Matcher m = URL.matcher(line);
            if (m.find()) {
                if (m.group(1).equals("API")) {
                    api = m.group(2);
                } else {
                    simulator = m.group(2);
                }
            }
        }
        assertTrue(api != null && simulator != null, String.join("\n", output));
        children = keeper.toHandle().descendants().toList();
    }

    @AfterEach
    void stop() throws Exception {
        if (keeper != null && keeper.isAlive()) {
            keeper.destroyForcibly();
        }
    }

    @Test
    void theRepairStoryOverHttpBadRequestsChangeNothingAndCtrlCLeavesNoProcess() throws Exception {
        assertTrue(children.size() >= 6, "dynalite and five functions: " + children);
        String user = "it-" + UUID.randomUUID().toString().substring(0, 8);

        // the story
        assertEquals(201, send(post(api + "/users", "{\"userId\":\"" + user + "\"}", user)).statusCode());
        HttpResponse<String> added = send(post(simulator + "/control/users/" + user + "/connections",
                "{\"brokerage\":\"ALPACA\",\"type\":\"trade\"}", null));
        assertEquals(201, added.statusCode(), added.body());
        String c = JSON.readTree(added.body()).path("id").asText();
        awaitEvent("Connection Added", c);
        assertEquals(200, send(post(simulator + "/control/connections/" + c + "/break", "", null)).statusCode());
        awaitEvent("Connection Broken", c);
        JsonNode broken = connection(user);
        assertEquals("BROKEN", broken.path("status").asText());
        assertTrue(broken.path("needsReconnect").asBoolean());
        HttpResponse<String> link = send(post(api + "/users/" + user + "/connections/" + c + "/reconnect-link",
                "{\"redirectUrl\":\"" + api + Demo.APP_PATH + "\"}", user));
        assertEquals(200, link.statusCode(), link.body());
        String portal = JSON.readTree(link.body()).path("redirectURI").asText();
        assertEquals(200, send(HttpRequest.newBuilder(URI.create(portal)).GET()).statusCode());
        HttpResponse<String> submitted = send(HttpRequest.newBuilder(URI.create(portal))
                .header("content-type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("outcome=SUCCESS")));
        assertEquals(302, submitted.statusCode());
        String landing = submitted.headers().firstValue("location").orElseThrow();
        assertTrue(landing.startsWith(api + "/reconnect/return?"), landing);
        HttpResponse<String> back = send(HttpRequest.newBuilder(URI.create(landing)).GET());
        assertEquals(302, back.statusCode(), back.body());
        String app = back.headers().firstValue("location").orElseThrow();
        assertTrue(app.startsWith(api + Demo.APP_PATH + "?status=SUCCESS&connectionId=" + c), app);
        HttpResponse<String> page = send(HttpRequest.newBuilder(URI.create(app)).GET());
        assertEquals(200, page.statusCode());
        assertTrue(page.body().contains("SUCCESS"), page.body());
        assertEquals("ACTIVE", connection(user).path("status").asText());
        String fixed = awaitEvent("Connection Fixed", c);
        assertTrue(fixed.contains("cause=portal"), fixed);
        // SnapTrade's own CONNECTION_FIXED comes 1.5 s later and is stale: no second Fixed; a sweep changes nothing
        Thread.sleep(5_000);
        assertEquals(List.of("Connection Added", "Connection Broken", "Connection Fixed"), events(c));

        // one bad request per route: its documented 4xx, nothing changed
        String before = send(get(api + "/users/" + user + "/connections", user)).body();
        assertStatus(401, send(HttpRequest.newBuilder(URI.create(api + "/webhooks/snaptrade"))
                .header("content-type", "application/json").header("Signature", "AAAA")
                .POST(HttpRequest.BodyPublishers.ofString("{\"userId\":\"" + user + "\",\"eventType\":"
                        + "\"CONNECTION_BROKEN\",\"brokerageAuthorizationId\":\"" + c + "\"}"))), "forged webhook");
        assertStatus(400, send(get(api + "/reconnect/return", null)), "landing without state");
        assertStatus(401, send(post(api + "/users", "{\"userId\":\"x\"}", null)), "no identity");
        assertStatus(400, send(post(api + "/users", "{\"user\":\"x\"}", "x")), "POST /users without userId");
        assertStatus(400, send(HttpRequest.newBuilder(URI.create(api + "/users/" + user + "/secret"))
                .header("x-local-user", user).header("content-type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString("{}"))), "PUT secret without userSecret");
        assertStatus(404, send(post(api + "/users/nobody-" + user + "/secret/reset", "{}", "nobody-" + user)),
                "reset of an unknown user");
        assertStatus(403, send(HttpRequest.newBuilder(URI.create(api + "/users/" + user))
                .header("x-local-user", "someone-else").DELETE()), "delete for another user");
        assertStatus(403, send(get(api + "/users/" + user + "/connections", "someone-else")), "list for another user");
        assertStatus(409, send(post(api + "/users/" + user + "/connections/" + c + "/reconnect-link", "{}", user)),
                "link for a connection that is not broken");
        assertStatus(404, send(HttpRequest.newBuilder(URI.create(api + "/no/such/route")).GET()), "no route");
        assertEquals(before, send(get(api + "/users/" + user + "/connections", user)).body(), "nothing changed");
        assertEquals(List.of("Connection Added", "Connection Broken", "Connection Fixed"), events(c));

        // a second stack on the same port: a clear message and exit status 1, no stack trace, nothing started
        int port = URI.create(api).getPort();
        Process second = new ProcessBuilder(RepoPaths.root().resolve("keeper").toString(), "local", "--port",
                String.valueOf(port), "--simulator-port", "0").directory(RepoPaths.root().toFile())
                .redirectErrorStream(true).start();
        assertTrue(second.waitFor(60, TimeUnit.SECONDS));
        String said = new String(second.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(1, second.exitValue(), said);
        assertTrue(said.contains("port " + port + " is in use"), said);
        assertFalse(said.contains("Exception") || said.contains("\tat "), said);
        assertEquals(List.of(), second.toHandle().descendants().filter(ProcessHandle::isAlive).toList());

        // Ctrl-C: everything stops within seconds, nothing left
        assertEquals(0, new ProcessBuilder("kill", "-INT", String.valueOf(keeper.pid())).start().waitFor());
        assertTrue(keeper.waitFor(15, TimeUnit.SECONDS), "stopped: " + tail());
        for (ProcessHandle child : children) {
            assertTrue(child.onExit().isDone() || !child.isAlive(), "left behind: " + child.info());
        }
        assertTrue(output.stream().anyMatch(l -> l.equals("stopped")), tail());
    }

    private void assertStatus(int status, HttpResponse<String> r, String what) {
        assertEquals(status, r.statusCode(), what + ": " + r.body());
    }

    private JsonNode connection(String user) throws Exception {
        HttpResponse<String> r = send(get(api + "/users/" + user + "/connections", user));
        assertEquals(200, r.statusCode(), r.body());
        return JSON.readTree(r.body()).path("connections").path(0);
    }

    /** The detail types the stack printed for this connection, in order. */
    private List<String> events(String connection) {
        List<String> out = new ArrayList<>();
        for (String line : output) {
            if (line.startsWith("  event  ") && line.contains("connectionId=" + connection + " ")) {
                String rest = line.substring("  event  ".length());
                out.add(rest.substring(0, rest.indexOf("  ")));
            }
        }
        return out;
    }

    private String awaitEvent(String type, String connection) throws InterruptedException {
        return awaitLine(l -> l.startsWith("  event  " + type + "  ") && l.contains("connectionId=" + connection + " "),
                Duration.ofSeconds(30));
    }

    private String awaitLine(java.util.function.Predicate<String> wanted, Duration limit) throws InterruptedException {
        long until = System.nanoTime() + limit.toNanos();
        while (System.nanoTime() < until) {
            for (String line : output) {
                if (wanted.test(line)) {
                    return line;
                }
            }
            if (!keeper.isAlive()) {
                throw new AssertionError("keeper stopped: " + tail());
            }
            Thread.sleep(50);
        }
        throw new AssertionError("not printed within " + limit + ": " + tail());
    }

    private String tail() {
        List<String> copy = List.copyOf(output);
        return String.join("\n", copy.subList(Math.max(0, copy.size() - 40), copy.size()));
    }

    private static HttpRequest.Builder get(String url, String identity) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).GET();
        return identity == null ? b : b.header("x-local-user", identity);
    }

    private static HttpRequest.Builder post(String url, String json, String identity) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).header("content-type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json));
        return identity == null ? b : b.header("x-local-user", identity);
    }

    private HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
        return http.send(request.timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
    }
}
