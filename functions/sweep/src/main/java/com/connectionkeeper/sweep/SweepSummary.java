package com.connectionkeeper.sweep;

import com.connectionkeeper.core.log.JsonLog;
import com.connectionkeeper.core.model.Transition;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What one sweep run did: logged as one JSON line and returned by the function.
 *
 * @param skipped       true when another run held the lease (nothing else happened; {@value #SKIPPED_REASON})
 * @param usersPlanned  users the plan named (at most the request budget)
 * @param usersChecked  users whose check finished, with or without a failure
 * @param transitions   connection transitions by kind (NONE: observed, unchanged)
 * @param failures      failed checks by kind
 * @param requestsUsed  SnapTrade requests the checks made
 * @param rateLimited   of those, the ones SnapTrade answered 429 (over its rate limit; retried within the check)
 * @param requestBudget SnapTrade requests the run was allowed
 * @param durationMs    wall time of the run
 * @param usersLeft     planned but not checked (time or request budget ran out); the next run takes them
 * @param clientSuspect SnapTrade blamed so many users in a row that the run stopped and flagged none of them
 */
public record SweepSummary(String runId, boolean skipped, int usersPlanned, int usersChecked,
                           Map<Transition, Integer> transitions, Map<String, Integer> failures, int requestsUsed,
                           int rateLimited, int requestBudget, long durationMs, int usersLeft, boolean clientSuspect) {
    public static final String SKIPPED_REASON = "another run holds the lease";

    public SweepSummary {
        transitions = Map.copyOf(transitions);
        failures = Map.copyOf(failures);
    }

    static SweepSummary skipped(String runId, int requestBudget, long durationMs) {
        return new SweepSummary(runId, true, 0, 0, Map.of(), Map.of(), 0, 0, requestBudget, durationMs, 0, false);
    }

    public int failures(String kind) {
        return failures.getOrDefault(kind, 0);
    }

    /** The summary as the function's JSON answer: counts by kind as nested objects, keys sorted. */
    public Map<String, Object> toMap() {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("runId", runId);
        out.put("skipped", skipped);
        if (skipped) {
            out.put("reason", SKIPPED_REASON);
        }
        out.put("usersPlanned", usersPlanned);
        out.put("usersChecked", usersChecked);
        out.put("transitions", sorted(transitions));
        out.put("failures", sorted(failures));
        out.put("requestsUsed", requestsUsed);
        out.put("rateLimited", rateLimited);
        out.put("requestBudget", requestBudget);
        out.put("durationMs", durationMs);
        out.put("usersLeft", usersLeft);
        out.put("clientSuspect", clientSuspect);
        return out;
    }

    /** Prints the one log line of the run ({@code sweep_run}), counts by kind flattened to "transitions.ADDED" etc. */
    void log() {
        List<Object> fields = new ArrayList<>(List.of("runId", runId, "skipped", skipped,
                "usersPlanned", usersPlanned, "usersChecked", usersChecked, "requestsUsed", requestsUsed,
                "rateLimited", rateLimited, "requestBudget", requestBudget, "durationMs", durationMs,
                "usersLeft", usersLeft, "clientSuspect", clientSuspect));
        if (skipped) {
            fields.addAll(List.of("reason", SKIPPED_REASON));
        }
        sorted(transitions).forEach((kind, n) -> fields.addAll(List.of("transitions." + kind, n)));
        sorted(failures).forEach((kind, n) -> fields.addAll(List.of("failures." + kind, n)));
        JsonLog.info("sweep_run", fields.toArray());
    }

    private static Map<String, Integer> sorted(Map<?, Integer> counts) {
        Map<String, Integer> out = new TreeMap<>();
        counts.forEach((k, v) -> out.put(k.toString(), v));
        return out;
    }
}
