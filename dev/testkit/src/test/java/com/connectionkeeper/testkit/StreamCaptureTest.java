package com.connectionkeeper.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.amazonaws.services.lambda.runtime.events.DynamodbEvent;
import com.amazonaws.services.lambda.runtime.events.DynamodbEvent.DynamodbStreamRecord;
import com.amazonaws.services.lambda.runtime.events.models.dynamodb.StreamRecord;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BatchWriteItemRequest;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.DeleteRequest;
import software.amazon.awssdk.services.dynamodb.model.PutItemRequest;
import software.amazon.awssdk.services.dynamodb.model.PutRequest;
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemResponse;
import software.amazon.awssdk.services.dynamodb.model.WriteRequest;

/** The stream stand-in on dynalite: one record per write that changed an item, with exact images, in order. */
@ExtendWith(Dynalite.class)
@Integration
class StreamCaptureTest {
    private static final Instant T = Instant.parse("2026-03-01T12:00:00Z");

    private StreamCapture capture;
    private String table;

    @BeforeEach
    void start() {
        table = Dynalite.createTable();
        capture = new StreamCapture(Dynalite.client(), Clock.fixed(T, ZoneOffset.UTC));
    }

    private static Map<String, AttributeValue> key(String pk, String sk) {
        return Map.of("pk", AttributeValue.fromS(pk), "sk", AttributeValue.fromS(sk));
    }

    private UpdateItemResponse setStatus(String pk, String sk, String status, String condition) {
        UpdateItemRequest.Builder update = UpdateItemRequest.builder().tableName(table).key(key(pk, sk))
                .updateExpression("SET #s = :s").expressionAttributeNames(Map.of("#s", "status"))
                .expressionAttributeValues(Map.of(":s", AttributeValue.fromS(status)))
                .returnValues(ReturnValue.ALL_OLD);
        if (condition != null) {
            update.conditionExpression(condition);
        }
        return capture.updateItem(update.build());
    }

    private static String s(Map<String, com.amazonaws.services.lambda.runtime.events.models.dynamodb.AttributeValue>
            image, String name) {
        return image.get(name).getS();
    }

    @Test
    void anInsertIsAnInsertRecordWithTheNewImageOnly() {
        capture.putItem(PutItemRequest.builder().tableName(table).item(Map.of("pk", AttributeValue.fromS("USER#a"),
                "sk", AttributeValue.fromS("CONN#1"), "status", AttributeValue.fromS("ACTIVE"),
                "n", AttributeValue.fromN("7"), "flag", AttributeValue.fromBool(true))).build());
        List<DynamodbStreamRecord> records = capture.drain();
        assertEquals(1, records.size());
        DynamodbStreamRecord r = records.get(0);
        assertEquals("INSERT", r.getEventName());
        assertEquals("aws:dynamodb", r.getEventSource());
        assertTrue(r.getEventSourceARN().contains(":table/" + table + "/stream/"), r.getEventSourceARN());
        StreamRecord change = r.getDynamodb();
        assertEquals("NEW_AND_OLD_IMAGES", change.getStreamViewType());
        assertEquals(Map.of("pk", "USER#a", "sk", "CONN#1"), Map.of("pk", s(change.getKeys(), "pk"),
                "sk", s(change.getKeys(), "sk")));
        assertNull(change.getOldImage());
        assertEquals("ACTIVE", s(change.getNewImage(), "status"));
        assertEquals("7", change.getNewImage().get("n").getN());
        assertEquals(Boolean.TRUE, change.getNewImage().get("flag").getBOOL());
        assertEquals(T, change.getApproximateCreationDateTime().toInstant());
        assertEquals(List.of(), capture.drain(), "drained once");
    }

    @Test
    void aModifyCarriesBothImagesAndTheDelegatesResponse() {
        setStatus("USER#a", "CONN#1", "ACTIVE", null);
        UpdateItemResponse response = setStatus("USER#a", "CONN#1", "BROKEN", null);
        assertEquals("ACTIVE", response.attributes().get("status").s(), "ReturnValues as DynamoDB answered");
        List<DynamodbStreamRecord> records = capture.drain();
        assertEquals(List.of("INSERT", "MODIFY"), records.stream().map(DynamodbStreamRecord::getEventName).toList());
        StreamRecord modify = records.get(1).getDynamodb();
        assertEquals("ACTIVE", s(modify.getOldImage(), "status"));
        assertEquals("BROKEN", s(modify.getNewImage(), "status"));
    }

    @Test
    void aWriteThatChangesNothingRecordsNothing() {
        setStatus("USER#a", "CONN#1", "ACTIVE", null);
        capture.drain();
        setStatus("USER#a", "CONN#1", "ACTIVE", null);
        capture.putItem(PutItemRequest.builder().tableName(table).item(Map.of("pk", AttributeValue.fromS("USER#a"),
                "sk", AttributeValue.fromS("CONN#1"), "status", AttributeValue.fromS("ACTIVE"))).build());
        capture.deleteItem(r -> r.tableName(table).key(key("USER#a", "CONN#none")));
        assertEquals(List.of(), capture.drain());
    }

    @Test
    void aRefusedConditionIsThrownAsItWasAndRecordsNothing() {
        setStatus("USER#a", "CONN#1", "ACTIVE", null);
        capture.drain();
        assertThrows(ConditionalCheckFailedException.class,
                () -> setStatus("USER#a", "CONN#1", "BROKEN", "attribute_not_exists(pk)"));
        assertThrows(ConditionalCheckFailedException.class, () -> capture.deleteItem(r -> r.tableName(table)
                .key(key("USER#a", "CONN#1")).conditionExpression("attribute_not_exists(pk)")));
        assertEquals(List.of(), capture.drain());
        assertEquals("ACTIVE", capture.getItem(r -> r.tableName(table).key(key("USER#a", "CONN#1")))
                .item().get("status").s());
    }

    @Test
    void aDeleteIsARemoveRecordWithTheOldImageOnly() {
        setStatus("USER#a", "CONN#1", "ACTIVE", null);
        capture.drain();
        capture.deleteItem(r -> r.tableName(table).key(key("USER#a", "CONN#1")));
        List<DynamodbStreamRecord> records = capture.drain();
        assertEquals(1, records.size());
        assertEquals("REMOVE", records.get(0).getEventName());
        assertEquals("ACTIVE", s(records.get(0).getDynamodb().getOldImage(), "status"));
        assertNull(records.get(0).getDynamodb().getNewImage());
    }

    @Test
    void recordsKeepTheOrderOfWritesPerItemWithIncreasingSequenceNumbers() {
        setStatus("USER#a", "CONN#1", "ACTIVE", null);
        setStatus("USER#b", "CONN#2", "ACTIVE", null);
        setStatus("USER#a", "CONN#1", "BROKEN", null);
        setStatus("USER#b", "CONN#2", "BROKEN", null);
        setStatus("USER#a", "CONN#1", "ACTIVE", null);
        DynamodbEvent event = capture.drainAsEvent();
        List<DynamodbStreamRecord> a = event.getRecords().stream()
                .filter(r -> s(r.getDynamodb().getKeys(), "pk").equals("USER#a")).toList();
        assertEquals(List.of("INSERT", "MODIFY", "MODIFY"), a.stream().map(DynamodbStreamRecord::getEventName)
                .toList());
        assertEquals(List.of("ACTIVE", "BROKEN", "ACTIVE"), a.stream()
                .map(r -> s(r.getDynamodb().getNewImage(), "status")).toList());
        assertEquals("BROKEN", s(a.get(2).getDynamodb().getOldImage(), "status"), "each old image is the last new");
        List<String> sequence = event.getRecords().stream().map(r -> r.getDynamodb().getSequenceNumber()).toList();
        assertEquals(5, sequence.size());
        assertEquals(sequence.stream().sorted().toList(), sequence);
        assertEquals(5, sequence.stream().distinct().count());
    }

    @Test
    void aBatchWriteRecordsEachItemItChanged() {
        setStatus("USER#a", "CONN#1", "ACTIVE", null);
        capture.drain();
        capture.batchWriteItem(BatchWriteItemRequest.builder().requestItems(Map.of(table, List.of(
                WriteRequest.builder().deleteRequest(DeleteRequest.builder().key(key("USER#a", "CONN#1")).build())
                        .build(),
                WriteRequest.builder().putRequest(PutRequest.builder().item(Map.of(
                        "pk", AttributeValue.fromS("USER#a"), "sk", AttributeValue.fromS("CONN#2"),
                        "status", AttributeValue.fromS("BROKEN"))).build()).build()))).build());
        assertEquals(List.of("REMOVE", "INSERT"), capture.drain().stream().map(DynamodbStreamRecord::getEventName)
                .toList());
    }
}
