package com.connectionkeeper.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.connectionkeeper.core.ingest.WebhookIngestion;
import com.connectionkeeper.core.model.EventType;
import com.connectionkeeper.core.model.RetryBackoff;
import com.connectionkeeper.core.model.WebhookEvent;
import com.connectionkeeper.core.secrets.LocalSealer;
import com.connectionkeeper.core.sweep.SweepPlanner;
import com.connectionkeeper.testkit.Dynalite;
import com.connectionkeeper.testkit.Integration;
import java.lang.reflect.Proxy;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/** The sweep's choice of users on dynalite: priority order within a pass, and no starvation across runs. */
@Integration
class SweepPlannerTest {
    private static final Instant T = Instant.parse("2024-06-01T12:00:00Z");
    private String table;
    private DynamoStores stores;
    private DynamoSecretStore secrets;
    private DynamoSweepQueue sweepQueue;
    private SweepPlanner planner;

    @BeforeEach
    void freshTable() {
        table = Dynalite.createTable();
        stores = DynamoStores.create(Dynalite.client(), table, Duration.ofDays(1), LocalSealer.ephemeral());
        secrets = stores.secrets();
        sweepQueue = stores.sweepQueue();
        planner = new SweepPlanner(sweepQueue);
    }

    private void webhook(EventType type, String user, String connection, Instant at) {
        new WebhookIngestion(stores.connections(), Clock.systemUTC()).ingest(new WebhookEvent(
                type + user + at, user, type, type.name(), at, connection, null, null, "{}"));
    }

    private List<String> users(int n) {
        List<String> users = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            users.add("user-" + i);
            secrets.saveUserSecret("user-" + i, "secret-" + i);
        }
        return users;
    }

    /** One run: plan, then verify everyone planned; returns who was checked. */
    private List<String> run(int capacity, Instant at) {
        List<String> planned = planner.plan(capacity, at);
        planned.forEach(u -> sweepQueue.markVerified(u, at));
        return planned;
    }

    @Test
    void brokenThenFlaggedThenNeverVerifiedThenLeastRecentlyVerified() {
        List<String> users = users(6);
        sweepQueue.markVerified("user-0", T.minusSeconds(50));
        sweepQueue.markVerified("user-1", T.minusSeconds(60));
        webhook(EventType.CONNECTION_UPDATED, "user-5", "c", T.minusSeconds(30));
        webhook(EventType.CONNECTION_BROKEN, "user-4", "c", T.minusSeconds(20));
        sweepQueue.startPass(T.minusSeconds(10)); // a pass in progress, nobody verified in it yet

        List<String> plan = planner.plan(10, T);
        assertEquals(List.of("user-4", "user-5"), plan.subList(0, 2), "broken, then flagged");
        assertEquals(Set.of("user-2", "user-3"), Set.copyOf(plan.subList(2, 4)), "never verified");
        assertEquals(List.of("user-1", "user-0"), plan.subList(4, 6), "least recently verified first");
        assertEquals(List.of("user-4", "user-5"), planner.plan(2, T),
                "planned but not checked (the run stopped early): still first");
        assertEquals(6, users.size());
    }

    @Test
    void usersOutOfTheSweepTakeNoPlaceInAnyRunsPlan() {
        // issue 9.12: a user whose secret SnapTrade rejected (flagged) or that we hold no secret for costs no request,
        // but used to take a place in every pass through its BROKEN connection — a place a real check should have
        int n = 6;
        int capacity = 2;
        users(n);
        webhook(EventType.CONNECTION_BROKEN, "flagged", "c", T.minusSeconds(50));
        secrets.saveUserSecret("flagged", "rejected-secret");
        secrets.flagUser("flagged", "CREDENTIALS_REJECTED", T.minusSeconds(40), version("flagged"));
        webhook(EventType.CONNECTION_BROKEN, "no-secret", "c", T.minusSeconds(45)); // known from webhooks only
        webhook(EventType.USER_REGISTERED, "registered-elsewhere", null, T.minusSeconds(44)); // no secret either
        webhook(EventType.CONNECTION_UPDATED, "registered-elsewhere", "c", T.minusSeconds(43));
        Map<String, Integer> checks = new HashMap<>();
        Instant now = T;
        for (int run = 0; run < 4 * ((n + capacity - 1) / capacity); run++) {
            now = now.plusSeconds(60);
            Instant at = now;
            List<String> plan = planner.plan(capacity, at);
            assertEquals(Math.min(capacity, n), plan.size(), "a full plan of real checks in run " + run + ": " + plan);
            plan.forEach(u -> {
                checks.merge(u, 1, Integer::sum);
                sweepQueue.markVerified(u, at);
            });
        }
        assertEquals(Set.of("user-0", "user-1", "user-2", "user-3", "user-4", "user-5"), checks.keySet());
        checks.values().forEach(count -> assertEquals(4, count, "each user once per pass: " + checks));
    }

    @Test
    void aFlaggedUserIsRecheckedOnItsOwnBackoffNotNever() {
        users(2);
        assertEquals(new RetryBackoff(Duration.ofHours(1), Duration.ofDays(1)), RetryBackoff.FLAGGED_RECHECK);
        secrets.saveUserSecret("flagged", "rejected-secret");
        secrets.flagUser("flagged", "CREDENTIALS_REJECTED", T, version("flagged"));

        assertFalse(planner.plan(10, T.plusSeconds(3599)).contains("flagged"), "not before its recheck is due");
        assertTrue(planner.plan(10, T.plusSeconds(3600)).contains("flagged"), "due after an hour");
        secrets.flagUser("flagged", "CREDENTIALS_REJECTED", T.plusSeconds(3600), version("flagged")); // rejected again
        assertFalse(planner.plan(10, T.plusSeconds(3600 + 7199)).contains("flagged"), "then two hours");
        assertTrue(planner.plan(10, T.plusSeconds(3600 + 7200)).contains("flagged"));
        assertEquals("rejected-secret", secrets.heldSecret("flagged").orElseThrow().credentials().userSecret(),
                "the sweep may recheck with the secret it holds");
        assertTrue(secrets.credentials("flagged").isEmpty(), "but the API does not use a rejected secret");

        secrets.saveUserSecret("flagged", "new-secret"); // a new secret ends the flag and its rechecks
        assertEquals(null, secrets.heldSecret("flagged").orElseThrow().problem());
        assertEquals(List.of(), sweepQueue.usersDueForRetry(T.plus(Duration.ofDays(30))).toList());
    }

    @Test
    void everyUserIsVerifiedOncePerPassOfCeilNOverCRuns() {
        int n = 10;
        int capacity = 3;
        int runsPerPass = (n + capacity - 1) / capacity;
        users(n);
        webhook(EventType.CONNECTION_BROKEN, "user-7", "c", T.minusSeconds(5)); // stays broken: priority every pass
        Map<String, Integer> checks = new HashMap<>();
        Instant now = T;
        for (int pass = 1; pass <= 3; pass++) {
            for (int r = 0; r < runsPerPass; r++) {
                now = now.plusSeconds(60);
                run(capacity, now).forEach(u -> checks.merge(u, 1, Integer::sum));
            }
            for (int i = 0; i < n; i++) {
                assertEquals(pass, checks.getOrDefault("user-" + i, 0), "user-" + i + " after pass " + pass);
            }
        }
    }

    @Test
    void aFreshPassBeginsOnlyWhenEveryoneIsDone() {
        users(3);
        assertEquals(2, run(2, T).size());
        assertEquals(List.of("user-2"), run(2, T.plusSeconds(60)), "the first pass ends with the one left");
        assertEquals(T, sweepQueue.passStart().orElseThrow());

        assertEquals(2, run(2, T.plusSeconds(120)).size());
        assertEquals(T.plusSeconds(120), sweepQueue.passStart().orElseThrow(), "then a new pass began");
    }

    @Test
    void aUserThatKeepsFailingIsRetriedOnItsBackoffAndNeverHoldsThePassOpen() {
        users(4);
        RetryBackoff backoff = new RetryBackoff(Duration.ofSeconds(60), Duration.ofMinutes(10));
        Set<String> failing = Set.of("user-0");
        List<List<String>> plans = new ArrayList<>();
        for (int r = 0; r < 4; r++) {
            Instant at = T.plusSeconds(60L * r);
            List<String> planned = planner.plan(2, at);
            plans.add(planned);
            planned.forEach(u -> {
                if (failing.contains(u)) {
                    sweepQueue.scheduleRetry(u, at, backoff);
                } else {
                    sweepQueue.markVerified(u, at);
                }
            });
        }
        assertEquals(List.of(
                List.of("user-0", "user-1"),  // T: user-0 fails, retry at T+60
                List.of("user-0", "user-2"),  // T+60: its retry first, then the pass goes on; next retry at T+180
                List.of("user-3"),            // T+120: no retry due, the rest of the pass
                List.of("user-0", "user-1")), // T+180: a new pass (everyone checked), and user-0's retry
                plans);
        assertEquals(T.plusSeconds(180), sweepQueue.passStart().orElseThrow());
    }

    @Test
    void thePassResumesItsPriorityListsWhereTheLastRunLeftThem() {
        // 100 users with a broken connection, 10 checked per run: without a resumable position every run would
        // read the broken list from its start again and look up every user already checked (10 + 20 + ... + 100)
        AtomicInteger userReads = new AtomicInteger();
        DynamoDbClient counting = (DynamoDbClient) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {DynamoDbClient.class}, (proxy, method, args) -> {
                    if (method.getName().equals("getItem")) {
                        userReads.incrementAndGet();
                    }
                    try {
                        return method.invoke(Dynalite.client(), args);
                    } catch (java.lang.reflect.InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
        String table = Dynalite.createTable();
        DynamoStores counted = DynamoStores.create(counting, table, Duration.ofDays(1), LocalSealer.ephemeral());
        SweepPlanner resuming = new SweepPlanner(counted.sweepQueue());
        WebhookIngestion webhooks = new WebhookIngestion(counted.connections(), Clock.systemUTC());
        for (int i = 0; i < 100; i++) {
            counted.secrets().saveUserSecret(String.format("b-%03d", i), "s");
            webhooks.ingest(new WebhookEvent("w" + i, String.format("b-%03d", i), EventType.CONNECTION_BROKEN,
                    "CONNECTION_BROKEN", T.minusSeconds(1000 - i), "c", null, null, "{}"));
        }
        userReads.set(0);
        List<String> order = new ArrayList<>();
        for (int r = 0; r < 10; r++) {
            Instant at = T.plusSeconds(r);
            List<String> planned = resuming.plan(10, at);
            order.addAll(planned);
            planned.forEach(u -> counted.sweepQueue().markVerified(u, at));
        }
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            expected.add(String.format("b-%03d", i));
        }
        assertEquals(expected, order, "oldest break first, each once in the pass");
        // per run: one lookup per broken entry taken (10) and per entry the last run took (10, now checked), a
        // few more for the pass and the sweep order; reading from the start each time would be 10 + 20 + ... + 100
        assertTrue(userReads.get() <= 10 * 25, "user lookups over 10 runs: " + userReads.get());
    }

    @Test
    void aBrokenConnectionOfAUserWithoutSecretTakesNoTurnAtAll() {
        users(3);
        // known only from its connection's webhooks: no user item, no secret. An earlier release gave it one turn
        // per pass (its check could only report NO_SECRET); now it takes none (issue 9.12)
        webhook(EventType.CONNECTION_BROKEN, "webhook-only", "c", T.minusSeconds(100));
        List<List<String>> plans = new ArrayList<>();
        for (int r = 0; r < 3; r++) {
            Instant at = T.plusSeconds(60L * r);
            List<String> planned = planner.plan(2, at);
            plans.add(planned);
            planned.forEach(u -> sweepQueue.markVerified(u, at));
        }
        assertEquals(List.of(List.of("user-0", "user-1"), List.of("user-2"), List.of("user-0", "user-1")), plans);
    }

    @Test
    void aUserQueuedWithoutASecretByAnEarlierReleaseTakesOnePlaceOnceThenLeavesTheOrder() {
        users(1);
        // as an earlier release's USER_REGISTERED webhook left it: in the sweep order, no secret
        Dynalite.client().updateItem(b -> b.tableName(table).key(Map.of(Keys.PK,
                        software.amazon.awssdk.services.dynamodb.model.AttributeValue.fromS(Keys.userPartition("legacy")),
                        Keys.SK, software.amazon.awssdk.services.dynamodb.model.AttributeValue.fromS(Keys.USER_SK)))
                .updateExpression("SET entity = :e, userId = :u, sweepOrder = :o")
                .expressionAttributeValues(Map.of(
                        ":e", software.amazon.awssdk.services.dynamodb.model.AttributeValue.fromS("USER"),
                        ":u", software.amazon.awssdk.services.dynamodb.model.AttributeValue.fromS("legacy"),
                        ":o", software.amazon.awssdk.services.dynamodb.model.AttributeValue.fromS("!#legacy"))));
        assertEquals(List.of("legacy", "user-0"), planner.plan(5, T));
        sweepQueue.markChecked("legacy", T); // its check found no secret
        assertEquals(List.of("user-0"), sweepQueue.usersInSweepOrder().map(e -> e.userId()).toList());
    }

    /** The version of the secret the user holds now (what a check that used it would flag). */
    private String version(String userId) {
        return secrets.heldSecret(userId).orElseThrow().version();
    }
}
