package com.connectionkeeper.webhook;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.connectionkeeper.core.config.EnvironmentConfig;
import com.connectionkeeper.testkit.Dynalite;
import com.connectionkeeper.testkit.EmfCheck;
import com.connectionkeeper.testkit.Fixtures;
import com.connectionkeeper.testkit.HttpApiInvoker;
import com.connectionkeeper.testkit.Integration;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Every webhook counts itself in the metric {@code Webhooks} through its own log line, in CloudWatch's Embedded Metric
 * Format: by result (and, once handled, by event type), in the namespace the template sets per stack.
 */
@Integration
class WebhookMetricsTest {
    private final WebhookHandler handler = new WebhookHandler(WebhookEndpoint.fromConfig(new EnvironmentConfig(Map.of(
            EnvironmentConfig.TABLE_NAME, Dynalite.createTable(),
            EnvironmentConfig.DYNAMODB_ENDPOINT, Dynalite.endpoint().toString(),
            EnvironmentConfig.SNAPTRADE_CONSUMER_KEY, LocalWebhook.LOCAL_CONSUMER_KEY,
            "METRICS_NAMESPACE", "ConnectionKeeper/test-stack"))));

    /** The log lines handling the fixture printed, parsed. */
    private List<JsonNode> lines(String fixture) throws IOException {
        PrintStream out = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            HttpApiInvoker.invoke(handler, Files.readAllBytes(Fixtures.path(fixture)), null);
        } finally {
            System.setOut(out);
        }
        List<JsonNode> parsed = new ArrayList<>();
        for (String line : captured.toString(StandardCharsets.UTF_8).split("\n")) {
            if (line.startsWith("{")) {
                parsed.add(LocalWebhook.JSON.readTree(line));
            }
        }
        return parsed;
    }

    private JsonNode only(String fixture, String event) throws IOException {
        List<JsonNode> matching = lines(fixture).stream().filter(l -> event.equals(l.path("event").asText())).toList();
        assertEquals(1, matching.size(), fixture + ": " + matching);
        JsonNode line = matching.get(0);
        assertEquals(List.of(), EmfCheck.problems(line), line.toString());
        assertEquals("ConnectionKeeper/test-stack", line.at("/_aws/CloudWatchMetrics/0/Namespace").asText());
        assertEquals("[{\"Name\":\"Webhooks\",\"Unit\":\"Count\"}]",
                line.at("/_aws/CloudWatchMetrics/0/Metrics").toString());
        assertEquals(1, line.path("Webhooks").asInt());
        return line;
    }

    @Test
    void aHandledWebhookCountsByResultAndEventType() throws IOException {
        JsonNode line = only("webhook-connection-broken.json", "webhook_handled");
        assertEquals("[[],[\"result\"],[\"result\",\"eventType\"]]", line.at("/_aws/CloudWatchMetrics/0/Dimensions")
                .toString());
        assertEquals("applied", line.path("result").asText());
        assertEquals("CONNECTION_BROKEN", line.path("eventType").asText());
        assertEquals("duplicate", only("webhook-connection-broken.json", "webhook_handled").path("result").asText());
    }

    @Test
    void aRefusedWebhookCountsByResult() throws IOException {
        for (String[] c : new String[][] {{"webhook-bad-forged.json", "unauthorized"},
                {"webhook-bad-unsigned.json", "unsigned"}, {"webhook-bad-malformed.json", "bad_request"}}) {
            JsonNode line = only(c[0], "webhook_rejected");
            assertEquals(c[1], line.path("result").asText(), c[0]);
            assertEquals("[[\"result\"]]", line.at("/_aws/CloudWatchMetrics/0/Dimensions").toString(),
                    "not in the total without dimensions: junk posted to the public URL is no webhook");
        }
    }

    @Test
    void theCheckRefusesALineCloudWatchWouldNotTakeMetricsFrom() throws IOException {
        ObjectNode line = (ObjectNode) only("webhook-connection-added.json", "webhook_handled");
        line.remove("Webhooks");
        line.put("eventType", 7);
        assertEquals(List.of("dimension eventType is not a string member of the line",
                "metric Webhooks is not a number member of the line"), EmfCheck.problems(line));
        assertTrue(EmfCheck.problems(LocalWebhook.JSON.readTree("{\"event\":\"x\"}")).size() > 0);
    }
}
