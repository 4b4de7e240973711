package com.connectionkeeper.simulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.connectionkeeper.testkit.Integration;
import com.connectionkeeper.testkit.MutableClock;
import com.fasterxml.jackson.databind.JsonNode;
import com.snaptrade.client.model.BrokerageAuthorization;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** Tokens expire after their brokerage's lifetime: the connection breaks at that instant, its webhook sent or lost. */
@Integration
class TokenExpiryTest {
    private static final Instant T0 = Instant.parse("2026-01-05T00:00:00Z");

    @Test
    void aTokenExpiresAtItsInstantWithItsWebhookAndTheApiShowsTheConnectionDisabled() throws Exception {
        SimulatedClock clock = new SimulatedClock(T0);
        try (SnapTradeSimulator sim = start(clock, "QUESTRADE=fixed(7d)")) {
            String secret = sim.control().seedUser("alice");
            String questrade = sim.control().addConnection("alice", "QUESTRADE", "trade");
            String alpaca = sim.control().addConnection("alice", "ALPACA", "read");
            Instant expiry = T0.plus(Duration.ofDays(7));
            assertEquals(expiry, sim.control().connection(questrade).orElseThrow().tokenExpiresAt());
            assertNull(sim.control().connection(alpaca).orElseThrow().tokenExpiresAt(), "ALPACA never expires");

            assertEquals(0, clock.advance(Duration.ofDays(6)));
            assertFalse(sim.control().connection(questrade).orElseThrow().disabled());
            assertEquals(List.of(), sim.webhooks().ofType("CONNECTION_BROKEN"));

            assertEquals(1, clock.advanceTo(T0.plus(Duration.ofDays(8))));
            SimulatedConnection broken = sim.control().connection(questrade).orElseThrow();
            assertTrue(broken.disabled());
            assertEquals(expiry, broken.disabledDate());
            assertEquals(expiry, broken.updatedDate());
            assertFalse(sim.control().connection(alpaca).orElseThrow().disabled());

            WebhookDelivery webhook = sim.webhooks().ofType("CONNECTION_BROKEN").get(0);
            assertEquals(questrade, webhook.connectionId());
            assertEquals(WebhookDelivery.Status.NOT_SENT, webhook.status());
            assertEquals(Json.time(expiry), json(webhook.payload()).path("eventTimestamp").asText());
            assertEquals(List.of(new TokenExpiry(questrade, "alice", "QUESTRADE", expiry, false, webhook.webhookId())),
                    sim.expiries().all());

            Map<String, BrokerageAuthorization> api = Sdk.client(sim).connections
                    .listBrokerageAuthorizations("alice", secret).execute().stream()
                    .collect(Collectors.toMap(a -> a.getId().toString(), Function.identity()));
            assertTrue(api.get(questrade).getDisabled());
            assertEquals(expiry, api.get(questrade).getDisabledDate().toInstant());
            assertFalse(api.get(alpaca).getDisabled());
        }
    }

    @Test
    void oneAdvanceBreaksEveryDueConnectionInExpiryOrderEachAtItsOwnInstant() throws Exception {
        SimulatedClock clock = new SimulatedClock(T0);
        try (SnapTradeSimulator sim = SnapTradeSimulator.start(Sdk.config().clock(clock).seed(3)
                .tokenLifetimes(TokenLifetimes.parse("*=uniform(1h,10d)")).build())) {
            sim.control().seedUser("alice");
            for (int i = 0; i < 50; i++) {
                sim.control().addConnection("alice", i % 2 == 0 ? "ALPACA" : "SCHWAB", "read");
            }
            List<SimulatedConnection> before = sim.control().connections("alice");
            assertEquals(50, clock.advance(Duration.ofDays(10)));

            List<Instant> expected = before.stream().map(SimulatedConnection::tokenExpiresAt).sorted().toList();
            assertEquals(50, expected.stream().distinct().count(), "uniform draws differ");
            assertEquals(expected, sim.expiries().all().stream().map(TokenExpiry::brokeAt).toList());
            assertEquals(expected.stream().map(Json::time).toList(), sim.webhooks().ofType("CONNECTION_BROKEN").stream()
                    .map(w -> json(w.payload()).path("eventTimestamp").asText()).toList());
            for (SimulatedConnection c : sim.control().connections("alice")) {
                assertTrue(c.disabled());
                assertEquals(c.tokenExpiresAt(), c.disabledDate());
            }
            assertEquals(T0.plus(Duration.ofDays(10)), clock.instant());
        }
    }

    @Test
    void aFixDrawsANewLifetimeAndAManualBreakCancelsTheOldOne() {
        SimulatedClock clock = new SimulatedClock(T0);
        try (SnapTradeSimulator sim = start(clock, "*=fixed(1d)")) {
            sim.control().seedUser("alice");
            String id = sim.control().addConnection("alice", "ALPACA", "trade");
            clock.advance(Duration.ofHours(12));
            sim.control().breakConnection(id);
            clock.advance(Duration.ofHours(1));
            sim.control().fixConnection(id);
            Instant secondExpiry = T0.plus(Duration.ofHours(13 + 24));
            assertEquals(secondExpiry, sim.control().connection(id).orElseThrow().tokenExpiresAt());

            assertEquals(0, clock.advanceTo(T0.plus(Duration.ofDays(1))), "the first token was dropped by the break");
            assertFalse(sim.control().connection(id).orElseThrow().disabled());
            assertEquals(1, clock.advanceTo(T0.plus(Duration.ofDays(3))));
            assertEquals(secondExpiry, sim.control().connection(id).orElseThrow().disabledDate());
            assertEquals(List.of(secondExpiry), sim.expiries().all().stream().map(TokenExpiry::brokeAt).toList());
        }
    }

    @Test
    void aListenerThatRepairsEachBreakKeepsTheConnectionCyclingWithinOneAdvance() {
        SimulatedClock clock = new SimulatedClock(T0);
        try (SnapTradeSimulator sim = start(clock, "*=fixed(1d)")) {
            sim.control().seedUser("alice");
            String id = sim.control().addConnection("alice", "ALPACA", "trade");
            List<TokenExpiry> heard = new ArrayList<>();
            sim.expiries().subscribe(expiry -> {
                heard.add(expiry);
                sim.control().fixConnection(expiry.connectionId());
            });
            assertEquals(5, clock.advance(Duration.ofDays(5).plusHours(1)));
            assertEquals(List.of(1L, 2L, 3L, 4L, 5L), heard.stream()
                    .map(e -> Duration.between(T0, e.brokeAt()).toDays()).toList());
            assertEquals(T0.plus(Duration.ofDays(6)), sim.control().connection(id).orElseThrow().tokenExpiresAt());
            assertEquals(List.of("CONNECTION_BROKEN", "CONNECTION_FIXED"), sim.webhooks().all().stream()
                    .map(WebhookDelivery::eventType).skip(2).limit(2).toList());
        }
    }

    @Test
    void aShareOfTheExpiryWebhooksIsLostNeverSentAndRecordedAsLost() {
        SimulatedClock clock = new SimulatedClock(T0);
        try (SnapTradeSimulator sim = SnapTradeSimulator.start(Sdk.config().clock(clock).seed(11).lostWebhookShare(0.3)
                .tokenLifetimes(TokenLifetimes.parse("*=exponential(2d)")).build())) {
            sim.control().seedAllSilently(Refusals.numberedUsers(1000, "ALPACA", "SCHWAB"));
            assertEquals(2000, clock.advance(Duration.ofDays(365)));

            List<TokenExpiry> expiries = sim.expiries().all();
            long lost = expiries.stream().filter(TokenExpiry::webhookLost).count();
            assertEquals(0.3, lost / 2000.0, 0.04, lost + " of 2000 lost");
            Map<String, WebhookDelivery> webhooks = sim.webhooks().all().stream()
                    .collect(Collectors.toMap(WebhookDelivery::webhookId, Function.identity()));
            assertEquals(2000, webhooks.size(), "silent seeding sent nothing; every break is recorded");
            for (TokenExpiry expiry : expiries) {
                WebhookDelivery webhook = webhooks.get(expiry.webhookId());
                assertEquals(expiry.webhookLost() ? WebhookDelivery.Status.LOST : WebhookDelivery.Status.NOT_SENT,
                        webhook.status());
                assertEquals(expiry.connectionId(), webhook.connectionId());
                assertEquals(List.of(), webhook.attempts());
            }
        }
    }

    @Test
    void lostWebhooksNeverReachTheListenerAndTheOthersDo() throws Exception {
        SimulatedClock clock = new SimulatedClock(T0);
        try (WebhookReceiver receiver = new WebhookReceiver(200);
             SnapTradeSimulator sim = SnapTradeSimulator.start(Sdk.config().clock(clock).seed(5).lostWebhookShare(0.5)
                     .webhookUrl(receiver.url()).tokenLifetimes(TokenLifetimes.parse("*=uniform(1h,2d)")).build())) {
            sim.control().seedAllSilently(Refusals.numberedUsers(20, "ALPACA"));
            assertEquals(20, clock.advance(Duration.ofDays(2)));
            Set<String> lost = sim.expiries().all().stream().filter(TokenExpiry::webhookLost)
                    .map(TokenExpiry::webhookId).collect(Collectors.toSet());
            assertTrue(lost.size() > 0 && lost.size() < 20, lost.size() + " lost");

            List<WebhookReceiver.Received> received = receiver.await(20 - lost.size(), Duration.ofSeconds(10));
            awaitNonePending(sim);
            Set<String> arrived = received.stream().map(r -> json(r.body()).path("webhookId").asText())
                    .collect(Collectors.toSet());
            Set<String> delivered = sim.webhooks().all().stream()
                    .filter(w -> w.status() == WebhookDelivery.Status.DELIVERED)
                    .map(WebhookDelivery::webhookId).collect(Collectors.toSet());
            assertEquals(20 - lost.size(), arrived.size());
            assertEquals(delivered, arrived);
            assertTrue(arrived.stream().noneMatch(lost::contains));
        }
    }

    @Test
    void theSameSeedDrawsTheSameLifetimesAndLosesTheSameWebhooks() {
        assertEquals(run(17), run(17));
        assertFalse(run(17).equals(run(18)), "another seed, another run");
    }

    /** Lifetimes and the lost flags of 200 connections, in creation order. */
    private static List<String> run(long seed) {
        SimulatedClock clock = new SimulatedClock(T0);
        try (SnapTradeSimulator sim = SnapTradeSimulator.start(Sdk.config().clock(clock).seed(seed).lostWebhookShare(0.5)
                .tokenLifetimes(TokenLifetimes.parse("*=lognormal(3d,0.8)")).build())) {
            List<String> lifetimes = sim.control().seedAllSilently(Refusals.numberedUsers(100, "ALPACA", "QUESTRADE"))
                    .stream()
                    .flatMap(u -> u.connections().stream())
                    .map(c -> Duration.between(T0, c.tokenExpiresAt()).toString()).toList();
            clock.advance(Duration.ofDays(3650));
            List<String> outcome = new ArrayList<>(lifetimes);
            sim.expiries().all().stream().sorted(Comparator.comparing(TokenExpiry::brokeAt))
                    .forEach(e -> outcome.add(e.brokeAt() + " " + e.webhookLost()));
            return outcome;
        }
    }

    /**
     * On any other clock tokens expire too: the simulator looks on each read (and every second); the connection breaks
     * at its token's expiry, not when it was noticed.
     */
    @Test
    void onAnotherClockATokenExpiresWhenTheSimulatorLooks() {
        MutableClock clock = new MutableClock(T0);
        try (SnapTradeSimulator sim = start(clock, "*=fixed(1h)")) {
            sim.control().seedUser("alice");
            String id = sim.control().addConnection("alice", "ALPACA", "trade");
            clock.advance(Duration.ofHours(3));
            SimulatedConnection broken = sim.control().connection(id).orElseThrow();
            assertTrue(broken.disabled());
            assertEquals(T0.plus(Duration.ofHours(1)), broken.disabledDate());
            assertEquals(Json.time(T0.plus(Duration.ofHours(1))), json(sim.webhooks().ofType("CONNECTION_BROKEN")
                    .get(0).payload()).path("eventTimestamp").asText());
        }
    }

    @Test
    void theSimulatedClockOnlyMovesForward() {
        SimulatedClock clock = new SimulatedClock(T0);
        clock.advance(Duration.ofHours(1));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> clock.advanceTo(T0));
        assertTrue(e.getMessage().contains(T0.toString()), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> clock.advance(Duration.ofSeconds(-1)));
        assertEquals(T0.plus(Duration.ofHours(1)), clock.instant());
        assertEquals(clock.instant(), clock.withZone(ZoneId.of("Europe/Paris")).instant());
    }

    /** A simulator on {@code clock} with these token lifetimes, the seed 0 and no webhook lost. */
    private static SnapTradeSimulator start(Clock clock, String lifetimes) {
        return SnapTradeSimulator.start(Sdk.config().clock(clock).tokenLifetimes(TokenLifetimes.parse(lifetimes)).build());
    }

    private static void awaitNonePending(SnapTradeSimulator sim) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (sim.webhooks().all().stream().anyMatch(w -> w.status() == WebhookDelivery.Status.PENDING)) {
            assertTrue(System.nanoTime() < deadline, "webhooks still pending");
            Thread.sleep(10);
        }
    }

    private static JsonNode json(String body) {
        try {
            return Json.MAPPER.readTree(body);
        } catch (IOException e) {
            throw new AssertionError(body, e);
        }
    }
}
