package com.connectionkeeper.store;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BatchGetItemRequest;
import software.amazon.awssdk.services.dynamodb.model.BatchGetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.BatchWriteItemRequest;
import software.amazon.awssdk.services.dynamodb.model.BatchWriteItemResponse;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.DeleteItemRequest;
import software.amazon.awssdk.services.dynamodb.model.DeleteRequest;
import software.amazon.awssdk.services.dynamodb.model.GetItemRequest;
import software.amazon.awssdk.services.dynamodb.model.KeysAndAttributes;
import software.amazon.awssdk.services.dynamodb.model.PutRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;
import software.amazon.awssdk.services.dynamodb.model.ScanRequest;
import software.amazon.awssdk.services.dynamodb.model.Select;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemResponse;
import software.amazon.awssdk.services.dynamodb.model.WriteRequest;

/**
 * The one table every adapter reads and writes, and the requests they all make of it: consistent reads of an item,
 * of a user's partition and of an index (page by page), one conditional UpdateItem or DeleteItem at a time (no
 * transactions), a refused condition answered as false or empty rather than thrown.
 */
public final class DynamoTable {
    /**
     * Items per index page. Without a limit a page is up to 1 MB (thousands of users), so memory would grow with the
     * number of users; with it, a sweep holds at most a page per open index query whatever the table size.
     */
    static final int INDEX_PAGE_SIZE = 100;

    private final DynamoDbClient dynamo;
    private final String name;

    public DynamoTable(DynamoDbClient dynamo, String name) {
        this.dynamo = dynamo;
        this.name = name;
    }

    /** The table's name (sealed secrets are bound to it). */
    public String name() {
        return name;
    }

    /** The key of the item {@code sk} in the user's partition. */
    public static Map<String, AttributeValue> key(String userId, String sk) {
        return Map.of(Keys.PK, AttributeValue.fromS(Keys.userPartition(userId)), Keys.SK, AttributeValue.fromS(sk));
    }

    /** The sweep's own items live in one partition outside every user's. */
    static Map<String, AttributeValue> sweepKey(String sk) {
        return Map.of(Keys.PK, AttributeValue.fromS(Keys.SWEEP_PARTITION), Keys.SK, AttributeValue.fromS(sk));
    }

    /** An item of one of the partitions outside every user's ({@link Keys}). */
    static Map<String, AttributeValue> itemKey(String pk, String sk) {
        return Map.of(Keys.PK, AttributeValue.fromS(pk), Keys.SK, AttributeValue.fromS(sk));
    }

    /** The item {@code sk} of the user's partition; null if there is none. */
    public Map<String, AttributeValue> get(String userId, String sk) {
        return get(key(userId, sk));
    }

    /** The item (consistent read); null if there is none. */
    public Map<String, AttributeValue> get(Map<String, AttributeValue> key) {
        Map<String, AttributeValue> item = dynamo.getItem(GetItemRequest.builder()
                .tableName(name)
                .key(key)
                .consistentRead(true)
                .build()).item();
        return item == null || item.isEmpty() ? null : item;
    }

    /**
     * One read of an item nothing ever writes (partition {@code PRIMING}, outside every user's): SnapStart priming
     * sends a real request through the client — credentials, signing, marshalling, the connection — before the
     * snapshot, and reads no one's data. True when, as always, there is no such item.
     */
    public boolean primeRead() {
        return get(itemKey(Keys.PRIMING_PARTITION, Keys.PRIMING_PARTITION)) == null;
    }

    /** Applies an update that has no condition (or whose refusal is an error), and answers DynamoDB's response. */
    public UpdateItemResponse write(UpdateBuilder u, Map<String, AttributeValue> key, ReturnValue returnValue) {
        return dynamo.updateItem(u.build(name, key, returnValue));
    }

    /** Applies a conditional update; false when its condition does not hold. */
    public boolean update(UpdateBuilder u, Map<String, AttributeValue> key) {
        return update(u, key, ReturnValue.NONE).isPresent();
    }

    /** Applies a conditional update; DynamoDB's response, or empty when the condition does not hold. */
    public Optional<UpdateItemResponse> update(UpdateBuilder u, Map<String, AttributeValue> key,
                                               ReturnValue returnValue) {
        try {
            return Optional.of(write(u, key, returnValue));
        } catch (ConditionalCheckFailedException notNow) {
            return Optional.empty();
        }
    }

    /** Deletes the item if {@code condition} (with its names and values) holds; false when it does not. */
    public boolean deleteIf(Map<String, AttributeValue> key, String condition, Map<String, String> names,
                            Map<String, AttributeValue> values) {
        try {
            dynamo.deleteItem(DeleteItemRequest.builder()
                    .tableName(name)
                    .key(key)
                    .conditionExpression(condition)
                    .expressionAttributeNames(names)
                    .expressionAttributeValues(values)
                    .build());
            return true;
        } catch (ConditionalCheckFailedException notNow) {
            return false;
        }
    }

    /** The user's items whose sort key starts with {@code skPrefix}, in sort key order. */
    List<Map<String, AttributeValue>> queryPartition(String userId, String skPrefix) {
        QueryRequest query = QueryRequest.builder()
                .tableName(name)
                .consistentRead(true)
                .keyConditionExpression("#pk = :pk AND begins_with(#sk, :prefix)")
                .expressionAttributeNames(Map.of("#pk", Keys.PK, "#sk", Keys.SK))
                .expressionAttributeValues(Map.of(
                        ":pk", AttributeValue.fromS(Keys.userPartition(userId)),
                        ":prefix", AttributeValue.fromS(skPrefix)))
                .build();
        return dynamo.queryPaginator(query).items().stream().toList();
    }

    /** The items {@code query} (without table) finds in the table, consistently read, page by page as consumed. */
    Stream<Map<String, AttributeValue>> items(QueryRequest.Builder query) {
        return dynamo.queryPaginator(query.tableName(name).consistentRead(true).limit(INDEX_PAGE_SIZE * 10).build())
                .items().stream();
    }

    /**
     * Every item of the whole table that {@code scan} (without table) selects, page by page as consumed: for one-off
     * maintenance only (the secret migration), never on a request's path.
     */
    Stream<Map<String, AttributeValue>> scan(ScanRequest.Builder scan) {
        return dynamo.scanPaginator(scan.tableName(name).consistentRead(true).limit(INDEX_PAGE_SIZE).build())
                .items().stream();
    }

    /** How many items {@code query} (without table) finds in the table, consistently read. */
    int count(QueryRequest.Builder query) {
        int count = 0;
        for (QueryResponse page : dynamo.queryPaginator(query.tableName(name).consistentRead(true)
                .select(Select.COUNT).build())) {
            count += page.count();
        }
        return count;
    }

    /**
     * The items with these keys that exist (consistent BatchGetItem, 100 keys per call, sending again what DynamoDB
     * left unprocessed), in no particular order.
     */
    List<Map<String, AttributeValue>> getAll(List<Map<String, AttributeValue>> keys) {
        List<Map<String, AttributeValue>> found = new ArrayList<>();
        for (int from = 0; from < keys.size(); from += 100) {
            List<Map<String, AttributeValue>> pending = keys.subList(from, Math.min(keys.size(), from + 100));
            for (int attempt = 0; !pending.isEmpty(); attempt++) {
                if (attempt > 0) {
                    pause(attempt);
                }
                BatchGetItemResponse response = dynamo.batchGetItem(BatchGetItemRequest.builder()
                        .requestItems(Map.of(name, KeysAndAttributes.builder().keys(pending).consistentRead(true)
                                .build()))
                        .build());
                found.addAll(response.responses().getOrDefault(name, List.of()));
                KeysAndAttributes left = response.hasUnprocessedKeys() ? response.unprocessedKeys().get(name) : null;
                pending = left == null ? List.of() : left.keys();
                if (!pending.isEmpty() && attempt >= 8) {
                    throw new IllegalStateException(pending.size() + " reads still unprocessed after " + attempt
                            + " attempts");
                }
            }
        }
        return found;
    }

    /**
     * Puts and deletes items in batches of 25 (BatchWriteItem), sending again what DynamoDB left unprocessed (with
     * a short pause) until everything is written. A key must not be both put and deleted in one call.
     */
    void writeAll(List<Map<String, AttributeValue>> puts, List<Map<String, AttributeValue>> deleteKeys) {
        List<WriteRequest> requests = new ArrayList<>(puts.size() + deleteKeys.size());
        for (Map<String, AttributeValue> item : puts) {
            requests.add(WriteRequest.builder().putRequest(PutRequest.builder().item(item).build()).build());
        }
        for (Map<String, AttributeValue> key : deleteKeys) {
            requests.add(WriteRequest.builder().deleteRequest(DeleteRequest.builder().key(key).build()).build());
        }
        for (int from = 0; from < requests.size(); from += 25) {
            List<WriteRequest> pending = requests.subList(from, Math.min(requests.size(), from + 25));
            for (int attempt = 0; !pending.isEmpty(); attempt++) {
                if (attempt > 0) {
                    pause(attempt);
                }
                BatchWriteItemResponse response = dynamo.batchWriteItem(BatchWriteItemRequest.builder()
                        .requestItems(Map.of(name, pending)).build());
                pending = response.hasUnprocessedItems()
                        ? response.unprocessedItems().getOrDefault(name, List.of()) : List.of();
                if (!pending.isEmpty() && attempt >= 8) {
                    throw new IllegalStateException(pending.size() + " writes still unprocessed after " + attempt
                            + " attempts");
                }
            }
        }
    }

    private static void pause(int attempt) {
        try {
            Thread.sleep(Math.min(1_000L, 25L << attempt));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while writing a batch", e);
        }
    }

    /** The items of one index partition, in the index's order, read page by page as consumed. */
    Stream<Map<String, AttributeValue>> indexItems(String index, String hashAttribute, String hashValue) {
        return indexItems(QueryRequest.builder()
                .keyConditionExpression("#h = :h")
                .expressionAttributeNames(Map.of("#h", hashAttribute))
                .expressionAttributeValues(Map.of(":h", AttributeValue.fromS(hashValue))), index);
    }

    /** Like {@link #indexItems(String, String, String)}, only the items whose sort key is below {@code bound}. */
    Stream<Map<String, AttributeValue>> indexItems(String index, String hashAttribute, String hashValue,
                                                   String rangeAttribute, String bound) {
        return indexItems(QueryRequest.builder()
                .keyConditionExpression("#h = :h AND #r < :bound")
                .expressionAttributeNames(Map.of("#h", hashAttribute, "#r", rangeAttribute))
                .expressionAttributeValues(Map.of(":h", AttributeValue.fromS(hashValue),
                        ":bound", AttributeValue.fromS(bound))), index);
    }

    /** One page of {@code query} (without table and index) on the index: its items and where the next starts. */
    QueryResponse indexPage(QueryRequest.Builder query, String index, int limit) {
        return dynamo.query(query.tableName(name).indexName(index).limit(limit).build());
    }

    /** The items {@code query} (without table, index and page size) finds in the index, page by page. */
    Stream<Map<String, AttributeValue>> indexItems(QueryRequest.Builder query, String index) {
        return indexItems(query, index, INDEX_PAGE_SIZE);
    }

    /** Like {@link #indexItems(QueryRequest.Builder, String)}, {@code pageSize} items per page. */
    public Stream<Map<String, AttributeValue>> indexItems(QueryRequest.Builder query, String index, int pageSize) {
        return dynamo.queryPaginator(query.tableName(name).indexName(index).limit(pageSize).build())
                .items().stream();
    }

    /** How many items of the index have {@code hashAttribute} = {@code hashValue}. */
    public int indexCount(String index, String hashAttribute, String hashValue) {
        int count = 0;
        for (QueryResponse page : dynamo.queryPaginator(QueryRequest.builder().tableName(name).indexName(index)
                .keyConditionExpression("#h = :h")
                .expressionAttributeNames(Map.of("#h", hashAttribute))
                .expressionAttributeValues(Map.of(":h", AttributeValue.fromS(hashValue)))
                .select(Select.COUNT).build())) {
            count += page.count();
        }
        return count;
    }
}
