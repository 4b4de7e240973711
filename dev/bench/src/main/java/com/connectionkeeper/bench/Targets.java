package com.connectionkeeper.bench;

import java.util.List;
import java.util.Locale;

/**
 * Every target the benchmarks are held to, in one place (README "Benchmarks" and issue 14 state them in words):
 * which bench's figure each reads, and the check that decides met or not met. {@link BenchReport} puts each figure
 * next to its target; a row with {@link Check#none} is a figure reported for information (no target).
 */
public final class Targets {
    /** The webhook zip of the previous release (sealed secrets, before metrics and SnapStart), in bytes. */
    public static final long PREVIOUS_WEBHOOK_ZIP_BYTES = 6_869_735;
    /** "A few KB": what the metrics may add to the webhook zip. */
    public static final long METRICS_ZIP_BYTES = 10 * 1024;
    /** What the metrics may add per warm webhook, in microseconds (0.05 ms). */
    public static final double METRICS_WARM_MICROS = 50;
    /** Largest acceptable fresh-JVM webhook / hello-world ratio. */
    public static final double COLD_START_RATIO = 1.10;
    /** Most DynamoDB requests a hot-path webhook may make. */
    public static final int HOT_PATH_REQUESTS = 2;
    /** Largest acceptable warm handler / bare DynamoDB ratio. */
    public static final double WARM_RATIO = 1.3;
    /** Largest acceptable median handler time of an unsigned body, ms. */
    public static final double WORST_UNSIGNED_MS = 50;
    /** Least share of the configured limit the deployment's processes must spend together. */
    public static final double BUDGET_UTILISATION = 0.90;
    /** Most DynamoDB requests the shared budget may cost per SnapTrade request of interactive callers (one slot). */
    public static final double BUDGET_COST = 1;
    /** The same, the sweep's slots taken in blocks. */
    public static final double BUDGET_COST_BLOCKS = 0.3;
    /** Lost-webhook detection, shared budget, uniform order: largest p95 as a multiple of N / B (one pass). */
    public static final double DETECTION_UNIFORM_P95 = 1.10;
    /** Lost-webhook detection, likely-to-break first: largest p50 as a share of the uniform order's p50. */
    public static final double DETECTION_LIKELY_P50 = 0.50;
    /** The webhook zip's size limit, bytes. */
    public static final long WEBHOOK_ZIP_BYTES = 8_000_000;

    private Targets() {
    }

    /** The report's areas, in its order. */
    public enum Area {
        WEBHOOK("Webhook"), GATEWAY("SnapTrade gateway"),
        BUDGET("Shared SnapTrade budget (the sweep and 3 API instances)"),
        SWEEP("Sweep"), EVENTS("Events (lifecycle, reminders)"),
        ARTIFACTS("Artifacts"), COLD_START("Cold start");

        private final String title;

        Area(String title) {
            this.title = title;
        }

        public String title() {
            return title;
        }
    }

    /** A bench: its run.sh name, the figures file it writes and the results file the report links. */
    public enum BenchId {
        WEBHOOK("webhook", "results.md"),
        WORST_CASE("worst-case", "webhook-worst-case-results.md"),
        RATELIMIT("ratelimit", "ratelimit-results.md"),
        BUDGET("budget", "budget-results.md"),
        SWEEP("sweep", "sweep-results.md"),
        SWEEP_HEAP("sweep-heap", "sweep-heap-results.md"),
        DETECTION("detection", "detection-results.md"),
        LIFECYCLE("lifecycle", "lifecycle-results.md"),
        REMINDERS("reminders", "reminder-results.md"),
        ARTIFACTS("artifacts", "artifacts-results.md");

        private final String id;
        private final String results;

        BenchId(String id, String results) {
            this.id = id;
            this.results = results;
        }

        /** The name run.sh takes and the figures file's stem. */
        public String id() {
            return id;
        }

        public String results() {
            return results;
        }
    }

    /** How a figure is judged; {@link #none} for a figure without a target. */
    public record Check(double min, double max, String text) {
        public static Check atMost(double max, String text) {
            return new Check(Double.NEGATIVE_INFINITY, max, text);
        }

        public static Check atLeast(double min, String text) {
            return new Check(min, Double.POSITIVE_INFINITY, text);
        }

        public static Check within(double min, double max, String text) {
            return new Check(min, max, text);
        }

        public static Check none() {
            return new Check(Double.NaN, Double.NaN, "no target (information)");
        }

        public boolean hasTarget() {
            return !Double.isNaN(min);
        }

        /** Whether {@code value} meets this target (a NaN value never does). */
        public boolean met(double value) {
            return hasTarget() && value >= min && value <= max;
        }
    }

    /** One target: the figure {@code key} of {@code bench}, judged by {@code check}. */
    public record Target(Area area, String what, BenchId bench, String key, Check check) {
    }

    /** Every target, in the report's order. */
    public static final List<Target> ALL = List.of(
            // webhook
            new Target(Area.WEBHOOK, "DynamoDB requests per webhook on the hot path (BROKEN / FIXED, known "
                    + "connection)", BenchId.WEBHOOK, "requests.hotPath", Check.atMost(HOT_PATH_REQUESTS, "≤ 2")),
            new Target(Area.WEBHOOK, "warm handler time / the bare DynamoDB calls it makes (medians)", BenchId.WEBHOOK,
                    "warm.ratio", Check.atMost(WARM_RATIO, "≤ 1.3")),
            new Target(Area.WEBHOOK, "metrics: µs the EMF metadata adds to a warm webhook's log line (worst of C2 "
                    + "in process and Lambda's C1 flags)", BenchId.WEBHOOK, "metrics.addedMicros",
                    Check.atMost(METRICS_WARM_MICROS, "≤ 50 µs (0.05 ms)")),
            new Target(Area.WEBHOOK, "worst unsigned body ≤ 256 KB: handler time (median)", BenchId.WORST_CASE,
                    "worstUnsignedMs", Check.atMost(WORST_UNSIGNED_MS, "≤ 50 ms")),
            // gateway
            new Target(Area.GATEWAY, "share of the simulator's limit used in steady state, gateway set to that limit "
                    + "(worst scenario)", BenchId.RATELIMIT, "usedPercent", Check.atLeast(90, "≥ 90 %")),
            new Target(Area.GATEWAY, "unhandled 429s (RATE_LIMITED to callers), all scenarios", BenchId.RATELIMIT,
                    "unhandled429", Check.atMost(0, "0")),
            new Target(Area.GATEWAY, "share used at the production setting (200 of 250)", BenchId.RATELIMIT,
                    "productionPercent", Check.none()),
            // the shared budget
            new Target(Area.BUDGET, "SnapTrade requests per minute of the sweep (8 threads, blocks of 8) and 3 API "
                    + "instances (one caller each, about 30 calls a minute) / the configured limit (SnapTrade's 250 "
                    + "less the app's reserve, here 0), 60-s window, 2-s sub-windows, 3 steady minutes",
                    BenchId.BUDGET, "utilisation", Check.atLeast(BUDGET_UTILISATION, "≥ 0.90")),
            new Target(Area.BUDGET, "unhandled 429s (calls failing RATE_LIMITED)", BenchId.BUDGET, "unhandled429",
                    Check.atMost(0, "0")),
            new Target(Area.BUDGET, "failed calls of any kind", BenchId.BUDGET, "failedCalls", Check.atMost(0, "0")),
            new Target(Area.BUDGET, "429s from the simulator (handled or not)", BenchId.BUDGET, "throttled",
                    Check.atMost(0, "0")),
            new Target(Area.BUDGET, "DynamoDB requests per SnapTrade request of the sweep (slots in blocks of 8)",
                    BenchId.BUDGET, "costSweep", Check.atMost(BUDGET_COST_BLOCKS, "≤ 0.3")),
            // the limiter cost: the deployment's, ≤ 1; ≤ 0.3 where slots are taken in blocks (the sweep)
            new Target(Area.BUDGET, "DynamoDB requests per SnapTrade request, the whole deployment (the limiter's "
                    + "cost)", BenchId.BUDGET, "cost", Check.atMost(BUDGET_COST, "≤ 1")),
            new Target(Area.BUDGET, "DynamoDB requests per SnapTrade request of the API instances alone (one slot a "
                    + "call: 1 is the floor; a burst beyond the reserve costs more)", BenchId.BUDGET,
                    "costInteractive", Check.none()),
            new Target(Area.BUDGET, "interactive call time under the saturating sweep: p95 / (one sub-window + a "
                    + "request)", BenchId.BUDGET, "interactiveP95", Check.atMost(1, "≤ 1 (a wait of at most one "
                    + "sub-window)")),
            new Target(Area.BUDGET, "busiest rolling window at SnapTrade (of its 250)", BenchId.BUDGET, "busiest",
                    Check.none()),
            new Target(Area.BUDGET, "the plan's ceiling: sub-windows per window / span", BenchId.BUDGET, "ceiling",
                    Check.none()),
            new Target(Area.BUDGET, "stress, 3 sweeps competing (production has one): utilisation", BenchId.BUDGET,
                    "stress.utilisation", Check.none()),
            new Target(Area.BUDGET, "stress: failed calls", BenchId.BUDGET, "stress.failedCalls", Check.none()),
            new Target(Area.BUDGET, "stress: DynamoDB requests per SnapTrade request", BenchId.BUDGET, "stress.cost",
                    Check.none()),
            new Target(Area.BUDGET, "stress: interactive p95 / (one sub-window + a request)", BenchId.BUDGET,
                    "stress.interactiveP95", Check.none()),
            // sweep
            new Target(Area.SWEEP, "runs for one pass beyond ceil((users + retries) / 250)", BenchId.SWEEP,
                    "runsOverMinimum", Check.atMost(0, "0")),
            new Target(Area.SWEEP, "requests used / budget (limit × elapsed windows)", BenchId.SWEEP, "usedOfBudget",
                    Check.atLeast(0.90, "≥ 0.90")),
            new Target(Area.SWEEP, "429s from the simulator", BenchId.SWEEP, "throttled", Check.atMost(0, "0")),
            new Target(Area.SWEEP, "every user checked exactly once in the pass", BenchId.SWEEP, "checkedOnce",
                    Check.within(1, 1, "yes")),
            new Target(Area.SWEEP, "KMS Decrypt calls per user checked (none for retries)", BenchId.SWEEP,
                    "decryptsPerUser", Check.within(1, 1, "1.00")),
            new Target(Area.SWEEP, "peak post-GC heap, largest / smallest user count", BenchId.SWEEP_HEAP, "heapRatio",
                    Check.within(0.8, 1.2, "within ± 20 %")),
            // sweep: detection time of breaks whose webhook was lost (issue 15; N users, B checks per minute)
            new Target(Area.SWEEP, "lost-webhook break found, (a) today's defaults (150 checks every 10 min, least "
                    + "recently checked first)", BenchId.DETECTION, "today.p95Minutes", Check.none()),
            new Target(Area.SWEEP, "lost-webhook break found, (b) shared budget B, least recently checked first: "
                    + "p95 / (N / B)", BenchId.DETECTION, "uniform.p95OverPass",
                    Check.atMost(DETECTION_UNIFORM_P95, "≤ 1.10")),
            new Target(Area.SWEEP, "lost-webhook break found, (c) likely-to-break first: p50 / (b)'s p50",
                    BenchId.DETECTION, "likely.p50OverUniform", Check.atMost(DETECTION_LIKELY_P50, "≤ 0.50")),
            new Target(Area.SWEEP, "(c): longest gap between two checks of a user / maxInterval (no starvation)",
                    BenchId.DETECTION, "likely.longestGapOverMax", Check.atMost(1, "≤ 1.00")),
            // events
            new Target(Area.EVENTS, "lifecycle: events published per status-transition record", BenchId.LIFECYCLE,
                    "eventsPerTransition", Check.within(1, 1, "1.000")),
            new Target(Area.EVENTS, "lifecycle: events published per other record", BenchId.LIFECYCLE, "eventsPerOther",
                    Check.atMost(0, "0.000")),
            new Target(Area.EVENTS, "lifecycle: batches with more PutEvents calls than ceil(events / 10)",
                    BenchId.LIFECYCLE, "batchesOverBound", Check.atMost(0, "0")),
            new Target(Area.EVENTS, "reminders: index items read per reminder sent", BenchId.REMINDERS,
                    "itemsPerReminder", Check.within(1, 1, "1.000")),
            new Target(Area.EVENTS, "reminders: requests per reminder, largest / smallest run", BenchId.REMINDERS,
                    "requestsRatio", Check.within(0.95, 1.05, "flat (± 5 %)")),
            new Target(Area.EVENTS, "reminders: peak post-GC heap, largest / smallest run", BenchId.REMINDERS,
                    "heapRatio", Check.within(0.8, 1.2, "within ± 20 %")),
            // artifacts (every other zip's size follows, for information)
            new Target(Area.ARTIFACTS, "webhook.zip size", BenchId.ARTIFACTS, "zip.webhook.bytes",
                    Check.atMost(WEBHOOK_ZIP_BYTES, "≤ 8 MB")),
            new Target(Area.ARTIFACTS, "webhook.zip: okhttp, gson, kotlin, SnapTrade, HTTP clients, netty, "
                    + "aws-lambda-java-events, joda-time, Jackson databind jars", BenchId.ARTIFACTS,
                    "zip.webhook.unwantedJars", Check.atMost(0, "none")),
            new Target(Area.ARTIFACTS, "metrics: bytes they add to webhook.zip (judged on the upper bound: its "
                    + "growth since the previous release less the crac jar SnapStart brought)", BenchId.ARTIFACTS,
                    "zip.webhook.metricsBytes", Check.atMost(METRICS_ZIP_BYTES, "≤ 10 KB (\"a few KB\")")),
            // cold start
            new Target(Area.COLD_START, "fresh JVM to the first handled webhook / a hello-world with the same client "
                    + "and requests, key from the environment (worst JVM × flags row)", BenchId.WEBHOOK,
                    "coldStart.ratio.env", Check.atMost(COLD_START_RATIO, "≤ 1.10")),
            new Target(Area.COLD_START, "the same, consumer key from Secrets Manager as in AWS (worst row)",
                    BenchId.WEBHOOK, "coldStart.ratio.sm", Check.atMost(COLD_START_RATIO, "≤ 1.10")),
            new Target(Area.COLD_START, "priming (beforeCheckpoint): its own time, fresh JVM", BenchId.WEBHOOK,
                    "priming.ms", Check.none()),
            new Target(Area.COLD_START, "after priming, what is left of the first webhook (afterRestore + first "
                    + "webhook) / the first webhook without priming", BenchId.WEBHOOK, "priming.remaining",
                    Check.none()),
            new Target(Area.COLD_START, "classes the first webhook loads without priming that priming loads first",
                    BenchId.WEBHOOK, "priming.classesCovered", Check.none()));

    /** A number as the report shows it when the bench gave no text: integers grouped, others to 2 decimals. */
    static String format(double value) {
        if (Double.isNaN(value)) {
            return "—";
        }
        if (value == Math.rint(value) && Math.abs(value) < 1e15) {
            return String.format(Locale.ROOT, "%,d", (long) value);
        }
        return String.format(Locale.ROOT, "%.2f", value);
    }
}
