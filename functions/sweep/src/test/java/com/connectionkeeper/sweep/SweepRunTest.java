package com.connectionkeeper.sweep;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.connectionkeeper.core.model.ConnectionStatus;
import com.connectionkeeper.core.model.RetryBackoff;
import com.connectionkeeper.core.model.Transition;
import com.connectionkeeper.core.sweep.SweepPlanner;
import com.connectionkeeper.core.sweep.UserSweep;
import com.connectionkeeper.simulator.Endpoint;
import com.connectionkeeper.simulator.Fault;
import com.connectionkeeper.snaptrade.Sleeper;
import com.connectionkeeper.snaptrade.SnapTradeSdkGateway;
import com.connectionkeeper.snaptrade.SnapTradeSettings;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import java.util.function.ToIntFunction;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Sweep runs on dynalite against the simulator: convergence to SnapTrade's truth, budgets, the lease, fairness. */
class SweepRunTest {
    private LocalSweep sweep;

    @BeforeEach
    void start() {
        sweep = new LocalSweep();
    }

    @AfterEach
    void stop() {
        sweep.close();
    }

    /** Runs until every user has been checked since {@code since}; the summaries of those runs. */
    private List<SweepSummary> runUntilAllChecked(SweepRun run, List<String> users, Instant since, int maxRuns) {
        List<SweepSummary> summaries = new ArrayList<>();
        while (!users.stream().allMatch(u -> checkedSince(u, since))) {
            assertTrue(summaries.size() < maxRuns, "not every user checked after " + maxRuns + " runs");
            summaries.add(run.run(LocalSweep.runId(), LocalSweep.PLENTY_OF_TIME));
        }
        return summaries;
    }

    private boolean checkedSince(String userId, Instant since) {
        return sweep.sweepQueue.lastChecked(userId).map(t -> !t.isBefore(since)).orElse(false);
    }

    private static Map<Transition, Integer> transitions(List<SweepSummary> runs) {
        Map<Transition, Integer> total = new EnumMap<>(Transition.class);
        runs.forEach(s -> s.transitions().forEach((k, n) -> total.merge(k, n, Integer::sum)));
        total.remove(Transition.NONE);
        return total;
    }

    private static int sum(List<SweepSummary> runs, ToIntFunction<SweepSummary> count) {
        return runs.stream().mapToInt(count).sum();
    }

    @Test
    void twoHundredUsersWithBreaksFixesDeletionsAndAdditionsUnderFaultsEndExactlyAtSnapTradesTruth() {
        Random random = new Random(4);
        List<String> users = new ArrayList<>();
        Map<String, String> owner = new HashMap<>();
        List<String> active = new ArrayList<>();
        List<String> broken = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            String user = sweep.seedUser(String.format("sweep-user-%03d", i));
            users.add(user);
            for (int c = random.nextInt(4); c > 0; c--) {
                String id = sweep.addConnection(user);
                owner.put(id, user);
                if (random.nextInt(5) == 0) {
                    sweep.simulator.control().breakConnection(id);
                    broken.add(id);
                } else {
                    active.add(id);
                }
            }
        }
        SweepRun run = sweep.run(60, 8);

        Instant firstPass = Instant.now();
        List<SweepSummary> initial = runUntilAllChecked(run, users, firstPass, 4);
        assertEquals(4, initial.size(), "200 users at 60 per run");
        assertEquals(Map.of(Transition.ADDED, active.size() + broken.size()), transitions(initial));
        assertEquals(200, sum(initial, SweepSummary::usersChecked));
        assertEquals(0, sum(initial, SweepSummary::usersLeft));
        users.forEach(sweep::assertMatchesTruth);

        // SnapTrade changes behind our back (no webhooks reach us): 20 break, 10 are fixed, 15 go, 25 arrive
        List<String> toBreak = active.subList(0, 20);
        List<String> toDelete = active.subList(20, 35);
        List<String> toFix = broken.subList(0, 10);
        toBreak.forEach(sweep.simulator.control()::breakConnection);
        toDelete.forEach(sweep.simulator.control()::deleteConnection);
        toFix.forEach(sweep.simulator.control()::fixConnection);
        IntStream.range(0, 25).forEach(i -> sweep.addConnection(users.get(random.nextInt(users.size()))));
        sweep.simulator.faults()
                .inject(Endpoint.LIST_AUTHORIZATIONS, Fault.serverError(503).times(5))
                .inject(Endpoint.LIST_AUTHORIZATIONS, Fault.rateLimited(Duration.ofSeconds(1)).times(1))
                .inject(Endpoint.LIST_AUTHORIZATIONS, Fault.malformedJson().times(3));
        sweep.simulator.requests().clear();

        // a malformed answer counts as the user's check; it is verified in the next pass: sweep until a whole pass
        // has no failure
        List<SweepSummary> after = new ArrayList<>();
        List<SweepSummary> pass;
        do {
            pass = runUntilAllChecked(run, users, Instant.now(), 4);
            after.addAll(pass);
        } while (sum(pass, s -> s.failures().values().stream().mapToInt(Integer::intValue).sum()) > 0
                && after.size() < 12);

        users.forEach(sweep::assertMatchesTruth);
        toDelete.forEach(id -> assertEquals(ConnectionStatus.DELETED,
                sweep.connections.connection(owner.get(id), id).orElseThrow().status()));
        assertEquals(Map.of(Transition.BROKEN, 20, Transition.FIXED, 10, Transition.DELETED, 15, Transition.ADDED, 25),
                transitions(after));
        assertEquals(3, sum(after, s -> s.failures(UserSweep.Failure.BAD_RESPONSE.name())));
        assertEquals(3, sum(after, s -> s.failures().values().stream().mapToInt(Integer::intValue).sum()));
        // every check is one list call; the gateway retried the 5 server errors and the 429, and the summaries count
        // every request sent, retries included
        assertEquals(sum(after, SweepSummary::usersChecked) + 6, sweep.listRequests());
        assertEquals(sweep.listRequests(), sum(after, SweepSummary::requestsUsed));
        after.forEach(s -> assertTrue(s.requestsUsed() <= s.requestBudget() + 6, s.toString()));
    }

    @Test
    void aShortRemainingTimeStopsStartingUsersAndLeavesNoUserHalfDone() {
        List<String> users = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            String user = sweep.seedUser("short-time-" + i);
            sweep.addConnection(user);
            sweep.addConnection(user);
            users.add(user);
        }
        // 30 users at 200 ms, two at a time, need 3 s; the run may start users for 1.5 s (2.5 s left, 1 s margin)
        sweep.simulator.faults().inject(Endpoint.LIST_AUTHORIZATIONS, Fault.latency(Duration.ofMillis(200)));
        long deadline = System.currentTimeMillis() + 2_500;
        LongSupplier remaining = () -> deadline - System.currentTimeMillis();

        SweepSummary summary = sweep.run(new SweepSettings(100, 2, Duration.ofSeconds(1)))
                .run(LocalSweep.runId(), remaining);

        assertTrue(remaining.getAsLong() > 0, "the run ended before its deadline");
        assertEquals(30, summary.usersPlanned());
        assertTrue(summary.usersChecked() > 0 && summary.usersChecked() < 30, summary.toString());
        assertEquals(30 - summary.usersChecked(), summary.usersLeft());
        assertEquals(Map.of(Transition.ADDED, 2 * summary.usersChecked()), summary.transitions());
        assertEquals(summary.usersChecked(), sweep.listRequests());
        int whole = 0;
        for (String user : users) {
            if (sweep.probe.lastVerified(user).isPresent()) {
                sweep.assertMatchesTruth(user);
                whole++;
            } else {
                assertEquals(List.of(), sweep.connections.connections(user), user + " was not checked: untouched");
                assertFalse(sweep.listedUsers().contains(user), user + " was not listed");
            }
        }
        assertEquals(summary.usersChecked(), whole);
    }

    @Test
    void aRunFindingTheLeaseHeldSkipsWithoutCallingSnapTrade() {
        List<String> users = List.of(sweep.seedUser("lease-a"), sweep.seedUser("lease-b"));
        users.forEach(sweep::addConnection);
        assertTrue(sweep.sweepQueue.tryLease("another-run", Instant.now(), Duration.ofMinutes(5)));

        SweepSummary summary = sweep.run(100, 4).run(LocalSweep.runId(), LocalSweep.PLENTY_OF_TIME);

        assertTrue(summary.skipped());
        assertEquals(SweepSummary.SKIPPED_REASON, summary.toMap().get("reason"));
        assertEquals(0, summary.usersChecked());
        assertEquals(0, summary.requestsUsed());
        assertEquals(List.of(), sweep.allRequests());
        users.forEach(u -> assertTrue(sweep.probe.lastVerified(u).isEmpty()));
    }

    @Test
    void overlappingRunsDoNotBothCallSnapTradeAndTheLeaseIsGivenBack() throws Exception {
        List<String> users = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            users.add(sweep.seedUser("overlap-" + i));
        }
        sweep.simulator.faults().inject(Endpoint.LIST_AUTHORIZATIONS, Fault.latency(Duration.ofMillis(300)));
        SweepRun run = sweep.run(100, 1);

        CompletableFuture<SweepSummary> slow = CompletableFuture.supplyAsync(
                () -> run.run(LocalSweep.runId(), LocalSweep.PLENTY_OF_TIME));
        long waitUntil = System.currentTimeMillis() + 10_000;
        while (sweep.allRequests().isEmpty() && System.currentTimeMillis() < waitUntil) {
            Thread.sleep(10);
        }
        SweepSummary next = run.run(LocalSweep.runId(), LocalSweep.PLENTY_OF_TIME);
        SweepSummary first = slow.get(30, TimeUnit.SECONDS);

        assertTrue(next.skipped(), next.toString());
        assertFalse(first.skipped());
        assertEquals(6, first.usersChecked());
        assertEquals(6, sweep.listRequests(), "only the lease holder called SnapTrade");
        assertFalse(run.run(LocalSweep.runId(), LocalSweep.PLENTY_OF_TIME).skipped(), "the lease was released");
    }

    @Test
    void withCapacityBelowTheUserCountEveryUserIsVerifiedOnceWithinCeilNOverCRuns() {
        int n = 23;
        int capacity = 5;
        List<String> users = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            String user = sweep.seedUser("fair-" + i);
            String connection = sweep.addConnection(user);
            if (i % 7 == 0) {
                sweep.simulator.control().breakConnection(connection);
            }
            users.add(user);
        }
        SweepRun run = sweep.run(capacity, 3);
        int runs = (n + capacity - 1) / capacity;

        // the first pass finds the broken connections; in later passes broken users come first yet nobody starves
        for (int p = 0; p < 3; p++) {
            int pass = p;
            Instant start = Instant.now();
            sweep.simulator.requests().clear();
            for (int r = 0; r < runs; r++) {
                SweepSummary summary = run.run(LocalSweep.runId(), LocalSweep.PLENTY_OF_TIME);
                assertTrue(summary.usersChecked() <= capacity, summary.toString());
            }
            users.forEach(u -> assertTrue(sweep.probe.lastVerified(u).map(t -> !t.isBefore(start)).orElse(false),
                    u + " not verified in pass " + pass));
            List<String> listed = sweep.listedUsers();
            assertEquals(n, listed.size(), "each user listed once per pass");
            assertEquals(n, listed.stream().distinct().count());
        }
    }

    @Test
    void aClientSnapTradeRefusesStopsTheRunAndBlamesNoUser() {
        List<String> users = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            users.add(sweep.seedUser("client-rejected-" + i));
        }
        SnapTradeSdkGateway wrongKey = new SnapTradeSdkGateway(SnapTradeSettings.of(LocalSweep.CLIENT_ID,
                "not-the-consumer-key").withBaseUrl(sweep.simulator.baseUrl()), Sleeper.SYSTEM, () -> 1.0,
                line -> { });
        SweepRun run = new SweepRun(sweep.sweepQueue, new SweepPlanner(sweep.sweepQueue), new UserSweep(
                sweep.connections, sweep.secrets, sweep.sweepQueue, wrongKey, Clock.systemUTC(), RetryBackoff.DEFAULT),
                Clock.systemUTC(),
                new SweepSettings(100, 1, Duration.ZERO));

        SweepSummary summary = run.run(LocalSweep.runId(), LocalSweep.PLENTY_OF_TIME);

        assertEquals(Map.of(UserSweep.Failure.CLIENT_REJECTED.name(), 1), summary.failures());
        assertEquals(1, summary.usersChecked(), "no further user started once SnapTrade refused the client");
        assertEquals(1, sweep.listRequests(), "refused at once, not retried");
        users.forEach(u -> {
            assertTrue(sweep.secrets.credentials(u).isPresent(), u + " is not flagged");
            assertTrue(sweep.sweepQueue.lastChecked(u).isEmpty(), u + " keeps its place");
        });
    }
}
