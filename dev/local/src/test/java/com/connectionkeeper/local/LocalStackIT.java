package com.connectionkeeper.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.connectionkeeper.testkit.CloudFormationTemplate;
import com.connectionkeeper.testkit.Integration;
import com.connectionkeeper.testkit.RepoPaths;
import com.connectionkeeper.testkit.SettingsCheck;
import com.connectionkeeper.testkit.TemplatePermissions;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
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
    private final HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();
    private KeeperProcess keeper;
    private String api;
    private String simulator;

    @BeforeEach
    void start() throws Exception {
        keeper = KeeperProcess.start();
        api = keeper.api();
        simulator = keeper.simulator();
    }

    @AfterEach
    void stop() {
        if (keeper != null) {
            keeper.close();
        }
    }

    @Test
    void theRepairStoryOverHttpBadRequestsChangeNothingAndCtrlCLeavesNoProcess() throws Exception {
        String user = "it-" + UUID.randomUUID().toString().substring(0, 8);

        // the story
        assertEquals(201, send(post(api + "/users", "{\"userId\":\"" + user + "\"}", user)).statusCode());
        HttpResponse<String> added = send(post(simulator + "/control/users/" + user + "/connections",
                "{\"brokerage\":\"ALPACA\",\"type\":\"trade\"}", null));
        assertEquals(201, added.statusCode(), added.body());
        String c = JSON.readTree(added.body()).path("id").asText();
        keeper.awaitEvent("Connection Added", c);
        assertEquals(200, send(post(simulator + "/control/connections/" + c + "/break", "", null)).statusCode());
        keeper.awaitEvent("Connection Broken", c);
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
        String fixed = keeper.awaitEvent("Connection Fixed", c);
        // the landing confirmed the fix (ACTIVE above, answered at once); the sweep, every 3 s here, may have seen
        // SnapTrade's fix in the moment between the portal and the landing and written it first: one Fixed either way
        assertTrue(fixed.contains("cause=portal") || fixed.contains("cause=sweep"), fixed);
        // SnapTrade's own CONNECTION_FIXED comes 1.5 s later and is stale: no second Fixed; a sweep changes nothing
        Thread.sleep(5_000);
        assertEquals(List.of("Connection Added", "Connection Broken", "Connection Fixed"), keeper.events(c));

        // one bad request per route: its documented 4xx, nothing changed
        // (the sweep, every 3 s here, may verify the user again meanwhile: its lastVerifiedAt is no change of theirs)
        String before = withoutVerificationTimes(send(get(api + "/users/" + user + "/connections", user)).body());
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
        assertEquals(before, withoutVerificationTimes(send(get(api + "/users/" + user + "/connections", user)).body()),
                "nothing changed");
        assertEquals(List.of("Connection Added", "Connection Broken", "Connection Fixed"), keeper.events(c));

        // every AWS call the real zips made is one their role in template.yaml allows (least privilege, observed)
        assertCallsAreGranted(send(get(api + "/_local/aws-calls", null)).body());
        assertSettingsAreCovered();

        // a second stack on the same port: a clear message and exit status 1, no stack trace, nothing started
        int port = URI.create(api).getPort();
        List<Long> stackBefore = KeeperProcess.stackProcesses().stream().map(ProcessHandle::pid).toList();
        Process second = KeeperProcess.command("--port", String.valueOf(port), "--simulator-port", "0").start();
        assertTrue(second.waitFor(60, TimeUnit.SECONDS));
        String said = new String(second.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(1, second.exitValue(), said);
        assertTrue(said.contains("port " + port + " is in use"), said);
        assertFalse(said.contains("Exception") || said.contains("\tat "), said);
        assertEquals(stackBefore, KeeperProcess.stackProcesses().stream().map(ProcessHandle::pid).toList(),
                "no function JVM or dynalite started or left by the second");

        // a function's JVM dies (an instance crash): the next request is served by a new one, as Lambda would
        ProcessHandle api1 = keeper.process().toHandle().descendants()
                .filter(p -> p.info().commandLine().map(line -> line.contains("ApiFunction")).orElse(false))
                .findFirst().orElseThrow();
        api1.destroyForcibly();
        keeper.awaitLine(l -> l.contains("ApiFunction: its JVM exited"), Duration.ofSeconds(10));
        long t = System.nanoTime();
        HttpResponse<String> again = send(get(api + "/users/" + user + "/connections", user));
        assertEquals(200, again.statusCode(), "answered by the new JVM: " + again.body());
        assertEquals("ACTIVE", JSON.readTree(again.body()).path("connections").path(0).path("status").asText());
        assertTrue(System.nanoTime() - t < Duration.ofSeconds(20).toNanos(), "not the old JVM's 31 s wait");

        // Ctrl-C: everything stops within seconds, nothing left
        Process stack = keeper.process();
        List<ProcessHandle> running = stack.toHandle().descendants().toList();
        assertTrue(running.size() >= 6, "dynalite and five functions: " + running);
        assertEquals(0, new ProcessBuilder("kill", "-INT", String.valueOf(stack.pid())).start().waitFor());
        assertTrue(stack.waitFor(15, TimeUnit.SECONDS), "stopped: " + keeper.tail());
        for (ProcessHandle child : running) {
            assertTrue(child.onExit().isDone() || !child.isAlive(), "left behind: " + child.info());
        }
        assertTrue(keeper.output().stream().anyMatch(l -> l.equals("stopped")), keeper.tail());
    }

    /**
     * The calls each function made (the local stack's stand-ins record who signed each: every function has its own
     * access key id) against the grants of its role: none outside them, and the story made the calls that matter.
     */
    private static void assertCallsAreGranted(String json) throws IOException {
        JsonNode made = JSON.readTree(json);
        Map<String, Set<String>> granted = TemplatePermissions.of(CloudFormationTemplate.load().tree()).grants();
        Set<String> functions = new TreeSet<>();
        made.fieldNames().forEachRemaining(functions::add);
        assertEquals(Set.of("ApiFunction", "LifecycleFunction", "SweepFunction", "WebhookFunction"),
                functions.stream().filter(f -> !f.equals("ReminderFunction")).collect(Collectors.toSet()),
                "calls signed by each function (and by nothing else): " + json);
        for (String function : functions) {
            for (JsonNode call : made.get(function)) {
                assertTrue(granted.getOrDefault(function, Set.of()).contains(call.asText()),
                        function + " called " + call.asText() + ", which its role does not grant");
            }
        }
        for (String needed : List.of("WebhookFunction dynamodb:UpdateItem ConnectionsTable",
                "WebhookFunction secretsmanager:GetSecretValue CredentialsSecret",
                "ApiFunction kms:Encrypt KeeperKey", "ApiFunction kms:Decrypt KeeperKey",
                "ApiFunction secretsmanager:GetSecretValue CredentialsSecret",
                "SweepFunction kms:Decrypt KeeperKey",
                "SweepFunction dynamodb:Query ConnectionsTable/index/BySweepOrder",
                "LifecycleFunction events:PutEvents LifecycleBus")) {
            String function = needed.substring(0, needed.indexOf(' '));
            String call = needed.substring(needed.indexOf(' ') + 1);
            assertTrue(made.path(function).toString().contains("\"" + call + "\""), "not made: " + needed + " in "
                    + json);
        }
        assertFalse(made.path("WebhookFunction").toString().contains("kms:"), "the webhook never uses KMS");
    }

    private void assertStatus(int status, HttpResponse<String> r, String what) {
        assertEquals(status, r.statusCode(), what + ": " + r.body());
    }

    private JsonNode connection(String user) throws Exception {
        HttpResponse<String> r = send(get(api + "/users/" + user + "/connections", user));
        assertEquals(200, r.statusCode(), r.body());
        return JSON.readTree(r.body()).path("connections").path(0);
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

    /**
     * Every variable each function's init read (its {@code settings_read} line, in the stack's function log) is set by
     * the template for it, or documented in the README as not required (testkit {@link SettingsCheck}).
     */
    private void assertSettingsAreCovered() throws IOException {
        Path logs = RepoPaths.root().resolve("dev/local/target/run/" + URI.create(api).getPort() + "/logs");
        JsonNode template = CloudFormationTemplate.load().tree();
        String readme = Files.readString(RepoPaths.root().resolve("README.md"));
        List<String> problems = new ArrayList<>();
        Set<String> checked = new TreeSet<>();
        try (Stream<Path> files = Files.list(logs)) {
            for (Path log : files.filter(f -> f.toString().endsWith(".log")).sorted().toList()) {
                String function = log.getFileName().toString().replace(".log", "");
                for (String line : Files.readAllLines(log)) {
                    if (line.startsWith("{") && line.contains("\"event\":\"settings_read\"")) {
                        JsonNode read = JSON.readTree(line);
                        Map<String, Boolean> reads = new TreeMap<>();
                        for (String name : read.path("set").asText().split(",")) {
                            if (!name.isEmpty()) {
                                reads.put(name, true);
                            }
                        }
                        for (String name : read.path("unset").asText().split(",")) {
                            if (!name.isEmpty()) {
                                reads.put(name, false);
                            }
                        }
                        problems.addAll(SettingsCheck.problems(template, function, reads, readme));
                        checked.add(function);
                    }
                }
            }
        }
        assertEquals(Set.of("ApiFunction", "LifecycleFunction", "ReminderFunction", "SweepFunction",
                "WebhookFunction"), checked, "each function of the stack logged what its init read");
        assertEquals(List.of(), problems);
    }

    /** The listing without its lastVerifiedAt times (the sweep's, not a request's). */
    private static String withoutVerificationTimes(String listing) {
        return listing.replaceAll("\"lastVerifiedAt\":\"[^\"]*\"", "\"lastVerifiedAt\":\"-\"");
    }
}
