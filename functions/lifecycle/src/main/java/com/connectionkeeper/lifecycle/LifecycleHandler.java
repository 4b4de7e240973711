package com.connectionkeeper.lifecycle;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.DynamodbEvent;
import com.amazonaws.services.lambda.runtime.events.DynamodbEvent.DynamodbStreamRecord;
import com.amazonaws.services.lambda.runtime.events.StreamsEventResponse;
import com.connectionkeeper.core.config.EnvironmentConfig;
import com.connectionkeeper.core.lifecycle.Announcer;
import com.connectionkeeper.core.log.JsonLog;
import com.connectionkeeper.eventbus.EventBridgePublisher;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Lambda on the table's DynamoDB stream: one EventBridge event per connection status change and per user deletion
 * ({@link StreamChanges}), published in record order ({@link Announcer}). A record whose event could not be
 * published, or whose image could not be read, is reported as a batch item failure, so Lambda retries from it
 * (bisecting, a bounded number of times, then the on-failure destination); event ids are the changes', so whatever a
 * retry publishes again carries the id it had the first time.
 */
public final class LifecycleHandler implements RequestHandler<DynamodbEvent, StreamsEventResponse> {
    private final Announcer announcer;

    /** Used by Lambda: the EventBridge publisher from the environment, built once. */
    public LifecycleHandler() {
        this(new Announcer(EventBridgePublisher.fromConfig(EnvironmentConfig.fromSystem())));
    }

    public LifecycleHandler(Announcer announcer) {
        this.announcer = announcer;
    }

    @Override
    public StreamsEventResponse handleRequest(DynamodbEvent event, Context context) {
        List<DynamodbStreamRecord> records = event.getRecords() == null ? List.of() : event.getRecords();
        List<Announcer.Change> changes = new ArrayList<>(records.size());
        Set<String> failed = new LinkedHashSet<>();
        for (DynamodbStreamRecord record : records) {
            String sequence = record.getDynamodb() == null ? record.getEventID()
                    : record.getDynamodb().getSequenceNumber();
            try {
                changes.add(new Announcer.Change(sequence, StreamChanges.events(record)));
            } catch (RuntimeException e) {
                JsonLog.error("stream_record_unreadable", "sequenceNumber", sequence, "eventId", record.getEventID(),
                        "error", e.getClass().getSimpleName()); // no message: images hold user secrets
                failed.add(sequence);
            }
        }
        Announcer.Outcome outcome = announcer.announce(changes);
        failed.addAll(outcome.failedKeys());
        JsonLog.info("stream_batch_handled", "records", records.size(), "published", outcome.published(),
                "failedRecords", failed.size(), "requestId", context == null ? null : context.getAwsRequestId());
        List<StreamsEventResponse.BatchItemFailure> failures = new ArrayList<>(failed.size());
        for (String sequence : failed) {
            failures.add(StreamsEventResponse.BatchItemFailure.builder().withItemIdentifier(sequence).build());
        }
        return StreamsEventResponse.builder().withBatchItemFailures(failures).build();
    }
}
