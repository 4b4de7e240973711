package com.connectionkeeper.sweep;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.amazonaws.services.lambda.runtime.events.ScheduledEvent;
import com.connectionkeeper.core.config.EnvironmentConfig;
import com.connectionkeeper.core.log.Emf;
import com.connectionkeeper.core.sweep.ConnectionCensus;
import com.connectionkeeper.core.sweep.ConnectionCensus.Count;
import com.connectionkeeper.core.sweep.SweepQueue;
import com.connectionkeeper.testkit.EmfCheck;
import com.connectionkeeper.testkit.Integration;
import com.connectionkeeper.testkit.MutableClock;
import com.connectionkeeper.testkit.StdoutCapture;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What a sweep run tells CloudWatch: its progress (users checked, SnapTrade requests and 429s, the pass's age and the
 * age the configured pace gives it) and the census gauges (users, connections, broken ones, in all and by brokerage),
 * each an Embedded Metric Format line CloudWatch accepts.
 */
@Integration
class SweepMetricsTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private LocalSweep sweep;

    @BeforeEach
    void start() {
        sweep = new LocalSweep();
    }

    @AfterEach
    void stop() {
        sweep.close();
    }

    private SweepHandler handler(String schedule) {
        Map<String, String> env = new HashMap<>(sweep.environment(2));
        env.put(Emf.NAMESPACE_VARIABLE, "ConnectionKeeper/test-stack");
        if (schedule != null) {
            env.put(SweepHandler.ENV_SCHEDULE, schedule);
        }
        return new SweepHandler(new EnvironmentConfig(env), null);
    }

    /** The lines of one run, by event, each checked as EMF. */
    private List<JsonNode> run(SweepHandler handler, String event) throws IOException {
        List<String> lines = StdoutCapture.linesOf(() -> handler.handleRequest(new ScheduledEvent(), null));
        List<JsonNode> found = new ArrayList<>();
        for (String line : lines) {
            JsonNode node = JSON.readTree(line);
            if (event.equals(node.path("event").asText())) {
                assertEquals(List.of(), EmfCheck.problems(node), line);
                assertEquals("ConnectionKeeper/test-stack", node.at("/_aws/CloudWatchMetrics/0/Namespace").asText());
                found.add(node);
            }
        }
        return found;
    }

    @Test
    void aRunReportsItsProgressAndTheCensusInAllAndByBrokerage() throws IOException {
        for (String user : List.of("m-a", "m-b", "m-c")) {
            sweep.seedUser(user);
        }
        sweep.addConnection("m-a");
        sweep.simulator.control().breakConnection(sweep.simulator.control().addConnection("m-a", "QUESTRADE",
                "read"));
        sweep.simulator.control().breakConnection(sweep.addConnection("m-b"));
        sweep.simulator.control().addConnection("m-c", "QUESTRADE", "trade");
        SweepHandler handler = handler("rate(10 minutes)");

        List<JsonNode> progress = run(handler, "sweep_progress");
        assertEquals(1, progress.size());
        JsonNode p = progress.get(0);
        assertEquals(2, p.path("SweepUsersChecked").asInt(), "two users a run");
        assertEquals(2, p.path("SnapTradeRequests").asInt());
        assertEquals(0, p.path("SnapTradeRateLimited").asInt());
        assertEquals(0, p.path("SnapTradeClientRejected").asInt());
        assertEquals(0, p.path("SweepPassAgeMinutes").asInt(), "the pass began with this run");
        assertEquals(20, p.path("SweepPassExpectedMinutes").asInt(), "3 users, 2 a run: 2 runs of 10 minutes");
        assertEquals("[[]]", p.at("/_aws/CloudWatchMetrics/0/Dimensions").toString(), "no dimension");

        run(handler, "sweep_progress"); // the third user: every connection is known now
        List<JsonNode> census = run(handler, "connection_census");
        JsonNode total = census.stream().filter(l -> !l.has("brokerage")).findFirst().orElseThrow();
        assertEquals(3, total.path("Users").asInt());
        assertEquals(4, total.path("Connections").asInt());
        assertEquals(2, total.path("BrokenConnections").asInt());
        assertEquals(50.0, total.path("BrokenConnectionsPercent").asDouble());
        Map<String, List<Integer>> byBrokerage = new TreeMap<>();
        census.stream().filter(l -> l.has("brokerage")).forEach(l -> {
            assertEquals("[[\"brokerage\"]]", l.at("/_aws/CloudWatchMetrics/0/Dimensions").toString());
            byBrokerage.put(l.path("brokerage").asText(), List.of(l.path("Connections").asInt(),
                    l.path("BrokenConnections").asInt()));
        });
        assertEquals(Map.of("ALPACA", List.of(2, 1), "QUESTRADE", List.of(2, 1)), byBrokerage);
    }

    @Test
    void aDeletedConnectionLeavesTheCensus() throws IOException {
        sweep.seedUser("d-a");
        String gone = sweep.addConnection("d-a");
        sweep.addConnection("d-a");
        SweepHandler handler = handler(null);
        run(handler, "sweep_progress");
        sweep.simulator.control().deleteConnection(gone);
        JsonNode total = run(handler, "connection_census").stream().filter(l -> !l.has("brokerage")).findFirst()
                .orElseThrow();
        assertEquals(1, total.path("Connections").asInt(), "the deleted one is not counted");
    }

    @Test
    void withoutARateScheduleNoExpectedPassAgeIsGuessed() throws IOException {
        sweep.seedUser("c-a");
        JsonNode p = run(handler("cron(0/10 * * * ? *)"), "sweep_progress").get(0);
        assertFalse(p.has("SweepPassExpectedMinutes"), p.toString());
        assertTrue(p.has("SweepPassAgeMinutes"));
    }

    /** A census whose every read fails, as DynamoDB throttled or unavailable would. */
    private static final ConnectionCensus FAILING = new ConnectionCensus() {
        @Override
        public int users() {
            throw new IllegalStateException("index unavailable");
        }

        @Override
        public Map<String, Count> connectionsByBrokerage() {
            throw new IllegalStateException("index unavailable");
        }
    };

    private static final SweepSummary DONE = new SweepSummary("r", false, 1, 1, Map.of(), Map.of("CLIENT_REJECTED",
            1), 1, 0, 10, 5, 0, true);

    @Test
    void aCensusThatFailsWritesNoGaugeButTheProgressStands() {
        List<String> out = new ArrayList<>();
        new SweepMetrics(FAILING, sweep.sweepQueue, new MutableClock(), "ns", 10,
                Optional.of(Duration.ofMinutes(10)), out::add).report(DONE, () -> 60_000);
        List<String> progress = out.stream().filter(l -> l.contains("\"event\":\"sweep_progress\"")).toList();
        assertEquals(1, progress.size(), out.toString());
        assertFalse(progress.get(0).contains("SweepPassExpectedMinutes"), "no users counted: no expected age");
        assertTrue(progress.get(0).contains("\"SweepPassAgeMinutes\":"), "the pass was read: " + progress);
        assertTrue(progress.get(0).contains("\"SnapTradeClientRejected\":2"), "a refusal and a suspect stop");
        assertTrue(out.stream().anyMatch(l -> l.contains("\"event\":\"connection_census_failed\"")), out.toString());
        assertTrue(out.stream().noneMatch(l -> l.contains("\"Connections\"")), "no gauge from a failed census");
    }

    @Test
    void aFailedPassReadLeavesItsAgeOutAndNeverFailsTheFinishedRun() throws IOException {
        SweepQueue broken = (SweepQueue) Proxy.newProxyInstance(SweepQueue.class.getClassLoader(),
                new Class<?>[] {SweepQueue.class}, (proxy, method, args) -> {
                    throw new IllegalStateException("ProvisionedThroughputExceeded (" + method.getName() + ")");
                });
        List<String> out = new ArrayList<>();
        new SweepMetrics(FAILING, broken, new MutableClock(), "ns", 10, Optional.of(Duration.ofMinutes(10)),
                out::add).report(DONE, () -> 60_000); // threw before: Lambda would have run the sweep again
        String progress = out.stream().filter(l -> l.contains("\"event\":\"sweep_progress\"")).findFirst()
                .orElseThrow();
        assertFalse(progress.contains("SweepPassAgeMinutes"), progress);
        assertEquals(List.of(), EmfCheck.problems(JSON.readTree(progress)), "a declared metric is always present");
    }

    @Test
    void withLittleTimeLeftTheCensusWaitsForTheNextRun() {
        List<String> out = new ArrayList<>();
        ConnectionCensus untouchable = new ConnectionCensus() {
            @Override
            public int users() {
                return 3;
            }

            @Override
            public Map<String, Count> connectionsByBrokerage() {
                throw new AssertionError("no census with less than 30 s left");
            }
        };
        new SweepMetrics(untouchable, sweep.sweepQueue, new MutableClock(), "ns", 10,
                Optional.of(Duration.ofMinutes(10)), out::add).report(DONE, () -> 29_999);
        assertTrue(out.stream().anyMatch(l -> l.contains("\"event\":\"connection_census_skipped\"")), out.toString());
        assertTrue(out.stream().anyMatch(l -> l.contains("\"SweepPassExpectedMinutes\":10")), "users still counted");
    }

    @Test
    void oneCountOfTheUsersServesTheProgressAndTheCensus() {
        int[] counts = new int[2];
        ConnectionCensus counted = new ConnectionCensus() {
            @Override
            public int users() {
                counts[0]++;
                return 3;
            }

            @Override
            public Map<String, Count> connectionsByBrokerage() {
                counts[1]++;
                return Map.of("ALPACA", new Count(4, 1));
            }
        };
        List<String> out = new ArrayList<>();
        new SweepMetrics(counted, sweep.sweepQueue, new MutableClock(), "ns", 10,
                Optional.of(Duration.ofMinutes(10)), out::add).report(DONE, () -> 60_000);
        assertEquals(1, counts[0], "the users are counted once a run (a whole index read)");
        assertEquals(1, counts[1]);
        assertTrue(out.stream().anyMatch(l -> l.contains("\"Users\":3")), out.toString());
    }

    @Test
    void aSkippedRunReportsNothing() {
        List<String> out = new ArrayList<>();
        new SweepMetrics(FAILING, sweep.sweepQueue, new MutableClock(), "ns", 10, Optional.empty(), out::add)
                .report(SweepSummary.skipped("r", 10, 1), () -> 60_000);
        assertEquals(List.of(), out);
    }

    @Test
    void theScheduleGivesThePaceOnlyForRates() {
        assertEquals(Optional.of(Duration.ofMinutes(10)), SweepMetrics.rateInterval("rate(10 minutes)"));
        assertEquals(Optional.of(Duration.ofMinutes(1)), SweepMetrics.rateInterval(" rate(1 minute) "));
        assertEquals(Optional.of(Duration.ofHours(2)), SweepMetrics.rateInterval("rate(2 hours)"));
        assertEquals(Optional.of(Duration.ofDays(1)), SweepMetrics.rateInterval("rate(1 day)"));
        assertEquals(Optional.empty(), SweepMetrics.rateInterval("rate(0 minutes)"));
        assertEquals(Optional.empty(), SweepMetrics.rateInterval("cron(0/10 * * * ? *)"));
        assertEquals(Optional.empty(), SweepMetrics.rateInterval("rate(10 fortnights)"));
        assertEquals(Optional.empty(), SweepMetrics.rateInterval(null));
        assertEquals(10, SweepMetrics.expectedPassMinutes(0, 150, Duration.ofMinutes(10)), "at least one run");
        assertEquals(10, SweepMetrics.expectedPassMinutes(150, 150, Duration.ofMinutes(10)));
        assertEquals(20, SweepMetrics.expectedPassMinutes(151, 150, Duration.ofMinutes(10)));
        assertEquals(6670, SweepMetrics.expectedPassMinutes(100_000, 150, Duration.ofMinutes(10)));
        // continuous runs: the shared budget, not the runs' cap, sets the pace
        assertEquals(477, SweepMetrics.expectedPassMinutes(100_000, 5000, Duration.ofMinutes(1), 210.0));
        assertEquals(6670, SweepMetrics.expectedPassMinutes(100_000, 150, Duration.ofMinutes(10), 210.0),
                "the slower of the two");
    }
}
