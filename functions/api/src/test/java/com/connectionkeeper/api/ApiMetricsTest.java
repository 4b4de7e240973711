package com.connectionkeeper.api;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.connectionkeeper.testkit.EmfCheck;
import com.connectionkeeper.testkit.Integration;
import com.connectionkeeper.testkit.StdoutCapture;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The API counts reconnect links by result (issued, reused, limited) and the return landing's outcomes, each in its
 * own log line as Embedded Metric Format CloudWatch accepts.
 */
@Integration
class ApiMetricsTest extends AliceWithOneConnection {
    /** The metric lines {@code action} printed, each checked as EMF. */
    private static List<JsonNode> metricLines(Runnable action) throws IOException {
        List<String> lines = StdoutCapture.linesOf(action);
        List<JsonNode> metrics = new ArrayList<>();
        for (String line : lines) {
            JsonNode node = LocalApi.JSON.readTree(line);
            if (node.has("_aws")) {
                assertEquals(List.of(), EmfCheck.problems(node), line);
                assertEquals("ConnectionKeeper/test", node.at("/_aws/CloudWatchMetrics/0/Namespace").asText());
                metrics.add(node);
            }
        }
        return metrics;
    }

    private static JsonNode only(List<JsonNode> lines) {
        assertEquals(1, lines.size(), lines.toString());
        return lines.get(0);
    }

    @Test
    void linksCountByResultAndLandingsByOutcome() throws IOException {
        api.reconfigure(Map.of("METRICS_NAMESPACE", "ConnectionKeeper/test", "RECONNECT_LINKS_PER_WINDOW", "1"));

        JsonNode issued = only(metricLines(() -> assertEquals(200, api.reconnectLink("alice", c, null)
                .getStatusCode())));
        assertEquals("reconnect_link_issued", issued.path("event").asText());
        assertEquals("issued", issued.path("result").asText());
        assertEquals(1, issued.path("ReconnectLinks").asInt());
        assertEquals("[[\"result\"]]", issued.at("/_aws/CloudWatchMetrics/0/Dimensions").toString());
        String state = api.lastState();

        assertEquals("reused", only(metricLines(() -> assertEquals(200, api.reconnectLink("alice", c, null)
                .getStatusCode()))).path("result").asText(), "the same options: the live link again");
        assertEquals("limited", only(metricLines(() -> assertEquals(429, api.reconnectLink("alice", c,
                "{\"darkMode\":true}").getStatusCode()))).path("result").asText(), "a new link over the limit");

        api.simulator.control().fixConnection(c);
        JsonNode landed = only(metricLines(() -> api.land(state, "SUCCESS", c)));
        assertEquals("reconnect_return", landed.path("event").asText());
        assertEquals("SUCCESS", landed.path("outcome").asText());
        assertEquals(1, landed.path("ReturnLandings").asInt());
    }
}
