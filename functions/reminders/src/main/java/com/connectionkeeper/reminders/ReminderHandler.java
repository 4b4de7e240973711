package com.connectionkeeper.reminders;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.connectionkeeper.core.config.Config;
import com.connectionkeeper.core.config.EnvironmentConfig;
import com.connectionkeeper.core.config.EnvironmentVariables;
import com.connectionkeeper.core.incidents.IncidentRules;
import com.connectionkeeper.core.incidents.IncidentWatch;
import com.connectionkeeper.core.log.JsonLog;
import com.connectionkeeper.core.reminders.ReminderRun;
import com.connectionkeeper.store.DynamoIncidentStore;
import com.connectionkeeper.store.DynamoReminderStore;
import com.connectionkeeper.store.DynamoStores;
import com.connectionkeeper.store.DynamoTable;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/**
 * Lambda entry of the scheduled reminder run (EventBridge schedule): one {@link ReminderRun} per event, stopping
 * with a margin before the function's timeout (what is left stays due, and the next run reads it). The scheduled
 * event itself carries nothing the run needs, so it is read as a plain map (no event-model library).
 */
public final class ReminderHandler implements RequestHandler<Map<String, Object>, Map<String, Object>> {
    /** Stop this long before Lambda's timeout, so the last page's claims and the saved progress complete. */
    static final Duration MARGIN = Duration.ofSeconds(20);
    private final ReminderRun run;
    private final Clock clock;

    /** Used by Lambda: the DynamoDB client and the settings, built once from the environment. */
    public ReminderHandler() {
        this(fromConfig(EnvironmentConfig.fromSystem(), Clock.systemUTC()), Clock.systemUTC());
        EnvironmentVariables.logReads("reminders");
    }

    public ReminderHandler(ReminderRun run, Clock clock) {
        this.run = run;
        this.clock = clock;
    }

    /**
     * The production wiring, from one {@link Config}: the table's reminder store, the cadence, and the incident
     * watch that ends incidents that are over and holds the reminders of brokerages with one open.
     */
    public static ReminderRun fromConfig(Config config, Clock clock) {
        ReminderSettings settings = ReminderSettings.from(config);
        IncidentRules rules = IncidentRules.from(config.settings());
        DynamoTable table = DynamoStores.table(config); // one client for both ports
        return new ReminderRun(new DynamoReminderStore(table), settings.cadence(), clock, settings.pageSize(),
                new IncidentWatch(new DynamoIncidentStore(table, rules.breakRetention()), rules));
    }

    @Override
    public Map<String, Object> handleRequest(Map<String, Object> event, Context context) {
        Instant now = clock.instant();
        long remaining = context == null ? Duration.ofMinutes(5).toMillis() : context.getRemainingTimeInMillis();
        Instant deadline = now.plusMillis(remaining).minus(MARGIN);
        String requestId = context != null && context.getAwsRequestId() != null ? context.getAwsRequestId()
                : event != null && event.get("id") instanceof String id ? id : UUID.randomUUID().toString();
        ReminderRun.Summary s = run.run(deadline);
        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("finished", s.finished());
        summary.put("claimed", s.claimed());
        summary.put("held", s.held());
        summary.put("candidates", s.candidates());
        summary.put("pages", s.pages());
        summary.put("requestId", requestId);
        JsonLog.info("reminder_run", "requestId", requestId, "finished", s.finished(), "claimed", s.claimed(),
                "held", s.held(), "candidates", s.candidates(), "pages", s.pages());
        return summary;
    }
}
