package com.connectionkeeper.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.Record;
import software.amazon.awssdk.services.dynamodb.model.StreamRecord;

/**
 * What Lambda's event source mapping makes of a record read from DynamoDB Streams (the SDK's {@link Record}): the
 * record as it appears in the function's event, in DynamoDB JSON, with the stream's ARN as {@code eventSourceARN}
 * (which GetRecords does not carry and Lambda adds). The JSON form is what the template's filter criteria are matched
 * against and what the function's runtime reads into its event model.
 */
final class StreamRecords {
    private static final ObjectMapper JSON = new ObjectMapper();

    private StreamRecords() {
    }

    /** {@code record} as the function's event carries it. */
    static ObjectNode lambdaRecord(Record record, String streamArn) {
        ObjectNode out = JSON.createObjectNode();
        putText(out, "eventID", record.eventID());
        putText(out, "eventName", record.eventNameAsString());
        putText(out, "eventVersion", record.eventVersion());
        putText(out, "eventSource", record.eventSource());
        putText(out, "awsRegion", record.awsRegion());
        StreamRecord change = record.dynamodb();
        ObjectNode dynamodb = out.putObject("dynamodb");
        if (change.approximateCreationDateTime() != null) {
            dynamodb.put("ApproximateCreationDateTime", change.approximateCreationDateTime().getEpochSecond());
        }
        if (change.hasKeys()) {
            dynamodb.set("Keys", image(change.keys()));
        }
        if (change.hasNewImage()) {
            dynamodb.set("NewImage", image(change.newImage()));
        }
        if (change.hasOldImage()) {
            dynamodb.set("OldImage", image(change.oldImage()));
        }
        putText(dynamodb, "SequenceNumber", change.sequenceNumber());
        if (change.sizeBytes() != null) {
            dynamodb.put("SizeBytes", change.sizeBytes());
        }
        putText(dynamodb, "StreamViewType", change.streamViewTypeAsString());
        if (record.userIdentity() != null) {
            ObjectNode identity = out.putObject("userIdentity");
            putText(identity, "principalId", record.userIdentity().principalId());
            putText(identity, "type", record.userIdentity().type());
        }
        out.put("eventSourceARN", streamArn);
        return out;
    }

    /** An item in DynamoDB JSON: each attribute an object of one type key ({@code S}, {@code N}, {@code M}, …). */
    static ObjectNode image(Map<String, AttributeValue> item) {
        ObjectNode out = JSON.createObjectNode();
        item.forEach((name, value) -> out.set(name, value(value)));
        return out;
    }

    private static JsonNode value(AttributeValue v) {
        ObjectNode out = JSON.createObjectNode();
        switch (v.type()) {
            case S -> out.put("S", v.s());
            case N -> out.put("N", v.n());
            case B -> out.put("B", v.b().asByteArray());
            case BOOL -> out.put("BOOL", v.bool());
            case NUL -> out.put("NULL", true);
            case SS -> v.ss().forEach(out.putArray("SS")::add);
            case NS -> v.ns().forEach(out.putArray("NS")::add);
            case BS -> {
                ArrayNode list = out.putArray("BS");
                v.bs().stream().map(SdkBytes::asByteArray).forEach(list::add);
            }
            case M -> out.set("M", image(v.m()));
            case L -> {
                ArrayNode list = out.putArray("L");
                v.l().forEach(item -> list.add(value(item)));
            }
            default -> throw new IllegalArgumentException("an attribute value of no known type: " + v.type());
        }
        return out;
    }

    private static void putText(ObjectNode node, String name, String value) {
        if (value != null) {
            node.put(name, value);
        }
    }
}
