package com.connectionkeeper.local;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.amazonaws.services.lambda.runtime.events.DynamodbEvent.DynamodbStreamRecord;
import com.amazonaws.services.lambda.runtime.events.DynamodbEvent;
import com.amazonaws.services.lambda.runtime.serialization.events.LambdaEventSerializers;
import com.connectionkeeper.testkit.StreamFilter;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.OperationType;
import software.amazon.awssdk.services.dynamodb.model.Record;
import software.amazon.awssdk.services.dynamodb.model.StreamViewType;

/**
 * Records as DynamoDB Streams' GetRecords gives them (the SDK's model) become the records of the stream function's
 * event: Lambda's own serialization (the runtime client's) reads them back with every attribute type, both images,
 * the sequence number and the stream's ARN, and the template's filter criteria let through the same records in the
 * JSON form as in the event model.
 */
class StreamRecordsTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String STREAM =
            "arn:aws:dynamodb:us-east-1:000000000000:table/t/stream/2026-01-01T00:00:00.000";

    private static Record record(String id, OperationType operation, Map<String, AttributeValue> old,
                                 Map<String, AttributeValue> now) {
        Map<String, AttributeValue> image = now != null ? now : old;
        return Record.builder().eventID(id).eventName(operation).eventVersion("1.1").eventSource("aws:dynamodb")
                .awsRegion("us-east-1")
                .dynamodb(d -> {
                    d.approximateCreationDateTime(Instant.parse("2026-01-01T10:00:00Z"))
                            .keys(Map.of("pk", image.get("pk"), "sk", image.get("sk")))
                            .sequenceNumber("1000" + id).sizeBytes(123L)
                            .streamViewType(StreamViewType.NEW_AND_OLD_IMAGES);
                    if (old != null) {
                        d.oldImage(old);
                    }
                    if (now != null) {
                        d.newImage(now);
                    }
                })
                .build();
    }

    private static Map<String, AttributeValue> connection(String status) {
        return Map.of("pk", s("USER#u"), "sk", s("CONN#c"), "entity", s("CONNECTION"), "status", s(status),
                "version", AttributeValue.fromN("3"), "flagged", AttributeValue.fromBool(true),
                "nothing", AttributeValue.fromNul(true),
                "observed", AttributeValue.fromM(Map.of("type", s("trade"),
                        "tags", AttributeValue.fromSs(List.of("a")))),
                "steps", AttributeValue.fromL(List.of(AttributeValue.fromN("1"), s("two"))),
                "sealed", AttributeValue.fromB(SdkBytes.fromByteArray(new byte[] {0, 1, 2, (byte) 0xff})));
    }

    private static AttributeValue s(String text) {
        return AttributeValue.fromS(text);
    }

    private static DynamodbEvent lambdaEvent(List<ObjectNode> records) {
        ObjectNode event = JSON.createObjectNode();
        records.forEach(event.putArray("Records")::add);
        return LambdaEventSerializers.serializerFor(DynamodbEvent.class, StreamRecordsTest.class.getClassLoader())
                .fromJson(event.toString());
    }

    @Test
    void theRuntimeReadsTheRecordsWithEveryAttributeBothImagesAndTheStream() {
        Record modify = record("2", OperationType.MODIFY, connection("ACTIVE"), connection("BROKEN"));
        DynamodbStreamRecord read = lambdaEvent(List.of(StreamRecords.lambdaRecord(modify, STREAM)))
                .getRecords().get(0);

        assertEquals("2", read.getEventID());
        assertEquals("MODIFY", read.getEventName());
        assertEquals("aws:dynamodb", read.getEventSource());
        assertEquals("us-east-1", read.getAwsRegion());
        assertEquals(STREAM, read.getEventSourceARN());
        assertEquals("10002", read.getDynamodb().getSequenceNumber());
        assertEquals(Date.from(Instant.parse("2026-01-01T10:00:00Z")),
                read.getDynamodb().getApproximateCreationDateTime());
        assertEquals("NEW_AND_OLD_IMAGES", read.getDynamodb().getStreamViewType());
        assertEquals("CONN#c", read.getDynamodb().getKeys().get("sk").getS());
        assertEquals("ACTIVE", read.getDynamodb().getOldImage().get("status").getS());
        var now = read.getDynamodb().getNewImage();
        assertEquals("BROKEN", now.get("status").getS());
        assertEquals("3", now.get("version").getN());
        assertEquals(Boolean.TRUE, now.get("flagged").getBOOL());
        assertEquals(Boolean.TRUE, now.get("nothing").getNULL());
        assertEquals("trade", now.get("observed").getM().get("type").getS());
        assertEquals(List.of("a"), now.get("observed").getM().get("tags").getSS());
        assertEquals("1", now.get("steps").getL().get(0).getN());
        assertEquals("two", now.get("steps").getL().get(1).getS());
        ByteBuffer sealed = now.get("sealed").getB();
        byte[] bytes = new byte[sealed.remaining()];
        sealed.get(bytes);
        assertArrayEquals(new byte[] {0, 1, 2, (byte) 0xff}, bytes);
    }

    @Test
    void aRemovedItemHasItsOldImageOnly() {
        Record remove = record("3", OperationType.REMOVE, connection("BROKEN"), null);
        DynamodbStreamRecord read = lambdaEvent(List.of(StreamRecords.lambdaRecord(remove, STREAM)))
                .getRecords().get(0);
        assertEquals("REMOVE", read.getEventName());
        assertNull(read.getDynamodb().getNewImage());
        assertEquals("BROKEN", read.getDynamodb().getOldImage().get("status").getS());
    }

    @Test
    void theTemplatesFilterLetsThroughTheSameRecordsInEitherForm() {
        Map<String, AttributeValue> history = Map.of("pk", s("USER#u"), "sk", s("HIST#1"), "entity", s("HISTORY"));
        List<ObjectNode> records = List.of(
                StreamRecords.lambdaRecord(record("1", OperationType.INSERT, null, connection("ACTIVE")), STREAM),
                StreamRecords.lambdaRecord(record("2", OperationType.INSERT, null, history), STREAM),
                StreamRecords.lambdaRecord(record("3", OperationType.REMOVE, connection("BROKEN"), null), STREAM));
        StreamFilter filter = StreamFilter.lifecycle();
        List<Boolean> json = records.stream().map(filter::passes).toList();
        List<Boolean> model = lambdaEvent(records).getRecords().stream().map(filter::passes).toList();

        assertEquals(List.of(true, false, true), json);
        assertEquals(json, model);
        assertFalse(filter.passes(StreamRecords.lambdaRecord(record("4", OperationType.REMOVE, history, null),
                STREAM)));
        assertTrue(filter.passes(StreamRecords.lambdaRecord(record("5", OperationType.MODIFY, connection("ACTIVE"),
                connection("BROKEN")), STREAM)));
    }
}
