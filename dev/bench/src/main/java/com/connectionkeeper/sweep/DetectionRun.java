package com.connectionkeeper.sweep;

import com.connectionkeeper.core.sweep.BrokerageLifetimes;
import com.connectionkeeper.core.sweep.CheckSchedule;
import com.connectionkeeper.core.sweep.LifetimeHistogram;
import com.connectionkeeper.simulator.SeededUser;
import com.connectionkeeper.simulator.SimulatedClock;
import com.connectionkeeper.simulator.SimulatedConnection;
import com.connectionkeeper.simulator.SimulatorConfig;
import com.connectionkeeper.simulator.SnapTradeSimulator;
import com.connectionkeeper.simulator.TokenExpiry;
import com.connectionkeeper.simulator.TokenLifetimes;
import com.connectionkeeper.simulator.UserSeed;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.SplittableRandom;

/**
 * One sweep policy over one simulated world, for {@link DetectionBench}: a SnapTrade simulator in process on a
 * {@link SimulatedClock}, users joining over a history period, tokens expiring per brokerage, a share of the
 * CONNECTION_BROKEN webhooks lost, users repairing a known break after a seeded delay (the repair is a FIXED with a new
 * token), and from {@link World#t0()} on a sweep simulated minute by minute that lists a user's connections at the
 * simulator for each check. What the app knows is kept apart from the simulator's truth: a connection's token issue
 * time (its ADDED or FIXED), whether it is known broken (a delivered webhook, or a check that found it), and the
 * lifetime histograms it learned from the breaks it saw from t0 on. Detection time: from a break whose webhook was lost
 * to the first check of its user after it.
 */
final class DetectionRun {
    private static final long MINUTE = 60;

    /** The policies compared. */
    enum Policy {
        /** (a) today's defaults: every 10 minutes, 150 checks, least recently checked first. */
        TODAY("(a) today's defaults"),
        /** (b) the shared budget, every minute, least recently checked first. */
        UNIFORM("(b) shared budget, uniform order"),
        /** (c) the shared budget, every minute, the deadline guard then earliest due first. */
        LIKELY_FIRST("(c) shared budget, likely-to-break first");

        private final String title;

        Policy(String title) {
            this.title = title;
        }

        String title() {
            return title;
        }
    }

    /**
     * The world every policy runs in: the same seed, users, brokerage mix and lifetimes.
     *
     * @param users           how many users
     * @param lifetimes       the simulator's token lifetimes, per brokerage
     * @param brokerages      the brokerages and their share of connections (adding up to 1)
     * @param history         users join evenly over this period before t0 (no sweep then; every break is repaired)
     * @param warmUp          from t0: the sweep runs and the app learns; breaks are not measured
     * @param measured        breaks in this period after the warm-up are measured
     * @param tail            the sweep runs on this long after the measured period, so its breaks are found
     * @param lostShare       the share of CONNECTION_BROKEN webhooks lost
     * @param repairMedian    a user repairs a known break after a lognormal delay with this median
     * @param repairSigma     and this sigma
     * @param seed            the seed of everything drawn
     * @param budgetPerMinute checks per minute of the shared budget ((b) and (c))
     * @param settings        (c)'s schedule settings
     */
    record World(int users, String lifetimes, Map<String, Double> brokerages, Duration history, Duration warmUp,
                 Duration measured, Duration tail, double lostShare, Duration repairMedian, double repairSigma,
                 long seed, double budgetPerMinute, CheckSchedule.Settings settings) {
        static final Instant T0 = Instant.parse("2026-03-02T00:00:00Z");

        long t0() {
            return T0.getEpochSecond();
        }

        long measureFrom() {
            return t0() + warmUp.getSeconds();
        }

        long measureUntil() {
            return measureFrom() + measured.getSeconds();
        }

        long end() {
            return measureUntil() + tail.getSeconds();
        }
    }

    /** What one policy gave: the measured breaks' detection times (seconds) and brokerages, and the sweep's figures. */
    record Result(Policy policy, long[] detections, String[] brokerageOf, long undetected, long longestGap,
                  long checks, long guardChecks, long breaks, long lostBreaks, BrokerageLifetimes learned,
                  double seconds) {
    }

    private final World world;
    private final Policy policy;
    private final SimulatedClock clock;
    private final SnapTradeSimulator sim;
    private final String[] userIds;
    private final int[] firstConnection;
    private final String[] brokerage;
    private final Map<String, Integer> connectionIndex = new HashMap<>();
    private final String[] connectionIds;
    private final long[] issuedAt;
    private final boolean[] knownBroken;
    private final int[] breaksOf;
    private final long[] joinAt;
    /** {at, sequence, connection}. */
    private final PriorityQueue<long[]> repairs = new PriorityQueue<>(
            Comparator.<long[]>comparingLong(r -> r[0]).thenComparingLong(r -> r[1]));
    private long repairSequence;
    private final Map<String, LifetimeHistogram> histograms = new LinkedHashMap<>();
    private boolean histogramsChanged;
    private final long[] lastCheck;
    private long longestGap;
    private long checks;
    private long breaks;
    private long lostBreaks;
    private long lostMeasured;
    private long[] detections = new long[1024];
    private String[] detectedBrokerage = new String[1024];
    private int detected;

    private DetectionRun(World world, Policy policy) {
        this.world = world;
        this.policy = policy;
        SplittableRandom random = new SplittableRandom(world.seed());
        int n = world.users();
        long history = world.history().getSeconds();
        long[] joinAt = new long[n];
        List<List<String>> connections = new ArrayList<>(n);
        int total = 0;
        List<String> names = List.copyOf(world.brokerages().keySet());
        for (int u = 0; u < n; u++) {
            joinAt[u] = world.t0() - history + random.nextLong(history);
            double r = random.nextDouble();
            int count = r < 0.55 ? 1 : r < 0.85 ? 2 : 3;
            List<String> of = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                of.add(pick(names, world.brokerages(), random.nextDouble()));
            }
            connections.add(of);
            total += count;
        }
        Arrays.sort(joinAt); // users join in the order of their ids
        userIds = new String[n];
        firstConnection = new int[n + 1];
        brokerage = new String[total];
        connectionIds = new String[total];
        for (int u = 0, c = 0; u < n; u++) {
            userIds[u] = String.format("user-%06d", u);
            firstConnection[u] = c;
            for (String b : connections.get(u)) {
                brokerage[c++] = b;
            }
        }
        firstConnection[n] = total;
        issuedAt = new long[total];
        knownBroken = new boolean[total];
        breaksOf = new int[total];
        lastCheck = new long[n];
        clock = new SimulatedClock(Instant.ofEpochSecond(joinAt[0]));
        sim = SnapTradeSimulator.start(SimulatorConfig.builder("DETECTION", "detection-consumer-key").clock(clock)
                .seed(world.seed()).lostWebhookShare(world.lostShare())
                .tokenLifetimes(TokenLifetimes.parse(world.lifetimes())).build());
        sim.expiries().subscribe(this::expired);
        this.joinAt = joinAt;
    }

    private static String pick(List<String> names, Map<String, Double> shares, double r) {
        double sum = 0;
        for (String name : names) {
            sum += shares.get(name);
            if (r < sum) {
                return name;
            }
        }
        return names.get(names.size() - 1);
    }

    /** Runs {@code policy} over a fresh copy of {@code world}. */
    static Result run(World world, Policy policy) {
        long started = System.nanoTime();
        DetectionRun run = new DetectionRun(world, policy);
        try (SnapTradeSimulator ignored = run.sim) {
            run.history();
            System.err.printf(java.util.Locale.ROOT, "[detection] %s: history to t0 in %.0f s%n", policy.title(),
                    (System.nanoTime() - started) / 1e9);
            return run.sweep(started);
        }
    }

    /** Users join (seeded at their join time, a batch an hour); every break is repaired; no sweep. */
    private void history() {
        int next = 0;
        for (long t = joinAt[0] - Math.floorMod(joinAt[0], 3600) + 3600; t <= world.t0(); t += 3600) {
            advanceTo(t);
            List<UserSeed> batch = new ArrayList<>();
            int from = next;
            while (next < userIds.length && joinAt[next] <= t) {
                List<UserSeed.Connection> of = new ArrayList<>();
                for (int c = firstConnection[next]; c < firstConnection[next + 1]; c++) {
                    of.add(new UserSeed.Connection(brokerage[c], "read"));
                }
                batch.add(new UserSeed(userIds[next++], of));
            }
            if (!batch.isEmpty()) {
                List<SeededUser> seeded = sim.control().seedAllSilently(batch);
                for (int u = from; u < next; u++) {
                    List<SimulatedConnection> made = seeded.get(u - from).connections();
                    for (int i = 0; i < made.size(); i++) {
                        int c = firstConnection[u] + i;
                        connectionIds[c] = made.get(i).id();
                        connectionIndex.put(made.get(i).id(), c);
                        issuedAt[c] = t; // the CONNECTION_ADDED the app heard
                    }
                }
            }
            if (t % 86_400 == 0) {
                forget();
            }
        }
    }

    /** The simulator's logs are not needed: dropped every simulated day to hold memory flat. */
    private void forget() {
        sim.webhooks().clear();
        sim.expiries().clear();
        sim.requests().clear();
    }

    /** Repairs due by {@code t}, each at its own instant (the token expiries in between run first), then {@code t}. */
    private void advanceTo(long t) {
        while (!repairs.isEmpty() && repairs.peek()[0] <= t) {
            long[] r = repairs.poll();
            long at = Math.max(r[0], clock.instant().getEpochSecond());
            clock.advanceTo(Instant.ofEpochSecond(at));
            int c = (int) r[2];
            sim.control().fixConnection(connectionIds[c]); // CONNECTION_FIXED, heard by the app: a new token
            issuedAt[c] = at;
            knownBroken[c] = false;
        }
        clock.advanceTo(Instant.ofEpochSecond(t));
    }

    /** A token expired: a delivered webhook (or any break before t0) makes it known at once. */
    private void expired(TokenExpiry expiry) {
        int c = connectionIndex.get(expiry.connectionId());
        long broke = expiry.brokeAt().getEpochSecond();
        if (broke >= world.t0()) {
            breaks++;
        }
        if (!expiry.webhookLost() || broke < world.t0()) {
            known(c, broke, broke);
        } else {
            lostBreaks++;
            if (broke >= world.measureFrom() && broke < world.measureUntil()) {
                lostMeasured++;
            }
        }
    }

    /** The app learns of a break (at {@code at}): the lifetime goes into its histogram, the user repairs later. */
    private void known(int c, long at, long broke) {
        knownBroken[c] = true;
        if (broke >= world.t0()) {
            histograms.merge(brokerage[c], LifetimeHistogram.EMPTY.plus(Duration.ofSeconds(broke - issuedAt[c])),
                    LifetimeHistogram::merge);
            histogramsChanged = true;
        }
        SplittableRandom r = new SplittableRandom(world.seed() * 1_000_003L + (long) c * 1_009L + breaksOf[c]++);
        double delay = world.repairMedian().getSeconds() * Math.exp(world.repairSigma() * r.nextGaussian());
        repairs.add(new long[] {at + Math.max(5 * MINUTE, Math.round(delay)), repairSequence++, c});
    }

    /** From t0 to the end: the sweep, a run a minute ((a): every 10 minutes). */
    private Result sweep(long started) {
        int n = userIds.length;
        double rate = policy == Policy.TODAY ? SweepSettings.DEFAULT_REQUESTS_PER_RUN / 10.0 : world.budgetPerMinute();
        // the sweep is in its steady state: users last checked evenly over the last pass, in a random order
        int[] order = new int[n];
        for (int u = 0; u < n; u++) {
            order[u] = u;
        }
        SplittableRandom shuffle = new SplittableRandom(world.seed() + 1);
        for (int i = n - 1; i > 0; i--) {
            int j = shuffle.nextInt(i + 1);
            int swap = order[i];
            order[i] = order[j];
            order[j] = swap;
        }
        long pass = Math.round(n / rate * MINUTE);
        CheckSchedule.Settings settings = world.settings();
        LikelyToBreakFirstOrder likely = policy == Policy.LIKELY_FIRST
                ? new LikelyToBreakFirstOrder(n, new CheckSchedule(BrokerageLifetimes.NONE, settings)) : null;
        for (int i = 0; i < n; i++) {
            int u = order[i];
            lastCheck[u] = world.t0() - pass + i * pass / n;
            if (likely != null) {
                likely.checked(u, lastCheck[u], seen(u));
            }
        }
        SweepOrder sweepOrder = likely != null ? likely : new LeastRecentlyCheckedOrder(order);
        long every = policy == Policy.TODAY ? 10 * MINUTE : MINUTE;
        double credit = 0;
        for (long t = world.t0(); t < world.end(); t += MINUTE) {
            advanceTo(t);
            if ((t - world.t0()) % 86_400 == 0) {
                forget();
            }
            if ((t - world.t0()) % every != 0) {
                continue;
            }
            credit += rate * every / MINUTE;
            int capacity = (int) credit;
            credit -= capacity;
            if (likely != null && histogramsChanged) {
                likely.use(new CheckSchedule(BrokerageLifetimes.learn(histograms), settings));
                histogramsChanged = false;
            }
            for (int u : sweepOrder.next(capacity, t, t + every)) {
                check(u, t);
                sweepOrder.checked(u, t, seen(u));
            }
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        return new Result(policy, Arrays.copyOf(detections, detected), Arrays.copyOf(detectedBrokerage, detected),
                lostMeasured - detected, longestGap, checks, likely == null ? 0 : likely.guardChecks(), breaks,
                lostBreaks, BrokerageLifetimes.learn(histograms), seconds);
    }

    /** One check: the user's connections as SnapTrade lists them; a break the app did not know of is found. */
    private void check(int u, long t) {
        checks++;
        if (t >= world.measureFrom()) {
            longestGap = Math.max(longestGap, t - lastCheck[u]);
        }
        lastCheck[u] = t;
        List<SimulatedConnection> listed = sim.control().connections(userIds[u]);
        for (int i = 0; i < listed.size(); i++) {
            SimulatedConnection connection = listed.get(i);
            int c = firstConnection[u] + i; // listed in the order added; none is added or deleted after the seeding
            if (!connection.id().equals(connectionIds[c])) {
                throw new IllegalStateException("connection " + connection.id() + " out of place");
            }
            if (connection.disabled() && !knownBroken[c]) {
                long broke = connection.disabledDate().getEpochSecond(); // the list's disabled_date
                if (broke >= world.measureFrom() && broke < world.measureUntil()) {
                    if (detected == detections.length) {
                        detections = Arrays.copyOf(detections, detected * 2);
                        detectedBrokerage = Arrays.copyOf(detectedBrokerage, detected * 2);
                    }
                    detections[detected] = t - broke;
                    detectedBrokerage[detected++] = brokerage[c];
                }
                known(c, t, broke);
            }
        }
    }

    /** The user's connections as the app knows them. */
    private List<CheckSchedule.Connection> seen(int u) {
        List<CheckSchedule.Connection> seen = new ArrayList<>(firstConnection[u + 1] - firstConnection[u]);
        for (int c = firstConnection[u]; c < firstConnection[u + 1]; c++) {
            seen.add(new CheckSchedule.Connection(brokerage[c], Instant.ofEpochSecond(issuedAt[c]), knownBroken[c]));
        }
        return seen;
    }
}
