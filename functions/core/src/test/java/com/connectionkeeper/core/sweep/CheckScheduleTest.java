package com.connectionkeeper.core.sweep;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.connectionkeeper.core.sweep.CheckSchedule.Connection;
import com.connectionkeeper.core.sweep.CheckSchedule.Settings;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class CheckScheduleTest {
    private static final Instant V = Instant.parse("2025-03-01T12:00:00Z");
    private static final Settings SETTINGS = Settings.of(Duration.ofMinutes(10), Duration.ofHours(24), 0.05);

    /** A brokerage whose tokens live 7 days ± 12 hours (normal), 500 lifetimes. */
    private static LifetimeHistogram weekly(Random random) {
        LifetimeHistogram h = LifetimeHistogram.EMPTY;
        for (int i = 0; i < 500; i++) {
            h = h.plus(Duration.ofSeconds(Math.round((7 * 24 + 12 * random.nextGaussian()) * 3600)));
        }
        return h;
    }

    private static final BrokerageLifetimes WEEKLY = BrokerageLifetimes.learn(Map.of("WEEK", weekly(new Random(1))));

    private static Duration dueAfter(CheckSchedule schedule, Connection... connections) {
        return Duration.between(V, schedule.dueAt(V, List.of(connections)));
    }

    @Test
    void aConnectionNearItsBrokeragesTypicalLifetimeIsDueMuchSoonerThanOneJustRenewed() {
        CheckSchedule schedule = new CheckSchedule(WEEKLY, SETTINGS);
        Duration nearExpiry = dueAfter(schedule, Connection.live("WEEK", V.minus(Duration.ofHours(7 * 24 - 6))));
        Duration renewed = dueAfter(schedule, Connection.live("WEEK", V));
        Duration midLife = dueAfter(schedule, Connection.live("WEEK", V.minus(Duration.ofDays(3))));
        assertTrue(nearExpiry.compareTo(Duration.ofHours(2)) <= 0, "6 h before the typical expiry: " + nearExpiry);
        Duration atExpiry = dueAfter(schedule, Connection.live("WEEK", V.minus(Duration.ofDays(7))));
        assertTrue(atExpiry.compareTo(Duration.ofHours(1)) <= 0, "at the typical expiry: " + atExpiry);
        assertEquals(Duration.ofHours(24), renewed, "nothing breaks in a token's first days: the maximum");
        assertEquals(Duration.ofHours(24), midLife);
        // a day before the typical expiry the risk comes within the day, sooner than for a renewed token
        Duration dayBefore = dueAfter(schedule, Connection.live("WEEK", V.minus(Duration.ofDays(6))));
        assertTrue(dayBefore.compareTo(Duration.ofHours(24)) < 0 && dayBefore.compareTo(nearExpiry) > 0,
                "a day before: " + dayBefore);
    }

    @Test
    void theDueTimeIsWhenTheBreakProbabilitySinceTheLastCheckReachesTheThreshold() {
        CheckSchedule schedule = new CheckSchedule(WEEKLY, SETTINGS);
        List<Connection> user = List.of(Connection.live("WEEK", V.minus(Duration.ofDays(6))));
        Instant due = schedule.dueAt(V, user);
        assertTrue(schedule.breakProbability(V, user, due) >= 0.05);
        assertTrue(schedule.breakProbability(V, user, due.minusSeconds(1)) < 0.05);
        assertEquals(0.0, schedule.breakProbability(V, user, V));
    }

    @Test
    void twoConnectionsNearExpiryAreDueSoonerThanOne() {
        CheckSchedule schedule = new CheckSchedule(WEEKLY, SETTINGS);
        Connection one = Connection.live("WEEK", V.minus(Duration.ofDays(6)));
        Duration single = dueAfter(schedule, one);
        Duration both = dueAfter(schedule, one, Connection.live("WEEK", V.minus(Duration.ofDays(6))));
        assertTrue(both.compareTo(single) < 0, both + " vs " + single);
    }

    @Test
    void dueTimesStayBetweenTheMinimumAndMaximumIntervalForAnyInput() {
        Random random = new Random(42);
        for (int round = 0; round < 200; round++) {
            Map<String, LifetimeHistogram> histograms = new HashMap<>();
            for (int b = 0; b < 4; b++) {
                Map<Integer, Long> counts = new HashMap<>();
                int buckets = random.nextInt(4);
                for (int i = 0; i < buckets; i++) {
                    counts.put(random.nextInt(LifetimeHistogram.BUCKETS), 1L + random.nextInt(50));
                }
                histograms.put("B" + b, LifetimeHistogram.of(counts));
            }
            Duration min = Duration.ofSeconds(1 + random.nextInt(3600));
            Duration max = min.plusSeconds(random.nextInt(3 * 86_400));
            Duration uniform = min.plusSeconds((long) (random.nextDouble() * (max.getSeconds() - min.getSeconds())));
            Settings settings = new Settings(min, max, uniform, 0.001 + 0.998 * random.nextDouble());
            BrokerageLifetimes model = BrokerageLifetimes.learn(histograms, 1 + random.nextInt(50));
            CheckSchedule schedule = new CheckSchedule(model, settings);
            for (int user = 0; user < 200; user++) {
                List<Connection> connections = new ArrayList<>();
                int count = random.nextInt(5);
                boolean unjudged = false;
                for (int c = 0; c < count; c++) {
                    String brokerage = random.nextInt(6) == 0 ? null : "B" + random.nextInt(5);
                    Instant issued = random.nextInt(8) == 0 ? null
                            : V.minusSeconds((long) (random.nextDouble() * 500 * 86_400) - 3600);
                    boolean broken = random.nextInt(5) == 0;
                    connections.add(new Connection(brokerage, issued, broken));
                }
                Duration due = Duration.between(V, schedule.dueAt(V, connections));
                String context = "round " + round + ", " + settings + ", " + connections;
                assertTrue(due.compareTo(min) >= 0, "not sooner than the minimum: " + due + " " + context);
                assertTrue(due.compareTo(max) <= 0, "not later than the maximum: " + due + " " + context);
                for (Connection c : connections) {
                    if (!c.broken() && (c.tokenIssuedAt() == null
                            || model.curve(c.brokerageId()).isEmpty())) {
                        unjudged = true;
                    }
                }
                if (unjudged) {
                    assertTrue(due.compareTo(uniform) <= 0, "not later than uniform: " + due + " " + context);
                }
            }
        }
    }

    @Test
    void withoutHistoryEveryUserIsDueAfterTheUniformIntervalInLeastRecentlyCheckedOrder() {
        Settings settings = new Settings(Duration.ofMinutes(10), Duration.ofHours(24), Duration.ofHours(8), 0.05);
        CheckSchedule none = new CheckSchedule(BrokerageLifetimes.learn(Map.of("A", LifetimeHistogram.EMPTY)),
                settings);
        Random random = new Random(7);
        List<Instant> verified = new ArrayList<>();
        Map<Instant, Instant> dueByVerification = new HashMap<>();
        for (int user = 0; user < 100; user++) {
            Instant v = V.minusSeconds(random.nextInt(86_400));
            List<Connection> connections = List.of(Connection.live("A", v.minus(Duration.ofDays(random.nextInt(60)))),
                    Connection.live(null, null));
            Instant due = none.dueAt(v, connections);
            assertEquals(v.plus(Duration.ofHours(8)), due);
            verified.add(v);
            dueByVerification.put(v, due);
        }
        List<Instant> byDue = verified.stream().sorted(Comparator.comparing(dueByVerification::get)).toList();
        assertEquals(verified.stream().sorted().toList(), byDue, "the order of least recently checked");
        assertEquals(V.plus(Duration.ofHours(8)), none.dueAt(V, List.of()), "no connections: uniform too");
    }

    @Test
    void aBrokerageWithNoHistoryIsSweptUniformlyWhileOthersAreModelled() {
        Map<String, LifetimeHistogram> histograms = Map.of("WEEK", weekly(new Random(1)), "NEW",
                LifetimeHistogram.EMPTY);
        Settings settings = new Settings(Duration.ofMinutes(10), Duration.ofHours(24), Duration.ofHours(8), 0.05);
        CheckSchedule schedule = new CheckSchedule(BrokerageLifetimes.learn(histograms), settings);
        for (int days = 0; days < 60; days++) {
            Instant issued = V.minus(Duration.ofDays(days));
            assertEquals(Duration.ofHours(8), dueAfter(schedule, Connection.live("NEW", issued)), "age " + days);
            assertEquals(Duration.ofHours(8), dueAfter(schedule, Connection.live("UNSEEN", issued)), "age " + days);
        }
        assertEquals(Duration.ofHours(8), dueAfter(schedule, Connection.live("NEW", V), Connection.live("WEEK", V)),
                "a connection the model cannot judge keeps the user at the uniform cadence at the latest");
        assertEquals(Duration.ofHours(24), dueAfter(schedule, Connection.live("WEEK", V)));
        assertEquals(Duration.ofHours(8), dueAfter(schedule, Connection.live("WEEK", null)), "unknown issue time");
    }

    @Test
    void aBrokenConnectionContributesNothing() {
        CheckSchedule schedule = new CheckSchedule(WEEKLY, SETTINGS);
        Instant nearExpiry = V.minus(Duration.ofHours(7 * 24 - 1));
        assertEquals(Duration.ofHours(24), dueAfter(schedule, new Connection("WEEK", nearExpiry, true)));
        assertEquals(Duration.ofHours(24),
                dueAfter(schedule, new Connection("WEEK", nearExpiry, true), Connection.live("WEEK", V)));
    }

    @Test
    void anOverdueConnectionGetsABoundedNonZeroIntervalNoShorterThanTheMinimum() {
        CheckSchedule schedule = new CheckSchedule(WEEKLY, SETTINGS);
        BrokerageLifetimes.Curve curve = WEEKLY.curve("WEEK").orElseThrow();
        assertTrue(curve.overdueFrom().compareTo(Duration.ofDays(10)) < 0, curve.overdueFrom().toString());
        // a constant hazard of 1 / median: due once −ln(1 − θ) × median has passed, whatever the age
        long expected = (long) Math.ceil(-Math.log(0.95) * curve.median().getSeconds());
        for (int days : new int[] {11, 30, 365, 2000}) {
            Duration overdue = dueAfter(schedule, Connection.live("WEEK", V.minus(Duration.ofDays(days))));
            assertEquals(expected, overdue.getSeconds(), 1, "age " + days + " days");
        }
        Duration overdue = Duration.ofSeconds(expected);
        assertTrue(overdue.compareTo(Duration.ofHours(6)) > 0 && overdue.compareTo(Duration.ofHours(12)) < 0,
                "about a twentieth of a week: " + overdue);
        Duration nearExpiry = dueAfter(schedule, Connection.live("WEEK", V.minus(Duration.ofHours(7 * 24))));
        assertTrue(nearExpiry.multipliedBy(10).compareTo(overdue) < 0,
                "overdue connections do not hog the sweep: " + nearExpiry + " vs " + overdue);

        Settings tight = Settings.of(Duration.ofHours(2), Duration.ofHours(3), 0.05);
        assertEquals(Duration.ofHours(3), dueAfter(new CheckSchedule(WEEKLY, tight),
                Connection.live("WEEK", V.minus(Duration.ofDays(30)))), "clamped to the maximum");
        Settings risky = Settings.of(Duration.ofMinutes(10), Duration.ofHours(24), 0.999);
        assertEquals(Duration.ofHours(24), dueAfter(new CheckSchedule(WEEKLY, risky),
                Connection.live("WEEK", V.minus(Duration.ofDays(30)))));
        Settings eager = Settings.of(Duration.ofMinutes(10), Duration.ofHours(24), 0.0001);
        assertEquals(Duration.ofMinutes(10), dueAfter(new CheckSchedule(WEEKLY, eager),
                Connection.live("WEEK", V.minus(Duration.ofDays(30)))), "never sooner than the minimum");
    }

    @Test
    void theDeadlineCutoffIsTheMaximumIntervalBeforeTheNextRun() {
        assertEquals(V.minus(Duration.ofHours(24)).plusSeconds(60),
                new CheckSchedule(WEEKLY, SETTINGS).deadlineCutoff(V.plusSeconds(60)));
    }

    @Test
    void refusesNonsenseSettings() {
        assertThrows(IllegalArgumentException.class,
                () -> Settings.of(Duration.ofHours(2), Duration.ofHours(1), 0.05));
        assertThrows(IllegalArgumentException.class, () -> Settings.of(Duration.ZERO, Duration.ofHours(1), 0.05));
        assertThrows(IllegalArgumentException.class, () -> Settings.of(Duration.ofMinutes(1), Duration.ofHours(1), 0));
        assertThrows(IllegalArgumentException.class, () -> Settings.of(Duration.ofMinutes(1), Duration.ofHours(1), 1));
        assertThrows(IllegalArgumentException.class, () -> new Settings(Duration.ofMinutes(1), Duration.ofHours(1),
                Duration.ofHours(2), 0.05));
    }
}
