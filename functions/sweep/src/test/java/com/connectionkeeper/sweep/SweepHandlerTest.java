package com.connectionkeeper.sweep;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.amazonaws.services.lambda.runtime.events.ScheduledEvent;
import com.amazonaws.services.lambda.runtime.tests.EventLoader;
import com.connectionkeeper.core.config.EnvironmentConfig;
import com.connectionkeeper.testkit.Fixtures;
import com.connectionkeeper.testkit.Integration;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The sweep function wired from environment variables as in Lambda, invoked with events/sweep-scheduled.json. */
@Integration
class SweepHandlerTest {
    private LocalSweep sweep;

    @BeforeEach
    void start() {
        sweep = new LocalSweep();
    }

    @AfterEach
    void stop() {
        sweep.close();
    }

    private Map<String, String> environment() {
        return sweep.environment(3);
    }

    @Test
    void theScheduledEventFixtureRunsOneSweepAndAnswersItsSummary() {
        List<String> users = List.of(sweep.seedUser("handler-a"), sweep.seedUser("handler-b"),
                sweep.seedUser("handler-c"), sweep.seedUser("handler-d"));
        users.forEach(sweep::addConnection);
        sweep.simulator.control().breakConnection(sweep.addConnection("handler-a"));
        ScheduledEvent event = EventLoader.loadScheduledEvent(Fixtures.path("sweep-scheduled.json").toString());
        SweepHandler handler = new SweepHandler(SweepHandler.fromConfig(new EnvironmentConfig(environment())));

        Map<String, Object> summary = handler.handleRequest(event, null);

        assertEquals(false, summary.get("skipped"));
        assertEquals(3, summary.get("usersPlanned"));
        assertEquals(3, summary.get("usersChecked"));
        assertEquals(3, summary.get("requestsUsed"));
        assertEquals(3, summary.get("requestBudget"));
        assertEquals(0, summary.get("usersLeft"));
        assertEquals(Map.of(), summary.get("failures"));
        assertEquals(3, sweep.listRequests());
        sweep.assertMatchesTruth("handler-a");

        Map<String, Object> next = handler.handleRequest(event, null);
        assertEquals(1, next.get("usersChecked"), "the next run takes the user left");
        users.forEach(sweep::assertMatchesTruth);
    }

    @Test
    void lessRemainingTimeThanTheMarginStartsNoUserAndGivesTheLeaseBack() {
        sweep.seedUser("late-a");
        sweep.addConnection("late-a");
        ScheduledEvent event = EventLoader.loadScheduledEvent(Fixtures.path("sweep-scheduled.json").toString());
        SweepHandler handler = new SweepHandler(SweepHandler.fromConfig(new EnvironmentConfig(environment())));

        Map<String, Object> summary = handler.handleRequest(event, new FixedContext("late-request", 1_000));

        assertEquals("late-request", summary.get("requestId"));
        assertTrue(summary.get("runId").toString().startsWith("late-request:"), "run id = request id + a unique part");
        assertEquals(false, summary.get("skipped"));
        assertEquals(0, summary.get("usersPlanned"), "without the time for one check, not even a plan is read");
        assertEquals(0, summary.get("usersChecked"));
        assertEquals(0, summary.get("usersLeft"));
        assertEquals(List.of(), sweep.allRequests(), "no SnapTrade call");
        assertTrue(sweep.sweepQueue.tryLease("next-run", Instant.now(), Duration.ofMinutes(1)), "the lease was given back");
    }

    @Test
    void twoDeliveriesOfTheSameScheduledEventWithOneRequestIdNeverBothHoldTheLease() throws Exception {
        // Lambda may deliver one asynchronous event twice, and both invocations can carry the same request id:
        // the request id alone must not be the lease owner, or both runs believe they hold the lease.
        sweep.seedUser("dup-a");
        sweep.addConnection("dup-a");
        sweep.simulator.faults().inject(com.connectionkeeper.simulator.Endpoint.LIST_AUTHORIZATIONS,
                com.connectionkeeper.simulator.Fault.latency(Duration.ofMillis(1500)));
        ScheduledEvent event = EventLoader.loadScheduledEvent(Fixtures.path("sweep-scheduled.json").toString());
        SweepHandler handler = new SweepHandler(SweepHandler.fromConfig(new EnvironmentConfig(environment())));
        FixedContext context = new FixedContext("same-request-id", 600_000);

        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(2);
        try {
            java.util.concurrent.Future<Map<String, Object>> first = pool.submit(
                    () -> handler.handleRequest(event, context));
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (sweep.allRequests().isEmpty() && System.nanoTime() < deadline) {
                Thread.sleep(10); // the first run holds the lease and waits for SnapTrade
            }
            Map<String, Object> second = pool.submit(() -> handler.handleRequest(event, context)).get();
            Map<String, Object> firstSummary = first.get();

            assertEquals(false, firstSummary.get("skipped"));
            assertEquals(true, second.get("skipped"), "the duplicate delivery must not run while the first holds the lease");
            assertEquals(1, sweep.listRequests(), "one SnapTrade call, not two");
            assertTrue(!firstSummary.get("runId").equals(second.get("runId")), "each run has its own id");
            assertEquals("same-request-id", firstSummary.get("requestId"));
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void theTemplateGivesTheSweepFunctionEverySettingItReadsFromADeclaredParameter() {
        checkSweepSettings(com.connectionkeeper.testkit.CloudFormationTemplate.load());
        // and the check can fail: the same template without the suspect streak
        com.connectionkeeper.testkit.CloudFormationTemplate broken = com.connectionkeeper.testkit
                .CloudFormationTemplate.parse(new String(uncheck(() -> java.nio.file.Files.readAllBytes(
                        com.connectionkeeper.testkit.RepoPaths.root().resolve("template.yaml"))),
                        java.nio.charset.StandardCharsets.UTF_8)
                        .replace("          SWEEP_SUSPECT_STREAK: !Ref SweepSuspectStreak\n", ""));
        assertThrows(AssertionError.class, () -> checkSweepSettings(broken));
    }

    private static void checkSweepSettings(com.connectionkeeper.testkit.CloudFormationTemplate template) {
        com.fasterxml.jackson.databind.JsonNode env = template.resource("SweepFunction").path("Properties")
                .path("Environment").path("Variables");
        for (String name : List.of(SweepSettings.ENV_REQUESTS_PER_RUN, SweepSettings.ENV_CONCURRENCY,
                SweepSettings.ENV_RETRY_BASE_SECONDS, SweepSettings.ENV_RETRY_MAX_SECONDS,
                SweepSettings.ENV_SUSPECT_STREAK)) {
            String parameter = env.path(name).path("Ref").asText("");
            assertTrue(!parameter.isEmpty(), name + " is not set from a parameter");
            assertTrue(template.parameters().has(parameter), parameter + " is not declared");
        }
    }

    private static <T> T uncheck(java.util.concurrent.Callable<T> call) {
        try {
            return call.call();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void settingsComeFromTheEnvironmentWithTheMarginOfTheGatewaysRetryBudget() {
        SweepSettings defaults = SweepSettings.from(new EnvironmentConfig(Map.of()), Duration.ofSeconds(20));
        assertEquals(new SweepSettings(5000, 8, Duration.ofSeconds(45), 5, 100), defaults);
        assertEquals(3, SweepSettings.from(new EnvironmentConfig(Map.of(SweepSettings.ENV_SUSPECT_STREAK, "3")),
                Duration.ofSeconds(20)).suspectStreak());
        assertEquals(new SweepSettings(40, 2, Duration.ofSeconds(11)), SweepSettings.from(new EnvironmentConfig(
                Map.of(SweepSettings.ENV_REQUESTS_PER_RUN, "40", SweepSettings.ENV_CONCURRENCY, "2")),
                Duration.ofSeconds(3)));
        assertThrows(IllegalStateException.class, () -> SweepSettings.from(new EnvironmentConfig(
                Map.of(SweepSettings.ENV_CONCURRENCY, "0")), Duration.ofSeconds(3)));
    }
}
