package com.connectionkeeper.local;

import com.connectionkeeper.testkit.LoopbackEventBridge;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * {@code ./keeper local --demo}: the whole repair story, played against the running stack over HTTP as an app and a
 * user would, each step printed with what changed: a user registered, a brokerage connected at the simulator, the
 * connection broken there, SnapTrade's webhook arriving, the status showing {@code needsReconnect}, the
 * {@code Connection Broken} event, a reconnect link, the portal completed, the return landing, ACTIVE, the
 * {@code Connection Fixed} event, and SnapTrade's late {@code CONNECTION_FIXED} webhook found stale. A step that does
 * not hold stops the story with what was expected and what came.
 */
final class Demo {
    /** The local stand-in for the app's own page a user returns to (not a route of the template). */
    static final String APP_PATH = "/_local/app";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration WAIT = Duration.ofSeconds(20);
    private final String api;
    private final String simulator;
    private final Supplier<List<LoopbackEventBridge.Entry>> events;
    private final Path webhookLog;
    private final PrintStream out;
    private final HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private int step;

    Demo(String api, String simulator, Supplier<List<LoopbackEventBridge.Entry>> events, Path webhookLog,
         PrintStream out) {
        this.api = api;
        this.simulator = simulator;
        this.events = events;
        this.webhookLog = webhookLog;
        this.out = out;
    }

    /** A step that did not hold. */
    static final class StepFailed extends RuntimeException {
        StepFailed(String message) {
            super(message);
        }
    }

    /** Plays the story; true when every step held. */
    boolean play() {
        long t0 = System.nanoTime();
        String user = "demo-" + UUID.randomUUID().toString().substring(0, 8);
        out.println();
        out.println("Demo: the repair of one broken connection, as user " + user);
        try {
            story(user);
            out.printf("Demo done: every step held, in %.1f s.%n", (System.nanoTime() - t0) / 1e9);
            return true;
        } catch (StepFailed | IOException e) {
            out.println("Demo stopped at step " + (step + 1) + ": " + e.getMessage());
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private void story(String user) throws IOException, InterruptedException {
        HttpResponse<String> r = send(post(api + "/users", "{\"userId\":\"" + user + "\"}")
                .header("x-local-user", user));
        expect(r, 201);
        say("register the user with our API (it registers them at SnapTrade)", "POST /users → 201 " + r.body());

        r = send(post(simulator + "/control/users/" + user + "/connections",
                "{\"brokerage\":\"ALPACA\",\"type\":\"trade\"}"));
        expect(r, 201);
        String connection = JSON.readTree(r.body()).path("id").asText();
        JsonNode added = awaitEvent("Connection Added", connection);
        say("the user connects Alpaca at SnapTrade (simulator); SnapTrade's CONNECTION_ADDED webhook reaches us",
                "event Connection Added, cause " + added.path("data").path("cause").asText() + ", connection "
                        + connection);

        expect(send(post(simulator + "/control/connections/" + connection + "/break", "")), 200);
        JsonNode broken = awaitEvent("Connection Broken", connection);
        say("SnapTrade breaks it (its token expired); the CONNECTION_BROKEN webhook arrives",
                "event Connection Broken, cause " + broken.path("data").path("cause").asText() + ", needsReconnect "
                        + broken.path("data").path("needsReconnect").asBoolean());

        r = send(get(api + "/users/" + user + "/connections").header("x-local-user", user));
        expect(r, 200);
        JsonNode status = JSON.readTree(r.body()).path("connections").path(0);
        check(status.path("needsReconnect").asBoolean() && status.path("status").asText().equals("BROKEN"),
                "status BROKEN with needsReconnect", r.body());
        say("the app asks for the user's connections", "GET …/connections → BROKEN, needsReconnect: true");

        r = send(post(api + "/users/" + user + "/connections/" + connection + "/reconnect-link",
                "{\"redirectUrl\":\"" + api + APP_PATH + "\"}").header("x-local-user", user));
        expect(r, 200);
        String portal = JSON.readTree(r.body()).path("redirectURI").asText();
        say("the app asks for a reconnect link and sends it to the user", "redirectURI " + portal);

        expect(send(get(portal)), 200);
        r = send(HttpRequest.newBuilder(URI.create(portal)).header("content-type",
                "application/x-www-form-urlencoded").POST(HttpRequest.BodyPublishers.ofString("outcome="
                + URLEncoder.encode("SUCCESS", StandardCharsets.UTF_8))));
        expect(r, 302);
        String landing = r.headers().firstValue("location").orElse("");
        check(landing.startsWith(api + "/reconnect/return?"), "SnapTrade's redirect to our landing", landing);
        say("the user opens it and logs in to the same account at the portal", "302 → our landing");

        r = send(get(landing));
        expect(r, 302);
        String app = r.headers().firstValue("location").orElse("");
        check(app.startsWith(api + APP_PATH + "?status=SUCCESS"), "the landing's 302 to the app with SUCCESS", app);
        say("the browser comes back through our landing", "302 → " + app.substring(0, Math.min(app.length(), 90))
                + "…");

        r = send(get(api + "/users/" + user + "/connections").header("x-local-user", user));
        JsonNode now = JSON.readTree(r.body()).path("connections").path(0);
        check(now.path("status").asText().equals("ACTIVE"), "ACTIVE", r.body());
        JsonNode fixed = awaitEvent("Connection Fixed", connection);
        check(fixed.path("data").path("cause").asText().equals("portal"), "fixed by the portal's return",
                fixed.toString());
        say("the same connection is repaired", "ACTIVE, same id " + connection + "; event Connection Fixed, cause "
                + "portal");

        String result = awaitWebhookResult(connection, "CONNECTION_FIXED");
        check(result.equals("stale"), "SnapTrade's late CONNECTION_FIXED found stale", result);
        say("SnapTrade's own CONNECTION_FIXED webhook arrives after the return", "answered 200, result " + result
                + ": nothing changed, no second event");
    }

    private void say(String what, String changed) {
        step++;
        out.printf("  %2d. %s%n      → %s%n", step, what, changed);
    }

    private JsonNode awaitEvent(String detailType, String connection) throws InterruptedException {
        return await(() -> events.get().stream()
                .filter(e -> e.detailType().equals(detailType)
                        && e.detail().path("data").path("connectionId").asText().equals(connection))
                .map(LoopbackEventBridge.Entry::detail).findFirst(), "the event " + detailType);
    }

    /** Our answer to SnapTrade's webhook of this type for the connection, from the webhook function's log. */
    private String awaitWebhookResult(String connection, String type) throws InterruptedException {
        return await(() -> {
            try {
                return Files.readAllLines(webhookLog).stream()
                        .filter(l -> l.contains("\"event\":\"webhook_handled\"") && l.contains(connection)
                                && l.contains("\"eventType\":\"" + type + "\""))
                        .reduce((a, b) -> b)
                        .map(l -> {
                            try {
                                return JSON.readTree(l).path("result").asText();
                            } catch (IOException e) {
                                return null;
                            }
                        });
            } catch (IOException e) {
                return Optional.empty();
            }
        }, "SnapTrade's " + type + " webhook");
    }

    private <T> T await(Supplier<Optional<T>> probe, String what) throws InterruptedException {
        long until = System.nanoTime() + WAIT.toNanos();
        while (System.nanoTime() < until) {
            Optional<T> found = probe.get();
            if (found.isPresent()) {
                return found.get();
            }
            Thread.sleep(100);
        }
        throw new StepFailed(what + " did not come within " + WAIT.toSeconds() + " s");
    }

    private static void check(boolean ok, String expected, String got) {
        if (!ok) {
            throw new StepFailed("expected " + expected + ", got " + got);
        }
    }

    private static void expect(HttpResponse<String> r, int status) {
        check(r.statusCode() == status, "HTTP " + status + " from " + r.request().method() + " " + r.uri(),
                r.statusCode() + " " + r.body());
    }

    private static HttpRequest.Builder get(String url) {
        return HttpRequest.newBuilder(URI.create(url)).GET();
    }

    private static HttpRequest.Builder post(String url, String json) {
        return HttpRequest.newBuilder(URI.create(url)).header("content-type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json));
    }

    private HttpResponse<String> send(HttpRequest.Builder request) throws IOException, InterruptedException {
        return http.send(request.timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
    }
}
