package com.connectionkeeper.sweep;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.ScheduledEvent;
import com.connectionkeeper.core.config.Config;
import com.connectionkeeper.core.config.EnvironmentVariables;
import com.connectionkeeper.core.log.Emf;
import com.connectionkeeper.core.sweep.ScheduleSource;
import com.connectionkeeper.core.sweep.SweepPlanner;
import com.connectionkeeper.core.sweep.UserSweep;
import com.connectionkeeper.kms.Sealers;
import com.connectionkeeper.secretsmanager.CredentialsConfig;
import com.connectionkeeper.snaptrade.BudgetPlan;
import com.connectionkeeper.snaptrade.CallPriority;
import com.connectionkeeper.snaptrade.SnapTradeSdkGateway;
import com.connectionkeeper.snaptrade.SnapTradeSettings;
import com.connectionkeeper.store.DynamoLifetimes;
import com.connectionkeeper.store.DynamoRequestWindows;
import com.connectionkeeper.store.DynamoStores;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.function.LongSupplier;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/** Lambda entry of the scheduled sweep (EventBridge): one {@link SweepRun} per event; answers its summary. */
public final class SweepHandler implements RequestHandler<ScheduledEvent, Map<String, Object>> {
    /** The sweep's schedule expression (the template's SweepSchedule): a rate gives the expected pass age. */
    public static final String ENV_SCHEDULE = "SWEEP_SCHEDULE";
    private final SweepRun sweep;
    private final SweepMetrics metrics;

    /**
     * Used by Lambda: builds the DynamoDB client, the SnapTrade gateway and the metrics' census once, from the
     * environment.
     */
    public SweepHandler() {
        this(CredentialsConfig.fromSystem(), null);
        EnvironmentVariables.logReads("sweep");
    }

    /** Without metrics (tests of the run itself). */
    public SweepHandler(SweepRun sweep) {
        this.sweep = sweep;
        this.metrics = null;
    }

    /** The production wiring, over {@code dynamo} (null: the production client), with its metrics. */
    SweepHandler(Config config, DynamoDbClient dynamo) {
        DynamoStores store = dynamo == null ? DynamoStores.fromConfig(config, Sealers.fromConfig(config))
                : DynamoStores.fromConfig(config, dynamo, Sealers.fromConfig(config));
        ScheduleSource schedules = schedules(store, config);
        this.sweep = over(store, config, schedules);
        BudgetPlan budget = BudgetPlan.from(config);
        this.metrics = new SweepMetrics(new DynamoConnectionCensus(store.table()), store.sweepQueue(),
                Clock.systemUTC(), config.settings().optional(Emf.NAMESPACE_VARIABLE).orElse(Emf.DEFAULT_NAMESPACE),
                SweepSettings.from(config, SnapTradeSettings.from(config).retryBudget()).requestsPerRun(),
                config.settings().optional(ENV_SCHEDULE).flatMap(SweepMetrics::rateInterval),
                budget.budget() * budget.ceiling(), schedules::modelled, schedules.settings().maxInterval(),
                line -> System.out.println(line));
    }

    /** The production wiring: the table, the gateway and the sweep's settings, all from one {@link Config}. */
    public static SweepRun fromConfig(Config config) {
        DynamoStores store = DynamoStores.fromConfig(config, Sealers.fromConfig(config));
        return over(store, config, schedules(store, config));
    }

    /** The production wiring over a DynamoDB client of the caller's (tests: one that records the table's changes). */
    public static SweepRun fromConfig(Config config, DynamoDbClient dynamo) {
        DynamoStores store = DynamoStores.fromConfig(config, dynamo, Sealers.fromConfig(config));
        return over(store, config, schedules(store, config));
    }

    /** Likely to break first, once the lifecycle function has recorded token lifetimes (README "Sweep order"). */
    private static ScheduleSource schedules(DynamoStores store, Config config) {
        // a user without a model is due after a pass at the sweep's pace: the users over what the budget leaves it
        BudgetPlan budget = BudgetPlan.from(config);
        DynamoConnectionCensus census = new DynamoConnectionCensus(store.table());
        return new ScheduleSource(new DynamoLifetimes(store.table()), SweepSettings.schedule(config),
                Clock.systemUTC(), SweepSettings.LIFETIMES_REFRESH, census::users, budget.budget() * budget.ceiling());
    }

    private static SweepRun over(DynamoStores store, Config config, ScheduleSource schedules) {
        SnapTradeSettings snaptrade = SnapTradeSettings.from(config);
        Clock clock = Clock.systemUTC();
        return new SweepRun(store.sweepQueue(), new SweepPlanner(store.sweepQueue(), schedules),
                new UserSweep(store.connections(), store.secrets(), store.sweepQueue(),
                        SnapTradeSdkGateway.fromConfig(config, clientId -> new DynamoRequestWindows(store.table(),
                                clientId, BudgetPlan.DEFAULT_SUB_WINDOW), CallPriority.BACKGROUND), clock,
                        SweepSettings.retryBackoff(config), schedules), clock,
                SweepSettings.from(config, snaptrade.retryBudget()));
    }

    @Override
    public Map<String, Object> handleRequest(ScheduledEvent event, Context context) {
        LongSupplier remaining = context == null ? () -> Long.MAX_VALUE : () -> context.getRemainingTimeInMillis();
        String requestId = requestId(event, context);
        SweepSummary run = sweep.run(runId(requestId), remaining);
        if (metrics != null) {
            metrics.report(run, remaining);
        }
        Map<String, Object> summary = new LinkedHashMap<>(run.toMap());
        summary.put("requestId", requestId);
        return summary;
    }

    /**
     * The run's own id, the lease owner: Lambda's request id (to find the run in the logs) plus a random part. The
     * request id alone is not unique per run: a duplicate asynchronous delivery of one scheduled event may carry the
     * same request id, and two runs with one owner would both hold the lease.
     */
    static String runId(String requestId) {
        return requestId + ":" + UUID.randomUUID().toString().substring(0, 13).replace("-", "");
    }

    /** Lambda's request id, else the event's id, else a fresh one. */
    private static String requestId(ScheduledEvent event, Context context) {
        if (context != null && context.getAwsRequestId() != null) {
            return context.getAwsRequestId();
        }
        if (event != null && event.getId() != null) {
            return event.getId();
        }
        return UUID.randomUUID().toString();
    }
}
