package com.connectionkeeper.sweep;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.connectionkeeper.core.model.RetryBackoff;
import com.connectionkeeper.core.secrets.SecretStore;
import com.connectionkeeper.core.snaptrade.UserCredentials;
import com.connectionkeeper.core.sweep.SweepPlanner;
import com.connectionkeeper.core.sweep.UserSweep;
import com.connectionkeeper.simulator.Endpoint;
import com.connectionkeeper.simulator.Fault;
import com.connectionkeeper.snaptrade.Sleeper;
import com.connectionkeeper.snaptrade.SnapTradeSdkGateway;
import com.connectionkeeper.testkit.Integration;
import com.connectionkeeper.testkit.MutableClock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Issue 9.2 on dynalite and the simulator: the sweep does not blame users for our infrastructure. A 404 that is not
 * SnapTrade's flags nobody; many users blamed in a row stop the run as "client suspect" instead of flagging them all;
 * a flagged user is rechecked on its own backoff, not never.
 */
@Integration
class SweepBlameTest {
    private LocalSweep sweep;
    private MutableClock clock;
    private SnapTradeSdkGateway gateway;

    @BeforeEach
    void start() {
        sweep = new LocalSweep();
        clock = new MutableClock();
        gateway = new SnapTradeSdkGateway(sweep.settings, Sleeper.SYSTEM, () -> 1.0, line -> { });
    }

    @AfterEach
    void stop() {
        sweep.close();
    }

    private SweepRun run(int requestsPerRun, int concurrency) {
        UserSweep users = new UserSweep(sweep.connections, sweep.secrets, sweep.sweepQueue, gateway, clock,
                RetryBackoff.DEFAULT);
        return new SweepRun(sweep.sweepQueue, new SweepPlanner(sweep.sweepQueue), users, clock,
                new SweepSettings(requestsPerRun, concurrency, Duration.ZERO, 5));
    }

    private List<String> seedUsers(String prefix, int n) {
        List<String> users = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            users.add(sweep.seedUser(prefix + i));
        }
        return users;
    }

    private boolean flagged(String userId) {
        return sweep.secrets.credentials(userId).isEmpty();
    }

    /** Users scheduled for a retry like a transient failure (due within the next minute). */
    private long retriesDueWithinAMinute() {
        return sweep.sweepQueue.usersDueForRetry(clock.instant().plus(Duration.ofMinutes(1))).count();
    }

    @Test
    void a404ThatIsNotSnapTradesFlagsNobodyAndEveryoneIsRetried() {
        List<String> users = seedUsers("lb-", 10);
        sweep.simulator.faults().inject(Endpoint.LIST_AUTHORIZATIONS, Fault.foreignError(404));

        SweepSummary summary = run(100, 2).run(LocalSweep.runId(), LocalSweep.PLENTY_OF_TIME);

        assertEquals(Map.of(UserSweep.Failure.UNAVAILABLE.name(), 10), summary.failures());
        assertEquals(10, sweep.listRequests(), "not retried at once: a wrong path does not heal in seconds");
        users.forEach(u -> assertFalse(flagged(u), u + " must not be blamed for a load balancer's 404"));
        assertEquals(10, retriesDueWithinAMinute());
    }

    @Test
    void manyUsersBlamedInARowStopTheRunAsClientSuspectAndFlagNobody() {
        List<String> users = seedUsers("blamed-", 20);
        sweep.simulator.faults().inject(Endpoint.LIST_AUTHORIZATIONS, Fault.snapTradeError(401, "1083"));

        SweepSummary summary = run(100, 1).run(LocalSweep.runId(), LocalSweep.PLENTY_OF_TIME);

        assertTrue(summary.clientSuspect());
        assertEquals(5, summary.usersChecked(), "stopped after five users blamed in a row");
        assertEquals(Map.of(UserSweep.Failure.CREDENTIALS_REJECTED.name(), 5), summary.failures());
        assertEquals(5, sweep.listRequests());
        users.forEach(u -> assertFalse(flagged(u), u + " is not flagged"));
        assertEquals(5, retriesDueWithinAMinute(),
                "the five blamed are retried like a transient failure");
        assertEquals(true, summary.toMap().get("clientSuspect"));

        sweep.simulator.faults().clearAll(); // the incident is over: the next runs verify everyone
        clock.advance(Duration.ofMinutes(1));
        SweepSummary next = run(100, 1).run(LocalSweep.runId(), LocalSweep.PLENTY_OF_TIME);
        assertFalse(next.clientSuspect());
        assertEquals(Map.of(), next.failures());
        assertEquals(20, next.usersChecked());
    }

    @Test
    void blamesNoVerificationConfirmsAreNeverBelievedEvenBelowTheStreak() {
        // a small deployment (or a run cut short) under a wrong client: fewer blames than the streak, nobody verified
        List<String> users = seedUsers("few-", 3);
        sweep.simulator.faults().inject(Endpoint.LIST_AUTHORIZATIONS, Fault.snapTradeError(401, "1083"));

        SweepSummary summary = run(100, 1).run(LocalSweep.runId(), LocalSweep.PLENTY_OF_TIME);

        assertFalse(summary.clientSuspect());
        assertEquals(Map.of(UserSweep.Failure.CREDENTIALS_REJECTED.name(), 3), summary.failures());
        users.forEach(u -> assertFalse(flagged(u), u + ": nothing showed that SnapTrade accepts our client"));
        assertEquals(3, retriesDueWithinAMinute());
    }

    @Test
    void rechecksOfFlaggedUsersRejectedAgainAreNotASuspectStreak() {
        List<String> fine = seedUsers("ok-", 3);
        List<String> rotated = seedUsers("rotated-", 6);
        for (String u : rotated) { // SnapTrade rotated their secrets elsewhere; they were flagged an hour ago
            SecretStore.HeldSecret ours = sweep.secrets.heldSecret(u).orElseThrow();
            gateway.resetUserSecret(ours.credentials());
            sweep.secrets.flagUser(u, "CREDENTIALS_REJECTED", clock.instant(), ours.version());
        }
        clock.advance(Duration.ofMinutes(61));

        SweepSummary summary = run(100, 1).run(LocalSweep.runId(), LocalSweep.PLENTY_OF_TIME);

        assertFalse(summary.clientSuspect(), "six flagged users rejected again in a row are no sign against us");
        assertEquals(9, summary.usersChecked());
        assertEquals(Map.of(UserSweep.Failure.CREDENTIALS_REJECTED.name(), 6), summary.failures());
        rotated.forEach(u -> assertTrue(flagged(u)));
        fine.forEach(u -> assertFalse(flagged(u)));
        assertEquals(0, sweep.sweepQueue.usersDueForRetry(clock.instant().plus(Duration.ofMinutes(119))).count(),
                "flagged again: the next recheck two hours on");
        assertEquals(6, sweep.sweepQueue.usersDueForRetry(clock.instant().plus(Duration.ofMinutes(121))).count());
    }

    @Test
    void aUserSnapTradeReallyRejectsAmongWorkingOnesIsFlaggedAndRecheckedOnItsBackoff() {
        List<String> users = seedUsers("fine-", 6);
        String rejected = sweep.seedUser("rotated-elsewhere");
        // the secret we hold is retired at SnapTrade (someone rotated it outside Connection Keeper)
        UserCredentials ours = sweep.secrets.credentials(rejected).orElseThrow();
        gateway.resetUserSecret(ours);

        SweepSummary first = run(100, 2).run(LocalSweep.runId(), LocalSweep.PLENTY_OF_TIME);

        assertFalse(first.clientSuspect());
        assertEquals(Map.of(UserSweep.Failure.CREDENTIALS_REJECTED.name(), 1), first.failures());
        assertTrue(flagged(rejected), "believed: other users were verified in the same run");
        users.forEach(u -> assertFalse(flagged(u)));

        sweep.simulator.requests().clear();
        for (int r = 0; r < 5; r++) { // five more passes inside the hour: the flagged user takes no place
            clock.advance(Duration.ofMinutes(10));
            run(100, 2).run(LocalSweep.runId(), LocalSweep.PLENTY_OF_TIME);
        }
        assertFalse(sweep.listedUsers().contains(rejected), "out of the plan until its recheck is due");
        assertEquals(30, sweep.listRequests());

        clock.advance(Duration.ofMinutes(11)); // an hour after the flag
        sweep.simulator.requests().clear();
        run(100, 2).run(LocalSweep.runId(), LocalSweep.PLENTY_OF_TIME);
        assertEquals(1, sweep.listedUsers().stream().filter(rejected::equals).count(), "rechecked once");
        assertTrue(flagged(rejected), "still rejected: flagged again, next recheck in two hours");
    }
}
