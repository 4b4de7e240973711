package com.connectionkeeper.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.connectionkeeper.simulator.SnapTradeSimulator;
import com.connectionkeeper.testkit.Fixtures;
import com.connectionkeeper.testkit.Integration;
import com.connectionkeeper.testkit.RepoPaths;
import com.connectionkeeper.testkit.SecretScan;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Runs after every module's unit tests (failsafe, in the API module, last in the reactor) and reads everything they
 * printed (surefire keeps each test class's output in target/surefire-reports/*-output.txt): no consumer key, state
 * key, Signature value or webhookSecret may appear, no log line carries a secret-named field — and the functions'
 * log lines are there and are one JSON object each.
 */
@Integration
class LogHygieneIT {
    /** The consumer key the events/ fixtures are signed with (see events/README.md). */
    private static final String LOCAL_CONSUMER_KEY = "local-snaptrade-consumer-key";

    /** Field names that would carry a secret (user secrets are random per test: no value list can hold them). */
    private static final List<String> SECRET_FIELDS = List.of("userSecret", "sealedSecret", "consumerKey",
            "signature", "webhookSecret", "state");

    @Test
    void theWholeSuitesOutputHoldsNoSecret() throws IOException {
        List<Path> outputs = outputs();
        assertTrue(outputs.size() >= 10, "surefire output files found: " + outputs);
        Set<String> secrets = secrets();
        int functionLogLines = 0;
        for (Path file : outputs) {
            String text = Files.readString(file, StandardCharsets.UTF_8);
            if (text.contains(SnapTradeSimulator.SECRET_MARK)) {
                fail(file.getFileName() + " contains a user secret the simulator issued");
            }
            for (String secret : secrets) {
                if (text.contains(secret)) {
                    fail(file.getFileName() + " contains a secret (" + secret.length() + " chars, starts "
                            + secret.substring(0, 3) + "…)");
                }
            }
            for (String line : text.split("\n")) {
                if (line.startsWith("{\"time\"")) {
                    JsonNode json = LocalApi.JSON.readTree(line);
                    assertTrue(json.isObject() && json.has("event") && json.has("level"), line);
                    for (String field : SECRET_FIELDS) {
                        assertFalse(json.has(field), field + " in a log line of " + file.getFileName());
                    }
                    functionLogLines++;
                }
            }
        }
        assertTrue(functionLogLines > 50, "the function's JSON log lines were captured: " + functionLogLines);
    }

    /**
     * The sealed secrets the API's and the sweep's suites stored (their dynalite scans list them, {@code SecretScan}):
     * not one was printed — the sealed form of a secret is no more for logs than the secret.
     */
    @Test
    void noSealedSecretWasPrinted() throws IOException {
        Set<String> sealed = new TreeSet<>();
        for (String module : List.of("api", "sweep")) {
            sealed.addAll(SecretScan.readAll(RepoPaths.root().resolve("functions").resolve(module)
                    .resolve("target/secret-scan")).sealed());
        }
        assertTrue(sealed.size() >= 20, "the scans listed the suites' sealed secrets: " + sealed.size());
        for (Path file : outputs()) {
            String text = Files.readString(file, StandardCharsets.UTF_8);
            for (String value : sealed) {
                // base64 as DynamoDB's JSON carries it; any 24-character run of it would be as telling
                if (text.contains(value.substring(0, 24))) {
                    fail(file.getFileName() + " contains a sealed secret");
                }
            }
        }
    }

    @Test
    void theSecretListIsNotEmpty() throws IOException {
        Set<String> secrets = secrets();
        assertTrue(secrets.contains(LOCAL_CONSUMER_KEY));
        assertTrue(secrets.size() > 30, "signatures, webhook secrets and keys: " + secrets.size());
    }

    /** Every consumer key, Signature header and webhookSecret the suite uses. */
    private static Set<String> secrets() throws IOException {
        Set<String> secrets = new TreeSet<>(List.of(LOCAL_CONSUMER_KEY, "TEST_CONSUMER_KEY",
                "some-other-consumer-key", "not-the-local-consumer-key",
                // the consumer keys of the simulator's, the gateway's, the sweep's and the API's suites
                "simulator-test-consumer-key", "ck-gateway-test-consumer-key-5f1c", "settings-test-key",
                "ck-sweep-test-consumer-key-8d2e", LocalApi.CONSUMER_KEY,
                // the reconnect state key of the API's suite
                LocalApi.STATE_KEY, ReturnOutcomeSignatureTest.OUTCOME_KEY));
        for (String name : Fixtures.jsonNames()) {
            if (!name.startsWith("webhook-")) {
                continue; // e.g. the sweep's scheduled event: no signature, no body
            }
            var event = LocalApi.event(name);
            String signature = event.getHeaders() == null ? null : event.getHeaders().get("signature");
            if (signature != null && signature.length() > 8) {
                secrets.add(signature);
            }
            String body = event.getBody();
            if (body != null && event.getIsBase64Encoded()) {
                body = new String(Base64.getDecoder().decode(body), StandardCharsets.UTF_8);
            }
            try {
                JsonNode payload = LocalApi.JSON.readTree(body);
                if (payload != null && payload.has("webhookSecret")) {
                    secrets.add(payload.get("webhookSecret").asText());
                }
            } catch (IOException notJson) {
                // the malformed fixture: it has no secret to find
            }
        }
        return secrets;
    }

    private static List<Path> outputs() throws IOException {
        List<Path> found = new ArrayList<>();
        List<Path> modules = new ArrayList<>();
        for (String group : List.of("dev", "functions")) {
            try (Stream<Path> dirs = Files.list(RepoPaths.root().resolve(group))) {
                dirs.filter(Files::isDirectory).forEach(modules::add);
            }
        }
        for (Path module : modules) {
            Path reports = module.resolve("target/surefire-reports");
            if (Files.isDirectory(reports)) {
                try (Stream<Path> files = Files.list(reports)) {
                    files.filter(p -> p.getFileName().toString().endsWith("-output.txt")).forEach(found::add);
                }
            }
        }
        assertEquals(found.size(), found.stream().distinct().count());
        return found;
    }
}
