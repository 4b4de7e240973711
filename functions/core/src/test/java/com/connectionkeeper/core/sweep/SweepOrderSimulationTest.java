package com.connectionkeeper.core.sweep;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.connectionkeeper.core.sweep.CheckSchedule.Connection;
import com.connectionkeeper.core.sweep.CheckSchedule.Settings;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Queue;
import java.util.Random;
import java.util.function.ToLongFunction;
import org.junit.jupiter.api.Test;

/**
 * The point of {@link CheckSchedule}, in simulated time: 2,000 users with one or two connections at three brokerages
 * whose tokens live 7 days ± 12 hours, 30 days ± 2 days (normal) or an exponential 60 days on average; a user repairs
 * a broken connection 26 to 72 hours after it breaks. The histograms are learned from the breaks of a 120-day warm-up
 * (as their webhooks reported them); then, over 21 days, every break is treated as one whose webhook was lost, found by
 * the sweep's first check of the user after it. The budget lets a uniform pass over everyone take 8 hours. The same
 * world is swept in least-recently-checked order and in order of {@link CheckSchedule#dueAt} due times.
 */
class SweepOrderSimulationTest {
    private static final long MINUTE = 60;
    private static final long HOUR = 3600;
    private static final long DAY = 86_400;
    private static final int USERS = 2_000;
    private static final long WARM_UP = 120 * DAY;
    private static final long HORIZON = 21 * DAY;
    /** Breaks until here are measured (all are found before the horizon). */
    private static final long MEASURED_UNTIL = 20 * DAY;
    private static final long PASS = 8 * HOUR;
    private static final double CHECKS_PER_MINUTE = USERS / (PASS / (double) MINUTE);
    private static final Instant EPOCH = Instant.parse("2025-01-01T00:00:00Z");
    private static final String[] BROKERAGES = {"WEEK", "MONTH", "EXPONENTIAL"};
    private static final Settings SETTINGS = Settings.of(Duration.ofMinutes(10), Duration.ofHours(24), 0.05);

    /** Every token of every connection, flat: connection c owns tokens firstToken[c] until firstToken[c + 1]. */
    private final List<long[]> tokens = new ArrayList<>(); // {issued, broke, repaired}
    private final List<Integer> firstToken = new ArrayList<>();
    private final List<String> brokerageOf = new ArrayList<>();
    private final int[][] connectionsOf = new int[USERS][];
    private final long[] firstCheck = new long[USERS];

    SweepOrderSimulationTest() {
        Random random = new Random(20250301);
        for (int u = 0; u < USERS; u++) {
            int count = random.nextDouble() < 0.7 ? 1 : 2;
            connectionsOf[u] = new int[count];
            for (int i = 0; i < count; i++) {
                String brokerage = BROKERAGES[random.nextInt(BROKERAGES.length)];
                int c = brokerageOf.size();
                brokerageOf.add(brokerage);
                firstToken.add(tokens.size());
                connectionsOf[u][i] = c;
                long issued = -WARM_UP - (long) (random.nextDouble() * 60 * DAY);
                while (issued <= HORIZON) {
                    long broke = issued + lifetime(brokerage, random);
                    long repaired = broke + 26 * HOUR + (long) (random.nextDouble() * 46 * HOUR);
                    tokens.add(new long[] {issued, broke, repaired});
                    issued = repaired;
                }
            }
        }
        firstToken.add(tokens.size());
        // the sweep is in its steady state: users last checked evenly over the last pass, in a random order
        List<Integer> order = new ArrayList<>();
        for (int u = 0; u < USERS; u++) {
            order.add(u);
        }
        Collections.shuffle(order, random);
        for (int i = 0; i < USERS; i++) {
            firstCheck[order.get(i)] = -PASS + i * PASS / USERS;
        }
    }

    private static long lifetime(String brokerage, Random random) {
        double seconds = switch (brokerage) {
            case "WEEK" -> 7 * DAY + 12 * HOUR * random.nextGaussian();
            case "MONTH" -> 30 * DAY + 2 * DAY * random.nextGaussian();
            default -> -Math.log(1 - random.nextDouble()) * 60 * DAY;
        };
        return Math.max(MINUTE, Math.round(seconds));
    }

    /** What the warm-up's breaks teach: each brokerage's histogram of lifetimes ended before time 0. */
    private BrokerageLifetimes learned() {
        Map<String, LifetimeHistogram> histograms = new HashMap<>();
        for (int c = 0; c < brokerageOf.size(); c++) {
            for (int j = firstToken.get(c); j < firstToken.get(c + 1); j++) {
                long[] t = tokens.get(j);
                if (t[1] < 0) {
                    histograms.merge(brokerageOf.get(c), LifetimeHistogram.EMPTY.plus(Duration.ofSeconds(t[1] - t[0])),
                            LifetimeHistogram::merge);
                }
            }
        }
        return BrokerageLifetimes.learn(histograms);
    }

    /** The figures of one sweep order over the measured days. */
    private record Result(long medianDetection, long breaks, long missed, long longestGap) {
    }

    /** How the sweep picks the next user. */
    private enum Order {
        /** Today's: least recently checked first. */
        UNIFORM,
        /** Earliest due first. */
        EARLIEST_DUE,
        /**
         * Earliest due first, but first of all, least recently checked first, any user last checked by the
         * {@link CheckSchedule#deadlineCutoff} of the next run — the deadline guard.
         */
        EARLIEST_DUE_GUARDED
    }

    /** One sweep over the measured days, one run a minute. */
    private Result sweep(Order order, CheckSchedule schedule) {
        long[] detectedAt = new long[tokens.size()];
        Arrays.fill(detectedAt, Long.MIN_VALUE);
        long[] lastCheck = firstCheck.clone();
        // entries {user, checked at} and {due, checked at, user}; an entry is stale once the user is checked again
        ArrayDeque<long[]> leastRecent = new ArrayDeque<>();
        PriorityQueue<long[]> byDue = new PriorityQueue<>(Comparator.<long[]>comparingLong(e -> e[0])
                .thenComparingLong(e -> e[1]));
        Integer[] users = new Integer[USERS];
        for (int u = 0; u < USERS; u++) {
            users[u] = u;
        }
        Arrays.sort(users, Comparator.comparingLong(u -> firstCheck[u]));
        for (int u : users) {
            leastRecent.add(new long[] {u, firstCheck[u]});
            if (order != Order.UNIFORM) {
                byDue.add(new long[] {due(schedule, u, firstCheck[u]), firstCheck[u], u});
            }
        }
        long longestGap = 0;
        double credit = 0;
        for (long now = 0; now < HORIZON; now += MINUTE) {
            credit += CHECKS_PER_MINUTE;
            for (; credit >= 1; credit--) {
                dropStale(leastRecent, e -> e[0], lastCheck);
                int u;
                if (order == Order.UNIFORM || order == Order.EARLIEST_DUE_GUARDED && !EPOCH.plusSeconds(
                        leastRecent.peek()[1]).isAfter(schedule.deadlineCutoff(EPOCH.plusSeconds(now + MINUTE)))) {
                    u = (int) leastRecent.poll()[0];
                } else {
                    dropStale(byDue, e -> e[2], lastCheck);
                    u = (int) byDue.poll()[2];
                }
                longestGap = Math.max(longestGap, now - lastCheck[u]);
                lastCheck[u] = now;
                for (int c : connectionsOf[u]) {
                    int j = tokenAt(c, now);
                    if (tokens.get(j)[1] <= now && detectedAt[j] == Long.MIN_VALUE) {
                        detectedAt[j] = now;
                    }
                }
                leastRecent.add(new long[] {u, now});
                if (order != Order.UNIFORM) {
                    byDue.add(new long[] {due(schedule, u, now), now, u});
                }
            }
        }
        List<Long> delays = new ArrayList<>();
        long missed = 0;
        for (int j = 0; j < tokens.size(); j++) {
            long broke = tokens.get(j)[1];
            if (broke >= 0 && broke < MEASURED_UNTIL) {
                if (detectedAt[j] == Long.MIN_VALUE) {
                    missed++;
                } else {
                    delays.add(detectedAt[j] - broke);
                }
            }
        }
        delays.sort(null);
        return new Result(delays.get(delays.size() / 2), delays.size() + missed, missed, longestGap);
    }

    /** Drops the entries at the head whose user was checked again since (checked-at is the second field). */
    private static void dropStale(Queue<long[]> queue, ToLongFunction<long[]> user,
                                  long[] lastCheck) {
        while (lastCheck[(int) user.applyAsLong(queue.peek())] != queue.peek()[1]) {
            queue.poll();
        }
    }

    /** The token of connection c current at {@code at}: the last one issued by then. */
    private int tokenAt(int c, long at) {
        int j = firstToken.get(c);
        while (j + 1 < firstToken.get(c + 1) && tokens.get(j + 1)[0] <= at) {
            j++;
        }
        return j;
    }

    /** The user's due time after a verification at {@code at}, from what the sweep saw then. */
    private long due(CheckSchedule schedule, int u, long at) {
        List<Connection> seen = new ArrayList<>(connectionsOf[u].length);
        for (int c : connectionsOf[u]) {
            long[] t = tokens.get(tokenAt(c, at));
            seen.add(new Connection(brokerageOf.get(c), EPOCH.plusSeconds(t[0]), t[1] <= at));
        }
        return Duration.between(EPOCH, schedule.dueAt(EPOCH.plusSeconds(at), seen)).getSeconds();
    }

    @Test
    void likelyToBreakFirstFindsLostWebhookBreaksInLessThanHalfTheUniformTimeAndStarvesNobody() {
        BrokerageLifetimes model = learned();
        for (String brokerage : BROKERAGES) {
            assertTrue(model.curve(brokerage).orElseThrow().samples() >= BrokerageLifetimes.DEFAULT_MIN_SAMPLES,
                    brokerage);
        }
        CheckSchedule schedule = new CheckSchedule(model, SETTINGS);
        Result uniform = sweep(Order.UNIFORM, null);
        Result guarded = sweep(Order.EARLIEST_DUE_GUARDED, schedule);
        Result unguarded = sweep(Order.EARLIEST_DUE, schedule);
        System.out.printf("lost-webhook breaks: %d; median detection: uniform %s, earliest due %s (guarded), %s"
                        + " (unguarded); longest gap between checks: %s, %s, %s%n", uniform.breaks(),
                Duration.ofSeconds(uniform.medianDetection()), Duration.ofSeconds(guarded.medianDetection()),
                Duration.ofSeconds(unguarded.medianDetection()), Duration.ofSeconds(uniform.longestGap()),
                Duration.ofSeconds(guarded.longestGap()), Duration.ofSeconds(unguarded.longestGap()));

        assertEquals(uniform.breaks(), guarded.breaks(), "the same world");
        assertTrue(uniform.breaks() > 1_000, "enough breaks to measure: " + uniform.breaks());
        assertEquals(0, uniform.missed());
        assertEquals(0, guarded.missed(), "every break found before its repair");
        assertTrue(uniform.medianDetection() > 3 * HOUR && uniform.medianDetection() < 5 * HOUR,
                "about half a pass: " + uniform.medianDetection());
        assertTrue(2 * guarded.medianDetection() <= uniform.medianDetection(),
                "at most half the uniform median: " + guarded.medianDetection() + " vs " + uniform.medianDetection());
        assertTrue(guarded.longestGap() <= SETTINGS.maxInterval().getSeconds() + MINUTE,
                "with the guard nobody goes unchecked longer than the maximum interval: " + guarded.longestGap());
        assertTrue(2 * unguarded.medianDetection() <= uniform.medianDetection());
        assertTrue(unguarded.longestGap() <= SETTINGS.maxInterval().getSeconds() + PASS,
                "without it, at most the maximum interval plus one pass: " + unguarded.longestGap());
        assertTrue(uniform.longestGap() <= PASS + MINUTE, "uniform: one pass");
    }
}
