package com.connectionkeeper.store;

import static com.connectionkeeper.store.Attributes.ADDED_AT;
import static com.connectionkeeper.store.Attributes.BROKEN_SINCE;
import static com.connectionkeeper.store.Attributes.BROKERAGE_ID;
import static com.connectionkeeper.store.Attributes.BUCKET_PREFIX;
import static com.connectionkeeper.store.Attributes.ENTITY;
import static com.connectionkeeper.store.Attributes.FIXED_AT;
import static com.connectionkeeper.store.Attributes.LIFETIMES_ENTITY;
import static com.connectionkeeper.store.Attributes.STATUS;
import static com.connectionkeeper.store.Items.str;
import static com.connectionkeeper.store.Items.time;

import com.connectionkeeper.core.model.ConnectionStatus;
import com.connectionkeeper.core.sweep.CheckSchedule;
import com.connectionkeeper.core.sweep.LifetimeHistogram;
import com.connectionkeeper.core.sweep.LifetimeStore;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;

/**
 * The DynamoDB adapter of {@link LifetimeStore}: one item per brokerage in the {@code LIFETIMES} partition,
 * {@code sk = <brokerage id>}, holding its {@link LifetimeHistogram} as one number per bucket ({@code b<bucket>}),
 * each lifetime counted with one {@code ADD}; the brokerage id itself is kept in {@code brokerageId} (the sort key may
 * be shortened). A connection's token was issued at its {@code fixedAt}, or else its {@code addedAt}.
 */
public final class DynamoLifetimes implements LifetimeStore {
    private final DynamoTable table;

    public DynamoLifetimes(DynamoTable table) {
        this.table = table;
    }

    @Override
    public void recordLifetime(String brokerageId, Duration lifetime) {
        int bucket = LifetimeHistogram.bucketOf(lifetime);
        table.write(new UpdateBuilder().set(ENTITY, LIFETIMES_ENTITY).set(BROKERAGE_ID, brokerageId)
                        .add(BUCKET_PREFIX + bucket, AttributeValue.fromN("1")),
                DynamoTable.itemKey(Keys.LIFETIMES_PARTITION, Keys.lifetimes(brokerageId)), ReturnValue.NONE);
    }

    @Override
    public Map<String, LifetimeHistogram> lifetimes() {
        Map<String, LifetimeHistogram> all = new LinkedHashMap<>();
        table.items(QueryRequest.builder().keyConditionExpression("#p = :p")
                .expressionAttributeNames(Map.of("#p", Keys.PK))
                .expressionAttributeValues(Map.of(":p", AttributeValue.fromS(Keys.LIFETIMES_PARTITION))))
                .forEach(item -> {
                    Map<Integer, Long> counts = new HashMap<>();
                    item.forEach((name, value) -> bucket(name).filter(b -> b < LifetimeHistogram.BUCKETS)
                            .ifPresent(b -> counts.put(b, Long.parseLong(value.n()))));
                    String brokerage = str(item, BROKERAGE_ID);
                    if (brokerage != null) {
                        all.merge(brokerage, LifetimeHistogram.of(counts), LifetimeHistogram::merge);
                    }
                });
        return all;
    }

    @Override
    public List<CheckSchedule.Connection> tokens(String userId) {
        return table.queryPartition(userId, Keys.CONNECTION_PREFIX).stream()
                .filter(item -> !ConnectionStatus.DELETED.name().equals(str(item, STATUS)))
                .map(item -> new CheckSchedule.Connection(str(item, BROKERAGE_ID), issuedAt(item),
                        ConnectionStatus.BROKEN.name().equals(str(item, STATUS))))
                .toList();
    }

    /**
     * The lifetime a stream record shows ended: a connection that was not broken before the write and is after it,
     * with its brokerage, its break time and the issue time of its token known; empty otherwise.
     */
    public static Optional<Sample> brokeIn(Map<String, AttributeValue> before, Map<String, AttributeValue> after) {
        if (after == null || !ConnectionStatus.BROKEN.name().equals(str(after, STATUS))
                || before != null && ConnectionStatus.BROKEN.name().equals(str(before, STATUS))) {
            return Optional.empty();
        }
        String brokerage = str(after, BROKERAGE_ID);
        Instant broke = time(after, BROKEN_SINCE);
        Instant issued = before == null ? null : issuedAt(before);
        if (brokerage == null || brokerage.isBlank() || broke == null || issued == null || broke.isBefore(issued)) {
            return Optional.empty();
        }
        return Optional.of(new Sample(brokerage, Duration.between(issued, broke)));
    }

    /** A lifetime seen to end: the brokerage's id and how long the token lived. */
    public record Sample(String brokerageId, Duration lifetime) {
    }

    private static Instant issuedAt(Map<String, AttributeValue> item) {
        Instant fixed = time(item, FIXED_AT);
        return fixed != null ? fixed : time(item, ADDED_AT);
    }

    private static Optional<Integer> bucket(String attribute) {
        if (!attribute.startsWith(BUCKET_PREFIX) || attribute.length() == BUCKET_PREFIX.length()) {
            return Optional.empty();
        }
        try {
            return Optional.of(Integer.parseInt(attribute.substring(BUCKET_PREFIX.length())));
        } catch (NumberFormatException e) {
            return Optional.empty(); // brokerageId and the like
        }
    }
}
