package com.connectionkeeper.lifecycle;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.DynamodbEvent.DynamodbStreamRecord;
import com.amazonaws.services.lambda.runtime.events.DynamodbEvent;
import com.amazonaws.services.lambda.runtime.events.StreamsEventResponse;
import com.connectionkeeper.core.config.Config;
import com.connectionkeeper.core.config.EnvironmentConfig;
import com.connectionkeeper.core.config.EnvironmentVariables;
import com.connectionkeeper.core.incidents.IncidentRules;
import com.connectionkeeper.core.incidents.IncidentWatch;
import com.connectionkeeper.core.lifecycle.Announcer;
import com.connectionkeeper.core.lifecycle.ConnectionEvent;
import com.connectionkeeper.core.lifecycle.EventKind;
import com.connectionkeeper.core.lifecycle.Incident;
import com.connectionkeeper.core.lifecycle.LifecycleEvent;
import com.connectionkeeper.core.log.Emf;
import com.connectionkeeper.core.log.JsonLog;
import com.connectionkeeper.core.sweep.LifetimeStore;
import com.connectionkeeper.eventbus.EventBridgePublisher;
import com.connectionkeeper.store.DynamoIncidentStore;
import com.connectionkeeper.store.DynamoLifetimes;
import com.connectionkeeper.store.DynamoPublishedMarks;
import com.connectionkeeper.store.DynamoStores;
import com.connectionkeeper.store.DynamoTable;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Lambda on the table's DynamoDB stream: one EventBridge event per connection status change, user deletion, reminder
 * step and brokerage incident ({@link StreamChanges}), published in record order ({@link Announcer}). Before
 * publishing, the batch's connection events go to {@link IncidentWatch}, which counts breaks per brokerage, may
 * suspect or end an incident, and tells which breaks to mark as part of one. A record whose event could not be
 * published, or whose image could not be read, is reported as a batch item failure, so Lambda retries from it
 * (bisecting, a bounded number of times, then the on-failure destination); event ids are the changes', so whatever a
 * retry publishes again carries the id it had the first time. If incident awareness fails (the table unreachable),
 * the events are published unmarked: the app's events never wait on the heuristic.
 */
public final class LifecycleHandler implements RequestHandler<DynamodbEvent, StreamsEventResponse> {
    private final Announcer announcer;
    private final IncidentWatch incidents;
    private final Clock clock;
    private final LifecycleMetrics metrics;
    private final LifetimeStore lifetimes;

    /**
     * Used by Lambda: the EventBridge publisher, the table (one client for the published marks and the incident
     * store) and the incident rules, from the environment, once.
     */
    public LifecycleHandler() {
        this(EnvironmentConfig.fromSystem());
        EnvironmentVariables.logReads("lifecycle");
    }

    private LifecycleHandler(Config config) {
        this(config, DynamoStores.table(config));
    }

    private LifecycleHandler(Config config, DynamoTable table) {
        this(new Announcer(EventBridgePublisher.fromConfig(config), new DynamoPublishedMarks(table, Clock.systemUTC())),
                incidentWatch(config, table), Clock.systemUTC(),
                config.settings().optional(Emf.NAMESPACE_VARIABLE).orElse(Emf.DEFAULT_NAMESPACE),
                new DynamoLifetimes(table));
    }

    public LifecycleHandler(Announcer announcer, IncidentWatch incidents, Clock clock) {
        this(announcer, incidents, clock, Emf.DEFAULT_NAMESPACE);
    }

    /** @param namespace the CloudWatch namespace of the metrics of the events it publishes (docs/operations.md) */
    public LifecycleHandler(Announcer announcer, IncidentWatch incidents, Clock clock, String namespace) {
        this(announcer, incidents, clock, namespace, null);
    }

    /**
     * @param lifetimes where each token lifetime a break ends is counted, for the sweep's likely-to-break-first order
     *                  (null: none is)
     */
    public LifecycleHandler(Announcer announcer, IncidentWatch incidents, Clock clock, String namespace,
                            LifetimeStore lifetimes) {
        this.lifetimes = lifetimes;
        this.announcer = announcer;
        this.incidents = incidents;
        this.clock = clock;
        this.metrics = new LifecycleMetrics(namespace);
    }

    /** The production incident watch over {@code table}, with the rules from {@code config}. */
    public static IncidentWatch incidentWatch(Config config, DynamoTable table) {
        IncidentRules rules = IncidentRules.from(config.settings());
        return new IncidentWatch(new DynamoIncidentStore(table, rules.breakRetention()), rules);
    }

    @Override
    public StreamsEventResponse handleRequest(DynamodbEvent event, Context context) {
        List<DynamodbStreamRecord> records = event.getRecords() == null ? List.of() : event.getRecords();
        List<Announcer.Change> changes = new ArrayList<>(records.size());
        Set<String> failed = new LinkedHashSet<>();
        Map<String, Instant> linksIssuedAt = new HashMap<>();
        for (DynamodbStreamRecord record : records) {
            String sequence = record.getDynamodb() == null ? record.getEventID()
                    : record.getDynamodb().getSequenceNumber();
            try {
                List<LifecycleEvent> events = StreamChanges.events(record);
                changes.add(new Announcer.Change(sequence, events));
                // the newest link matters to a repair's metric only: the image is read again for fixes alone
                for (LifecycleEvent e : events) {
                    if (e instanceof ConnectionEvent c && c.kind() == EventKind.CONNECTION_FIXED) {
                        Instant link = StreamChanges.linkIssuedAt(record);
                        if (link != null) {
                            linksIssuedAt.put(c.id(), link);
                        }
                    }
                }
            } catch (RuntimeException e) {
                JsonLog.error("stream_record_unreadable", "sequenceNumber", sequence, "eventId", record.getEventID(),
                        "error", e.getClass().getSimpleName()); // no message: images hold user secrets
                changes.add(Announcer.Change.unreadable(sequence));
            }
        }
        changes = withIncidents(changes);
        Announcer.Outcome outcome = announcer.announce(changes);
        failed.addAll(outcome.failedKeys());
        try {
            metrics.report(outcome.publishedEvents(), linksIssuedAt);
        } catch (RuntimeException e) { // the events are out: a failed batch would be delivered, and published, again
            JsonLog.error("lifecycle_metrics_failed", "error", e.getClass().getSimpleName(), "message",
                    e.getMessage());
        }
        recordLifetimes(records, failed);
        JsonLog.info("stream_batch_handled", "records", records.size(), "published", outcome.published(),
                "alreadyPublished", outcome.alreadyPublished(),
                "failedRecords", failed.size(), "requestId", context == null ? null : context.getAwsRequestId());
        List<StreamsEventResponse.BatchItemFailure> failures = new ArrayList<>(failed.size());
        for (String sequence : failed) {
            failures.add(StreamsEventResponse.BatchItemFailure.builder().withItemIdentifier(sequence).build());
        }
        return StreamsEventResponse.builder().withBatchItemFailures(failures).build();
    }

    /**
     * Counts the token lifetime each break in the batch ended, up to the first record that failed: Lambda delivers
     * that record and every one after it again, and their breaks are counted then. Best effort: a lifetime not counted
     * makes the history a little shorter, never fails the batch.
     */
    private void recordLifetimes(List<DynamodbStreamRecord> records, Set<String> failed) {
        if (lifetimes == null) {
            return;
        }
        for (DynamodbStreamRecord record : records) {
            String sequence = record.getDynamodb() == null ? record.getEventID()
                    : record.getDynamodb().getSequenceNumber();
            if (failed.contains(sequence)) {
                return; // this one and all after it come again
            }
            if (record.getDynamodb() == null) {
                continue;
            }
            try {
                DynamoLifetimes.brokeIn(StreamImages.image(record.getDynamodb().getOldImage()),
                        StreamImages.image(record.getDynamodb().getNewImage()))
                        .ifPresent(sample -> lifetimes.recordLifetime(sample.brokerageId(), sample.lifetime()));
            } catch (RuntimeException e) {
                JsonLog.warn("lifetime_not_recorded", "eventId", record.getEventID(),
                        "error", e.getClass().getSimpleName());
            }
        }
    }

    /** The changes with their breaks marked by the incidents open at their brokerages, after counting them. */
    private List<Announcer.Change> withIncidents(List<Announcer.Change> changes) {
        List<LifecycleEvent> events = new ArrayList<>();
        for (Announcer.Change change : changes) {
            events.addAll(change.events());
        }
        if (events.stream().noneMatch(e -> e instanceof ConnectionEvent)) {
            return changes;
        }
        Map<String, Incident> open;
        try {
            open = incidents.observe(events, clock.instant());
        } catch (RuntimeException e) {
            JsonLog.error("incident_watch_failed", "error", e.getClass().getSimpleName(), "message", e.getMessage());
            return changes;
        }
        if (open.isEmpty()) {
            return changes;
        }
        List<Announcer.Change> marked = new ArrayList<>(changes.size());
        for (Announcer.Change change : changes) {
            marked.add(new Announcer.Change(change.key(), IncidentWatch.mark(change.events(), open),
                    change.readable()));
        }
        return marked;
    }
}
