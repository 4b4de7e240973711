package com.connectionkeeper.core.log;

import java.util.List;
import java.util.Map;

/**
 * Every metric the functions declare in their log lines, with the dimension sets each is declared with: the one list
 * the code builds its {@link Emf.Declaration}s from and the template's alarms and dashboard are checked against
 * (docs/operations.md → "Metrics"), so a renamed metric cannot leave an alarm watching nothing.
 */
public final class MetricNames {
    // the webhook function
    public static final String WEBHOOKS = "Webhooks";
    // the lifecycle function, per event it publishes
    public static final String CONNECTION_TRANSITIONS = "ConnectionTransitions";
    public static final String TIME_TO_REPAIR = "TimeToRepair";
    public static final String REPAIRED_WITHIN_DAY_OF_LINK = "RepairedWithinDayOfLink";
    public static final String REMINDERS_SENT = "RemindersSent";
    public static final String BROKERAGE_INCIDENTS = "BrokerageIncidents";
    // the API function
    public static final String RECONNECT_LINKS = "ReconnectLinks";
    public static final String RETURN_LANDINGS = "ReturnLandings";
    // the sweep, per run
    public static final String SWEEP_USERS_CHECKED = "SweepUsersChecked";
    public static final String SNAPTRADE_REQUESTS = "SnapTradeRequests";
    public static final String SNAPTRADE_RATE_LIMITED = "SnapTradeRateLimited";
    public static final String SNAPTRADE_CLIENT_REJECTED = "SnapTradeClientRejected";
    public static final String SWEEP_PASS_AGE_MINUTES = "SweepPassAgeMinutes";
    public static final String SWEEP_PASS_EXPECTED_MINUTES = "SweepPassExpectedMinutes";
    // the sweep's census (gauges)
    public static final String USERS = "Users";
    public static final String CONNECTIONS = "Connections";
    public static final String BROKEN_CONNECTIONS = "BrokenConnections";
    public static final String BROKEN_CONNECTIONS_PERCENT = "BrokenConnectionsPercent";

    public static final List<String> NONE = List.of();
    public static final List<List<String>> WEBHOOK_HANDLED = List.of(NONE, List.of("result"),
            List.of("result", "eventType"));
    public static final List<List<String>> WEBHOOK_REFUSED = List.of(List.of("result"));
    public static final List<List<String>> BY_TRANSITION = List.of(List.of("transition"),
            List.of("transition", "cause"), List.of("transition", "brokerage"));
    public static final List<List<String>> IN_ALL_AND_BY_BROKERAGE = List.of(NONE, List.of("brokerage"));
    public static final List<List<String>> BY_INCIDENT = List.of(List.of("incident"),
            List.of("incident", "brokerage"));
    public static final List<List<String>> BY_RESULT = List.of(List.of("result"));
    public static final List<List<String>> BY_OUTCOME = List.of(List.of("outcome"));
    public static final List<List<String>> IN_ALL = List.of(NONE);
    public static final List<List<String>> BY_BROKERAGE = List.of(List.of("brokerage"));

    /** Each metric's dimension sets, all the lines that declare it together. */
    public static final Map<String, List<List<String>>> DIMENSIONS = Map.ofEntries(
            Map.entry(WEBHOOKS, WEBHOOK_HANDLED),
            Map.entry(CONNECTION_TRANSITIONS, BY_TRANSITION),
            Map.entry(TIME_TO_REPAIR, BY_TRANSITION),
            Map.entry(REPAIRED_WITHIN_DAY_OF_LINK, BY_TRANSITION),
            Map.entry(REMINDERS_SENT, IN_ALL_AND_BY_BROKERAGE),
            Map.entry(BROKERAGE_INCIDENTS, BY_INCIDENT),
            Map.entry(RECONNECT_LINKS, BY_RESULT),
            Map.entry(RETURN_LANDINGS, BY_OUTCOME),
            Map.entry(SWEEP_USERS_CHECKED, IN_ALL),
            Map.entry(SNAPTRADE_REQUESTS, IN_ALL),
            Map.entry(SNAPTRADE_RATE_LIMITED, IN_ALL),
            Map.entry(SNAPTRADE_CLIENT_REJECTED, IN_ALL),
            Map.entry(SWEEP_PASS_AGE_MINUTES, IN_ALL),
            Map.entry(SWEEP_PASS_EXPECTED_MINUTES, IN_ALL),
            Map.entry(USERS, IN_ALL),
            Map.entry(CONNECTIONS, IN_ALL_AND_BY_BROKERAGE),
            Map.entry(BROKEN_CONNECTIONS, IN_ALL_AND_BY_BROKERAGE),
            Map.entry(BROKEN_CONNECTIONS_PERCENT, IN_ALL));

    private MetricNames() {
    }
}
