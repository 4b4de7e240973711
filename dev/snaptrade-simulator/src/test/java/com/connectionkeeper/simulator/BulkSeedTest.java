package com.connectionkeeper.simulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.connectionkeeper.testkit.Integration;
import com.snaptrade.client.model.BrokerageAuthorization;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Many users and connections in process, without HTTP, and weeks of simulated time over them. */
@Integration
class BulkSeedTest {
    private static final Instant T0 = Instant.parse("2026-01-05T00:00:00Z");
    private static final int USERS = 20_000;

    /** 20,000 users with 2 connections each, then 4 weeks advanced minute by minute: every due token, and only those. */
    @Test
    void twentyThousandUsersAndFourWeeksMinuteByMinute() {
        SimulatedClock clock = new SimulatedClock(T0);
        try (SnapTradeSimulator sim = SnapTradeSimulator.start(Sdk.config().clock(clock).seed(1).lostWebhookShare(0.1)
                .tokenLifetimes(TokenLifetimes.parse("QUESTRADE=fixed(7d);*=exponential(30d)")).build())) {
            List<SeededUser> seeded = sim.control().seedAllSilently(Refusals.numberedUsers(USERS, "QUESTRADE", "ALPACA"));
            assertEquals(USERS, seeded.size());
            assertEquals(List.of(), sim.webhooks().all(), "seeded silently");

            Instant end = T0.plus(Duration.ofDays(28));
            int expired = 0;
            for (Instant t = T0; t.isBefore(end); t = t.plus(Duration.ofMinutes(1))) {
                expired += clock.advanceTo(t.plus(Duration.ofMinutes(1)));
            }

            int due = 0;
            for (SeededUser user : seeded) {
                List<SimulatedConnection> now = sim.control().connections(user.userId());
                assertEquals(2, now.size());
                for (SimulatedConnection c : now) {
                    boolean isDue = !c.tokenExpiresAt().isAfter(end);
                    due += isDue ? 1 : 0;
                    assertEquals(isDue, c.disabled(), c.toString());
                    assertEquals(isDue ? c.tokenExpiresAt() : null, c.disabledDate());
                }
                assertEquals(T0.plus(Duration.ofDays(7)), now.get(0).disabledDate(), "QUESTRADE: 7 days exactly");
            }
            assertEquals(due, expired);
            assertEquals(due, sim.expiries().all().size());
            assertEquals(due, sim.webhooks().ofType("CONNECTION_BROKEN").size());
            double alpacaShare = (due - USERS) / (double) USERS;
            assertEquals(1 - Math.exp(-28.0 / 30), alpacaShare, 0.02, "exponential(30d) over 28 days");
        }
    }

    @Test
    void seedAllAnnouncesEveryUserAndConnectionAndTheApiSeesThem() throws Exception {
        try (SnapTradeSimulator sim = SnapTradeSimulator.start(Sdk.config().build())) {
            List<SeededUser> seeded = sim.control().seedAll(List.of(UserSeed.of("alice", "ALPACA", "SCHWAB"),
                    new UserSeed("bob", List.of(new UserSeed.Connection("questrade", "trade")))));
            assertEquals(List.of("USER_REGISTERED", "CONNECTION_ADDED", "CONNECTION_ADDED", "USER_REGISTERED",
                    "CONNECTION_ADDED"), sim.webhooks().all().stream().map(WebhookDelivery::eventType).toList());
            SeededUser bob = seeded.get(1);
            assertEquals(sim.control().userSecret("bob").orElseThrow(), bob.userSecret());
            assertEquals("QUESTRADE", bob.connections().get(0).brokerageSlug());
            assertEquals("trade", bob.connections().get(0).type());
            assertNull(bob.connections().get(0).tokenExpiresAt(), "no lifetimes configured: never expires");

            Map<String, String> fromApi = new HashMap<>();
            for (BrokerageAuthorization a : Sdk.client(sim).connections
                    .listBrokerageAuthorizations("alice", seeded.get(0).userSecret()).execute()) {
                fromApi.put(a.getId().toString(), a.getBrokerage().getSlug());
            }
            Map<String, String> truth = new HashMap<>();
            seeded.get(0).connections().forEach(c -> truth.put(c.id(), c.brokerageSlug()));
            assertEquals(truth, fromApi);
        }
    }

    @Test
    void aBulkSeedWithAnExistingOrRepeatedUserOrABadTypeChangesNothing() {
        try (SnapTradeSimulator sim = SnapTradeSimulator.start(Sdk.config().build())) {
            sim.control().seedUser("alice");
            IllegalStateException exists = assertThrows(IllegalStateException.class,
                    () -> sim.control().seedAll(List.of(UserSeed.of("bob"), UserSeed.of("alice", "ALPACA"))));
            assertTrue(exists.getMessage().contains("alice"), exists.getMessage());
            IllegalStateException twice = assertThrows(IllegalStateException.class,
                    () -> sim.control().seedAllSilently(List.of(UserSeed.of("carol"), UserSeed.of("carol"))));
            assertTrue(twice.getMessage().contains("carol"), twice.getMessage());
            IllegalArgumentException type = assertThrows(IllegalArgumentException.class,
                    () -> new UserSeed.Connection("ALPACA", "admin"));
            assertTrue(type.getMessage().contains("admin"), type.getMessage());
            assertEquals(List.of("alice"), sim.control().users());
            assertFalse(sim.control().userSecret("bob").isPresent());
        }
    }
}
