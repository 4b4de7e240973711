package com.connectionkeeper.store;

import com.connectionkeeper.core.lifecycle.PublishedMarks;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * The DynamoDB adapter of {@link PublishedMarks}: one small item per remembered event, {@code EVENT#<id>} /
 * {@code PUBLISHED}, expiring (TTL) after {@link #RETENTION} — longer than Lambda retries a stream record (a day at
 * most, {@code MaximumRecordAgeInSeconds}). Read with consistent BatchGetItem, written with BatchWriteItem.
 */
public final class DynamoPublishedMarks implements PublishedMarks {
    /** How long a mark is kept: a stream record is retried for a day at most. */
    public static final Duration RETENTION = Duration.ofDays(2);
    private final DynamoTable table;
    private final Clock clock;

    public DynamoPublishedMarks(DynamoTable table, Clock clock) {
        this.table = table;
        this.clock = clock;
    }

    @Override
    public Set<String> published(Collection<String> ids) {
        Set<String> unique = new LinkedHashSet<>(ids);
        List<Map<String, AttributeValue>> keys = new ArrayList<>(unique.size());
        for (String id : unique) {
            keys.add(key(id));
        }
        Set<String> found = new HashSet<>();
        for (Map<String, AttributeValue> item : table.getAll(keys)) {
            found.add(Items.str(item, Attributes.EVENT_ID));
        }
        return found;
    }

    @Override
    public void remember(Collection<String> ids) {
        String expires = Long.toString(clock.instant().plus(RETENTION).getEpochSecond());
        List<Map<String, AttributeValue>> puts = new ArrayList<>();
        for (String id : new LinkedHashSet<>(ids)) {
            Map<String, AttributeValue> item = new HashMap<>(key(id));
            item.put(Attributes.ENTITY, AttributeValue.fromS(Attributes.PUBLISHED_ENTITY));
            item.put(Attributes.EVENT_ID, AttributeValue.fromS(id));
            item.put(Attributes.EXPIRES_AT, AttributeValue.fromN(expires));
            puts.add(item);
        }
        table.writeAll(puts, List.of());
    }

    private static Map<String, AttributeValue> key(String eventId) {
        return DynamoTable.itemKey(Keys.publishedPartition(eventId), Keys.PUBLISHED_SK);
    }
}
