package com.connectionkeeper.lifecycle;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.amazonaws.services.lambda.runtime.events.DynamodbEvent;
import com.amazonaws.services.lambda.runtime.events.StreamsEventResponse;
import com.amazonaws.services.lambda.runtime.events.models.dynamodb.AttributeValue;
import com.connectionkeeper.core.incidents.IncidentRules;
import com.connectionkeeper.core.incidents.IncidentWatch;
import com.connectionkeeper.core.lifecycle.Announcer;
import com.connectionkeeper.core.log.Emf;
import com.connectionkeeper.core.sweep.CheckSchedule;
import com.connectionkeeper.core.sweep.LifetimeHistogram;
import com.connectionkeeper.core.sweep.LifetimeStore;
import com.connectionkeeper.eventbus.EventBridgePublisher;
import com.connectionkeeper.store.DynamoIncidentStore;
import com.connectionkeeper.store.DynamoPublishedMarks;
import com.connectionkeeper.store.DynamoTable;
import com.connectionkeeper.testkit.Dynalite;
import com.connectionkeeper.testkit.Integration;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Review of issue 15: Lambda's retry after a partial batch failure delivers the batch again from the first failed
 * record on, so a break after that record which succeeded in the first delivery is delivered twice. Its token
 * lifetime must still be counted once.
 */
@Integration
class LifetimeRedeliveryReviewTest {
    private LoopbackLifecycle local;
    private LifecycleHandler handler;
    private final List<Duration> counted = new ArrayList<>();

    @BeforeEach
    void start() throws Exception {
        local = new LoopbackLifecycle(2, Emf.DEFAULT_NAMESPACE);
        DynamoTable dynamo = new DynamoTable(Dynalite.client(), local.table);
        IncidentRules rules = IncidentRules.defaults();
        LifetimeStore lifetimes = new LifetimeStore() {
            @Override
            public void recordLifetime(String brokerageId, Duration lifetime) {
                counted.add(lifetime);
            }

            @Override
            public Map<String, LifetimeHistogram> lifetimes() {
                return Map.of();
            }

            @Override
            public List<CheckSchedule.Connection> tokens(String userId) {
                return List.of();
            }
        };
        handler = new LifecycleHandler(new Announcer(
                new EventBridgePublisher(local.client, "ck-bus", 2, Duration.ZERO, d -> { }),
                new DynamoPublishedMarks(dynamo, Clock.systemUTC())),
                new IncidentWatch(new DynamoIncidentStore(dynamo, rules.breakRetention()), rules), Clock.systemUTC(),
                Emf.DEFAULT_NAMESPACE, lifetimes);
    }

    @AfterEach
    void stop() {
        local.close();
    }

    @Test
    void aBreakAfterAFailedRecordIsCountedOnceAcrossLambdasRetry() {
        List<DynamodbEvent.DynamodbStreamRecord> records = new ArrayList<>(
                LifecycleHandlerTest.fixture("stream-user-deleted.json").getRecords());
        DynamodbEvent.DynamodbStreamRecord broken =
                LifecycleHandlerTest.fixture("stream-connection-broken.json").getRecords().get(0);
        broken.getDynamodb().getOldImage().put("addedAt", new AttributeValue().withS("2026-02-01T10:00:00.000000000Z"));
        records.add(broken);
        DynamodbEvent batch = new DynamodbEvent();
        batch.setRecords(records);

        local.bus.failEntries(e -> e.path("DetailType").asText().equals("User Deleted"), 100, "InternalFailure");
        StreamsEventResponse first = handler.handleRequest(batch, null);
        List<String> failed = first.getBatchItemFailures().stream()
                .map(StreamsEventResponse.BatchItemFailure::getItemIdentifier).toList();
        assertEquals(1, failed.size(), failed.toString());

        // Lambda's retry: from the lowest failed sequence number on, the break included
        local.bus.failEntries(e -> false, 0, "InternalFailure");
        int from = records.stream().map(r -> r.getDynamodb().getSequenceNumber()).toList().indexOf(failed.get(0));
        DynamodbEvent retry = new DynamodbEvent();
        retry.setRecords(new ArrayList<>(records.subList(from, records.size())));
        handler.handleRequest(retry, null);

        assertEquals(List.of(Duration.ofDays(28)), counted, "one break, one lifetime (counted again on redelivery)");
    }
}
