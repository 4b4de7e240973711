package com.connectionkeeper.testkit;

import com.amazonaws.services.lambda.runtime.events.DynamodbEvent;
import com.amazonaws.services.lambda.runtime.events.DynamodbEvent.DynamodbStreamRecord;
import com.amazonaws.services.lambda.runtime.events.models.dynamodb.OperationType;
import com.amazonaws.services.lambda.runtime.events.models.dynamodb.StreamRecord;
import com.amazonaws.services.lambda.runtime.events.models.dynamodb.StreamViewType;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbServiceClientConfiguration;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BatchGetItemRequest;
import software.amazon.awssdk.services.dynamodb.model.BatchGetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.BatchWriteItemRequest;
import software.amazon.awssdk.services.dynamodb.model.BatchWriteItemResponse;
import software.amazon.awssdk.services.dynamodb.model.CreateTableRequest;
import software.amazon.awssdk.services.dynamodb.model.CreateTableResponse;
import software.amazon.awssdk.services.dynamodb.model.DeleteItemRequest;
import software.amazon.awssdk.services.dynamodb.model.DeleteItemResponse;
import software.amazon.awssdk.services.dynamodb.model.DeleteTableRequest;
import software.amazon.awssdk.services.dynamodb.model.DeleteTableResponse;
import software.amazon.awssdk.services.dynamodb.model.DescribeTableRequest;
import software.amazon.awssdk.services.dynamodb.model.DescribeTableResponse;
import software.amazon.awssdk.services.dynamodb.model.DescribeTimeToLiveRequest;
import software.amazon.awssdk.services.dynamodb.model.DescribeTimeToLiveResponse;
import software.amazon.awssdk.services.dynamodb.model.GetItemRequest;
import software.amazon.awssdk.services.dynamodb.model.GetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.ListTablesRequest;
import software.amazon.awssdk.services.dynamodb.model.ListTablesResponse;
import software.amazon.awssdk.services.dynamodb.model.PutItemRequest;
import software.amazon.awssdk.services.dynamodb.model.PutItemResponse;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import software.amazon.awssdk.services.dynamodb.model.ScanRequest;
import software.amazon.awssdk.services.dynamodb.model.ScanResponse;
import software.amazon.awssdk.services.dynamodb.model.TransactGetItemsRequest;
import software.amazon.awssdk.services.dynamodb.model.TransactGetItemsResponse;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItemsRequest;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItemsResponse;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemResponse;
import software.amazon.awssdk.services.dynamodb.model.UpdateTableRequest;
import software.amazon.awssdk.services.dynamodb.model.UpdateTableResponse;
import software.amazon.awssdk.services.dynamodb.model.UpdateTimeToLiveRequest;
import software.amazon.awssdk.services.dynamodb.model.UpdateTimeToLiveResponse;
import software.amazon.awssdk.services.dynamodb.model.WriteRequest;

/**
 * A DynamoDB Streams stand-in for tests, since dynalite has none: a {@link DynamoDbClient} over a real one that, for
 * every write (PutItem, UpdateItem, DeleteItem, BatchWriteItem, TransactWriteItems), reads each written item before
 * and after (consistent GetItem on its key, writes serialized so the two images are exact) and, when the item
 * changed, records what a NEW_AND_OLD_IMAGES stream would: INSERT, MODIFY or REMOVE with keys, old and new image, an
 * increasing sequence number and the creation time. A write that changes nothing (also a refused condition) records
 * nothing, as in DynamoDB. The delegate's responses and exceptions are returned as they are; reads and table
 * operations pass through unchanged. {@link #drain()} hands the records since the last drain to a stream handler in
 * Lambda's event model. PartiQL statements are not supported (they would bypass the capture).
 */
public final class StreamCapture implements DynamoDbClient {
    /** The region and account of the fake stream ARNs (what the records carry; no handler of ours reads them). */
    private static final String REGION = "us-east-1";
    private static final String ACCOUNT = "000000000000";

    private final DynamoDbClient delegate;
    private final Clock clock;
    private final Object writeLock = new Object();
    private final Map<String, List<String>> keyNames = new ConcurrentHashMap<>();
    private final List<DynamodbStreamRecord> pending = new ArrayList<>();
    private long sequence;

    /** Captures the writes made through it to {@code delegate}'s tables, timed by the system clock. */
    public StreamCapture(DynamoDbClient delegate) {
        this(delegate, Clock.systemUTC());
    }

    /** Captures the writes made through it to {@code delegate}'s tables; records are timed by {@code clock}. */
    public StreamCapture(DynamoDbClient delegate, Clock clock) {
        this.delegate = Objects.requireNonNull(delegate, "delegate");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** The records captured since the last drain, oldest first; they are handed out once. */
    public List<DynamodbStreamRecord> drain() {
        synchronized (writeLock) {
            List<DynamodbStreamRecord> out = List.copyOf(pending);
            pending.clear();
            return out;
        }
    }

    /** {@link #drain()} as the event Lambda hands a stream function. */
    public DynamodbEvent drainAsEvent() {
        DynamodbEvent event = new DynamodbEvent();
        event.setRecords(new ArrayList<>(drain()));
        return event;
    }

    // ---- writes: captured ----

    @Override
    public PutItemResponse putItem(PutItemRequest request) {
        String table = request.tableName();
        return captured(List.of(new Target(table, keyOf(table, request.item()))), () -> delegate.putItem(request));
    }

    @Override
    public UpdateItemResponse updateItem(UpdateItemRequest request) {
        return captured(List.of(new Target(request.tableName(), request.key())), () -> delegate.updateItem(request));
    }

    @Override
    public DeleteItemResponse deleteItem(DeleteItemRequest request) {
        return captured(List.of(new Target(request.tableName(), request.key())), () -> delegate.deleteItem(request));
    }

    @Override
    public BatchWriteItemResponse batchWriteItem(BatchWriteItemRequest request) {
        List<Target> targets = new ArrayList<>();
        request.requestItems().forEach((table, writes) -> {
            for (WriteRequest write : writes) {
                targets.add(new Target(table, write.putRequest() != null ? keyOf(table, write.putRequest().item())
                        : write.deleteRequest().key()));
            }
        });
        return captured(targets, () -> delegate.batchWriteItem(request));
    }

    @Override
    public TransactWriteItemsResponse transactWriteItems(TransactWriteItemsRequest request) {
        List<Target> targets = new ArrayList<>();
        for (TransactWriteItem item : request.transactItems()) {
            if (item.put() != null) {
                targets.add(new Target(item.put().tableName(), keyOf(item.put().tableName(), item.put().item())));
            } else if (item.update() != null) {
                targets.add(new Target(item.update().tableName(), item.update().key()));
            } else if (item.delete() != null) {
                targets.add(new Target(item.delete().tableName(), item.delete().key()));
            } // a ConditionCheck writes nothing
        }
        return captured(targets, () -> delegate.transactWriteItems(request));
    }

    // ---- everything else: passed through ----

    @Override
    public GetItemResponse getItem(GetItemRequest request) {
        return delegate.getItem(request);
    }

    @Override
    public QueryResponse query(QueryRequest request) {
        return delegate.query(request);
    }

    @Override
    public ScanResponse scan(ScanRequest request) {
        return delegate.scan(request);
    }

    @Override
    public BatchGetItemResponse batchGetItem(BatchGetItemRequest request) {
        return delegate.batchGetItem(request);
    }

    @Override
    public TransactGetItemsResponse transactGetItems(TransactGetItemsRequest request) {
        return delegate.transactGetItems(request);
    }

    @Override
    public DescribeTableResponse describeTable(DescribeTableRequest request) {
        return delegate.describeTable(request);
    }

    @Override
    public CreateTableResponse createTable(CreateTableRequest request) {
        return delegate.createTable(request);
    }

    @Override
    public UpdateTableResponse updateTable(UpdateTableRequest request) {
        return delegate.updateTable(request);
    }

    @Override
    public DeleteTableResponse deleteTable(DeleteTableRequest request) {
        keyNames.remove(request.tableName());
        return delegate.deleteTable(request);
    }

    @Override
    public ListTablesResponse listTables() {
        return delegate.listTables();
    }

    @Override
    public ListTablesResponse listTables(ListTablesRequest request) {
        return delegate.listTables(request);
    }

    @Override
    public DescribeTimeToLiveResponse describeTimeToLive(DescribeTimeToLiveRequest request) {
        return delegate.describeTimeToLive(request);
    }

    @Override
    public UpdateTimeToLiveResponse updateTimeToLive(UpdateTimeToLiveRequest request) {
        return delegate.updateTimeToLive(request);
    }

    @Override
    public DynamoDbServiceClientConfiguration serviceClientConfiguration() {
        return delegate.serviceClientConfiguration();
    }

    @Override
    public String serviceName() {
        return delegate.serviceName();
    }

    /** Closes the delegate. */
    @Override
    public void close() {
        delegate.close();
    }

    // ---- the capture ----

    /** An item a write may change: its table and key. */
    private record Target(String table, Map<String, AttributeValue> key) {
    }

    /**
     * Runs {@code write} between reads of every target's image and records the targets that changed, in order. When
     * the write throws, what it changed all the same (nothing, for a refused condition) is recorded and the
     * exception passed on.
     */
    private <R> R captured(List<Target> targets, Supplier<R> write) {
        synchronized (writeLock) {
            List<Map<String, AttributeValue>> before = new ArrayList<>(targets.size());
            for (Target target : targets) {
                before.add(image(target));
            }
            R response;
            try {
                response = write.get();
            } catch (RuntimeException e) {
                try {
                    recordChanges(targets, before);
                } catch (RuntimeException unreadable) {
                    e.addSuppressed(unreadable);
                }
                throw e;
            }
            recordChanges(targets, before);
            return response;
        }
    }

    private void recordChanges(List<Target> targets, List<Map<String, AttributeValue>> before) {
        Date now = Date.from(clock.instant());
        for (int i = 0; i < targets.size(); i++) {
            Target target = targets.get(i);
            Map<String, AttributeValue> old = before.get(i);
            Map<String, AttributeValue> after = image(target);
            if (Objects.equals(old, after)) {
                continue; // no change, no record
            }
            before.set(i, after); // the same item twice in one batch: the second compares with the first's result
            pending.add(streamRecord(target, old, after, now));
        }
    }

    private DynamodbStreamRecord streamRecord(Target target, Map<String, AttributeValue> old,
                                              Map<String, AttributeValue> now, Date time) {
        sequence++;
        String number = String.format("%021d", sequence);
        OperationType operation = old == null ? OperationType.INSERT
                : now == null ? OperationType.REMOVE : OperationType.MODIFY;
        StreamRecord change = new StreamRecord()
                .withApproximateCreationDateTime(time)
                .withKeys(lambdaImage(target.key()))
                .withSequenceNumber(number)
                .withSizeBytes((long) (size(old) + size(now)))
                .withStreamViewType(StreamViewType.NEW_AND_OLD_IMAGES);
        if (old != null) {
            change.setOldImage(lambdaImage(old));
        }
        if (now != null) {
            change.setNewImage(lambdaImage(now));
        }
        DynamodbStreamRecord record = new DynamodbStreamRecord();
        record.setEventID("capture-" + number);
        record.setEventName(operation);
        record.setEventVersion("1.1");
        record.setEventSource("aws:dynamodb");
        record.setAwsRegion(REGION);
        record.setEventSourceARN("arn:aws:dynamodb:" + REGION + ":" + ACCOUNT + ":table/" + target.table()
                + "/stream/capture");
        record.setDynamodb(change);
        return record;
    }

    /** The item now (consistent read); null when there is none. */
    private Map<String, AttributeValue> image(Target target) {
        Map<String, AttributeValue> item = delegate.getItem(GetItemRequest.builder().tableName(target.table())
                .key(target.key()).consistentRead(true).build()).item();
        return item == null || item.isEmpty() ? null : item;
    }

    /** The key of {@code item} in {@code table}: its attributes named in the table's key schema. */
    private Map<String, AttributeValue> keyOf(String table, Map<String, AttributeValue> item) {
        List<String> names = keyNames.computeIfAbsent(table, t -> delegate.describeTable(r -> r.tableName(t)).table()
                .keySchema().stream().map(KeySchemaElement::attributeName).toList());
        Map<String, AttributeValue> key = new LinkedHashMap<>();
        for (String name : names) {
            if (item.containsKey(name)) {
                key.put(name, item.get(name));
            }
        }
        return key;
    }

    /** A rough item size (names and values as text), for the record's SizeBytes. */
    private static int size(Map<String, AttributeValue> item) {
        return item == null ? 0 : item.toString().length();
    }

    private static Map<String, com.amazonaws.services.lambda.runtime.events.models.dynamodb.AttributeValue>
            lambdaImage(Map<String, AttributeValue> image) {
        Map<String, com.amazonaws.services.lambda.runtime.events.models.dynamodb.AttributeValue> out =
                new LinkedHashMap<>();
        image.forEach((name, value) -> out.put(name, lambdaValue(value)));
        return out;
    }

    /** An SDK attribute value in Lambda's event model (a fresh copy: handlers may change what they are given). */
    static com.amazonaws.services.lambda.runtime.events.models.dynamodb.AttributeValue lambdaValue(AttributeValue v) {
        com.amazonaws.services.lambda.runtime.events.models.dynamodb.AttributeValue out =
                new com.amazonaws.services.lambda.runtime.events.models.dynamodb.AttributeValue();
        switch (v.type()) {
            case S -> out.setS(v.s());
            case N -> out.setN(v.n());
            case B -> out.setB(v.b().asByteBuffer());
            case BOOL -> out.setBOOL(v.bool());
            case NUL -> out.setNULL(true);
            case SS -> out.setSS(new ArrayList<>(v.ss()));
            case NS -> out.setNS(new ArrayList<>(v.ns()));
            case BS -> out.setBS(v.bs().stream().map(SdkBytes::asByteBuffer).toList());
            case M -> out.setM(lambdaImage(v.m()));
            case L -> out.setL(v.l().stream().map(StreamCapture::lambdaValue).toList());
            default -> throw new IllegalArgumentException("attribute value of unknown type: " + v);
        }
        return out;
    }
}
