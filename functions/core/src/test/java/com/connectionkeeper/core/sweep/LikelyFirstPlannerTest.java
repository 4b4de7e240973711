package com.connectionkeeper.core.sweep;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.connectionkeeper.core.model.RetryBackoff;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The real {@link SweepPlanner} over an in-memory {@link SweepQueue} and {@link LifetimeStore}, on a simulated clock:
 * 600 users of three brokerages, a budget for a 6-hour pass, ten simulated days. Each check finds the breaks since
 * the last (their webhooks lost), and the user repairs at once (a new token).
 */
class LikelyFirstPlannerTest {
    private static final Instant START = Instant.parse("2026-01-01T00:00:00Z");
    private static final Duration STEP = Duration.ofMinutes(10);
    private static final int USERS = 600;
    private static final int PER_STEP = 17; // 102 an hour: a 6-hour pass
    private static final CheckSchedule.Settings SETTINGS = CheckSchedule.Settings.of(Duration.ofMinutes(10),
            Duration.ofHours(24), 0.05);
    private static final String[] BROKERAGES = {"WEEK", "MONTH", "RANDOM"};

    private static Duration lifetime(String brokerage, Random random) {
        return switch (brokerage) {
            case "WEEK" -> Duration.ofMinutes((long) (7 * 24 * 60 + random.nextGaussian() * 6 * 60));
            case "MONTH" -> Duration.ofMinutes((long) (30 * 24 * 60 + random.nextGaussian() * 24 * 60));
            case "NEW" -> Duration.ofMinutes((long) (14 * 24 * 60 + random.nextGaussian() * 12 * 60));
            default -> Duration.ofMinutes((long) (-Math.log(1 - random.nextDouble()) * 60 * 24 * 60));
        };
    }

    /** What one simulation found: detection times of breaks (minutes), and each user's longest gap between checks. */
    private record Outcome(List<Long> detections, Duration longestGap, Map<String, List<Instant>> checks) {
        long median() {
            List<Long> sorted = detections.stream().sorted().toList();
            return sorted.get(sorted.size() / 2);
        }
    }

    private static Outcome simulate(boolean history) {
        return simulate(history, BROKERAGES);
    }

    /** With {@code brokerages} among the users; a history only of {@link #BROKERAGES} (when {@code history}). */
    private static Outcome simulate(boolean history, String[] brokerages) {
        Random random = new Random(15);
        MemoryLifetimes lifetimes = new MemoryLifetimes();
        if (history) { // the history a deployment learned: 200 lifetimes each, from the same distributions
            for (String b : BROKERAGES) {
                for (int i = 0; i < 200; i++) {
                    lifetimes.recordLifetime(b, lifetime(b, random));
                }
            }
        }
        MutableTime clock = new MutableTime(START);
        Map<String, Token> tokens = new HashMap<>();
        for (int i = 0; i < USERS; i++) {
            String b = brokerages[i % brokerages.length];
            Instant issued = START.minus(Duration.ofMinutes(random.nextInt(20 * 24 * 60)));
            Token t = new Token(b, issued, issued.plus(lifetime(b, random)));
            while (!t.expires.isAfter(START)) {
                t = new Token(b, t.expires, t.expires.plus(lifetime(b, random)));
            }
            tokens.put("u" + i, t);
        }
        lifetimes.tokens = tokens;
        MemoryQueue queue = new MemoryQueue();
        tokens.keySet().forEach(queue::add);
        ScheduleSource schedules = new ScheduleSource(lifetimes, SETTINGS, clock, Duration.ofHours(1), () -> USERS,
                PER_STEP / (double) STEP.toMinutes());
        SweepPlanner planner = new SweepPlanner(queue, schedules);
        List<Long> detections = new ArrayList<>();
        Map<String, List<Instant>> checks = new HashMap<>();
        for (Instant now = START; now.isBefore(START.plus(Duration.ofDays(10))); now = now.plus(STEP)) {
            clock.now = now;
            for (String user : planner.plan(PER_STEP, now)) {
                Token t = tokens.get(user);
                if (!t.expires.isAfter(now)) { // broke since the last check: found now, repaired at once
                    detections.add(Duration.between(t.expires, now).toMinutes());
                    t = new Token(t.brokerage, now, now.plus(lifetime(t.brokerage, random)));
                    tokens.put(user, t);
                }
                checks.computeIfAbsent(user, u -> new ArrayList<>()).add(now);
                queue.markVerified(user, now, schedules.dueAt(user, now));
            }
        }
        Duration longest = Duration.ZERO;
        for (List<Instant> times : checks.values()) {
            for (int i = 1; i < times.size(); i++) {
                Duration gap = Duration.between(times.get(i - 1), times.get(i));
                longest = gap.compareTo(longest) > 0 ? gap : longest;
            }
        }
        assertEquals(USERS, checks.size(), "every user checked");
        return new Outcome(detections, longest, checks);
    }

    @Test
    void likelyToBreakFirstHalvesTheMedianDetectionAndNoUserGoesUncheckedLongerThanTheMaximum() {
        Outcome uniform = simulate(false);
        Outcome likely = simulate(true);
        System.out.printf("median detection: uniform %d min, likely first %d min; longest gap %s%n",
                uniform.median(), likely.median(), likely.longestGap());
        assertTrue(likely.median() * 2 <= uniform.median(), likely.median() + " vs " + uniform.median());
        assertTrue(likely.longestGap().compareTo(SETTINGS.maxInterval()) <= 0, "longest gap " + likely.longestGap());
    }

    @Test
    void usersOfABrokerageWithNoHistoryAreSweptAtTheUniformPace() {
        Outcome mixed = simulate(true, new String[] {"WEEK", "MONTH", "RANDOM", "NEW"});
        Duration pass = STEP.multipliedBy((USERS + PER_STEP - 1) / PER_STEP);
        List<Long> gaps = new ArrayList<>();
        mixed.checks().forEach((user, times) -> {
            if (Integer.parseInt(user.substring(1)) % 4 == 3) { // a NEW user
                for (int i = 1; i < times.size(); i++) {
                    gaps.add(Duration.between(times.get(i - 1), times.get(i)).toMinutes());
                }
            }
        });
        List<Long> sorted = gaps.stream().sorted().toList();
        long median = sorted.get(sorted.size() / 2);
        System.out.printf("a brokerage with no history: median gap %d min (a uniform pass: %d min)%n", median,
                pass.toMinutes());
        assertTrue(median >= pass.toMinutes() / 2 && median <= pass.toMinutes() * 3 / 2,
                "checked about once a pass, like everyone in a uniform sweep: " + median + " min");
        assertTrue(sorted.get(sorted.size() - 1) <= SETTINGS.maxInterval().toMinutes());
    }

    @Test
    void withoutHistoryEveryUserIsCheckedOncePerPassInTurn() {
        Outcome uniform = simulate(false);
        Duration pass = STEP.multipliedBy((USERS + PER_STEP - 1) / PER_STEP);
        for (List<Instant> times : uniform.checks().values()) {
            for (int i = 1; i < times.size(); i++) {
                Duration gap = Duration.between(times.get(i - 1), times.get(i));
                assertTrue(gap.compareTo(pass.plus(STEP)) <= 0 && gap.compareTo(pass.minus(STEP.multipliedBy(2))) >= 0,
                        "a uniform sweep: each user once per pass of " + pass + ", not " + gap);
            }
        }
    }

    private record Token(String brokerage, Instant issued, Instant expires) {
    }

    private static final class MutableTime extends Clock {
        private Instant now;

        MutableTime(Instant now) {
            this.now = now;
        }

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }
    }

    /** The lifetimes in memory; a user's tokens from the simulation's truth (as the table would hold them). */
    private static final class MemoryLifetimes implements LifetimeStore {
        private final Map<String, LifetimeHistogram> histograms = new HashMap<>();
        private Map<String, Token> tokens = Map.of();

        @Override
        public void recordLifetime(String brokerageId, Duration lifetime) {
            histograms.merge(brokerageId, LifetimeHistogram.EMPTY.plus(lifetime), LifetimeHistogram::merge);
        }

        @Override
        public Map<String, LifetimeHistogram> lifetimes() {
            return Map.copyOf(histograms);
        }

        @Override
        public List<CheckSchedule.Connection> tokens(String userId) {
            Token t = tokens.get(userId);
            return List.of(CheckSchedule.Connection.live(t.brokerage, t.issued));
        }
    }

    /** The sweep queue in memory: the least recently checked order, the due order, the pass. */
    private static final class MemoryQueue implements SweepQueue {
        private final Map<String, Instant> lastChecked = new HashMap<>();
        private final Map<String, Instant> due = new HashMap<>();
        private Pass pass;

        void add(String userId) {
            lastChecked.put(userId, null);
        }

        @Override
        public Stream<Ranked> usersWithBrokenConnections(String after) {
            return Stream.empty();
        }

        @Override
        public Stream<Ranked> usersWithFlaggedConnections(String after) {
            return Stream.empty();
        }

        @Override
        public Stream<String> usersDueForRetry(Instant now) {
            return Stream.empty();
        }

        @Override
        public Stream<SweepEntry> usersInSweepOrder() {
            return lastChecked.entrySet().stream().map(e -> new SweepEntry(e.getKey(), e.getValue()))
                    .sorted(Comparator.comparing(SweepEntry::lastChecked,
                            Comparator.nullsFirst(Comparator.naturalOrder())).thenComparing(SweepEntry::userId))
                    .toList().stream();
        }

        @Override
        public Stream<SweepEntry> usersInDueOrder() {
            return due.entrySet().stream().sorted(Map.Entry.<String, Instant>comparingByValue()
                            .thenComparing(Map.Entry.comparingByKey()))
                    .map(e -> new SweepEntry(e.getKey(), lastChecked.get(e.getKey()))).toList().stream();
        }

        @Override
        public Optional<Pass> pass() {
            return Optional.ofNullable(pass);
        }

        @Override
        public void startPass(Instant at) {
            pass = new Pass(at, null, null);
        }

        @Override
        public void advancePass(Pass p) {
            pass = p;
        }

        @Override
        public Optional<Standing> standing(String userId) {
            return Optional.of(new Standing(lastChecked.get(userId), true));
        }

        @Override
        public Optional<Instant> lastChecked(String userId) {
            return Optional.ofNullable(lastChecked.get(userId));
        }

        @Override
        public void markVerified(String userId, Instant at) {
            lastChecked.put(userId, at);
        }

        @Override
        public void markVerified(String userId, Instant at, Instant dueAt) {
            lastChecked.put(userId, at);
            due.put(userId, dueAt);
        }

        @Override
        public void markChecked(String userId, Instant at) {
            lastChecked.put(userId, at);
            due.remove(userId);
        }

        @Override
        public int scheduleRetry(String userId, Instant at, RetryBackoff backoff) {
            throw new UnsupportedOperationException("no failures in this simulation");
        }

        @Override
        public boolean tryLease(String owner, Instant now, Duration ttl) {
            return true;
        }

        @Override
        public void releaseLease(String owner) {
        }
    }
}
