package com.connectionkeeper.sweep;

import com.connectionkeeper.core.model.ConnectionStatus;
import com.connectionkeeper.core.sweep.ConnectionCensus;
import com.connectionkeeper.store.Attributes;
import com.connectionkeeper.store.DynamoSweepQueue;
import com.connectionkeeper.store.DynamoTable;
import com.connectionkeeper.store.Items;
import java.util.HashMap;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;

/**
 * {@link ConnectionCensus} over the table's indexes: users from {@code BySweepOrder} (a count), connections from
 * {@code ByBrokerage} (every connection item, by {@code censusBrokerage}: its brokerage id, or {@code ?} while
 * none is known; its status and slug projected), read page by page
 * and tallied as they come — memory does not grow with the number of connections. Eventually consistent (indexes).
 * In the sweep's module, not the store's: the sweep alone takes the census, and the webhook's zip carries the store.
 */
public final class DynamoConnectionCensus implements ConnectionCensus {
    /** Index of connection items by brokerage ({@code entity}, {@code censusBrokerage}). */
    static final String BY_BROKERAGE_INDEX = "ByBrokerage";
    /** Items per census page: the index's items are small (keys, status, slug). */
    private static final int PAGE = 1000;

    private final DynamoTable table;

    public DynamoConnectionCensus(DynamoTable table) {
        this.table = table;
    }

    @Override
    public int users() {
        return table.indexCount(DynamoSweepQueue.BY_SWEEP_ORDER_INDEX, Attributes.ENTITY, Attributes.USER_ENTITY);
    }

    @Override
    public Map<String, Count> connectionsByBrokerage() {
        Map<String, int[]> tally = new HashMap<>();
        table.indexItems(QueryRequest.builder()
                        .keyConditionExpression("#e = :e")
                        .projectionExpression("#b, #slug, #status")
                        .expressionAttributeNames(Map.of("#e", Attributes.ENTITY, "#b", Attributes.CENSUS_BROKERAGE,
                                "#slug", Attributes.BROKERAGE_SLUG, "#status", Attributes.STATUS))
                        .expressionAttributeValues(Map.of(":e",
                                AttributeValue.fromS(Attributes.CONNECTION_ENTITY))),
                        BY_BROKERAGE_INDEX, PAGE)
                .forEach(item -> {
                    String status = Items.str(item, Attributes.STATUS);
                    if (ConnectionStatus.DELETED.name().equals(status)) {
                        return;
                    }
                    String slug = Items.str(item, Attributes.BROKERAGE_SLUG);
                    int[] counts = tally.computeIfAbsent(slug == null || slug.isBlank()
                            ? Items.str(item, Attributes.CENSUS_BROKERAGE) : slug, b -> new int[2]);
                    counts[0]++;
                    if (ConnectionStatus.BROKEN.name().equals(status)) {
                        counts[1]++;
                    }
                });
        Map<String, Count> byBrokerage = new HashMap<>();
        tally.forEach((brokerage, c) -> byBrokerage.put(brokerage, new Count(c[0], c[1])));
        return byBrokerage;
    }
}
