package com.connectionkeeper.lifecycle;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * A stream record's image (Lambda's event model of DynamoDB attribute values) as the AWS SDK's attribute values, the
 * type the store's item mapping reads.
 */
final class StreamImages {
    private StreamImages() {
    }

    /** Null for a missing image (an INSERT has no old image, a REMOVE no new one). */
    static Map<String, AttributeValue> image(
            Map<String, com.amazonaws.services.lambda.runtime.events.models.dynamodb.AttributeValue> image) {
        if (image == null) {
            return null;
        }
        Map<String, AttributeValue> out = new LinkedHashMap<>();
        image.forEach((name, value) -> out.put(name, value(value)));
        return out;
    }

    static AttributeValue value(com.amazonaws.services.lambda.runtime.events.models.dynamodb.AttributeValue v) {
        if (v.getS() != null) {
            return AttributeValue.fromS(v.getS());
        }
        if (v.getN() != null) {
            return AttributeValue.fromN(v.getN());
        }
        if (v.getBOOL() != null) {
            return AttributeValue.fromBool(v.getBOOL());
        }
        if (Boolean.TRUE.equals(v.getNULL())) {
            return AttributeValue.fromNul(true);
        }
        if (v.getB() != null) {
            return AttributeValue.fromB(SdkBytes.fromByteBuffer(v.getB().asReadOnlyBuffer()));
        }
        if (v.getSS() != null) {
            return AttributeValue.fromSs(v.getSS());
        }
        if (v.getNS() != null) {
            return AttributeValue.fromNs(v.getNS());
        }
        if (v.getBS() != null) {
            List<SdkBytes> bytes = new ArrayList<>();
            v.getBS().forEach(b -> bytes.add(SdkBytes.fromByteBuffer(b.asReadOnlyBuffer())));
            return AttributeValue.fromBs(bytes);
        }
        if (v.getM() != null) {
            return AttributeValue.fromM(image(v.getM()));
        }
        if (v.getL() != null) {
            List<AttributeValue> list = new ArrayList<>();
            v.getL().forEach(e -> list.add(value(e)));
            return AttributeValue.fromL(list);
        }
        throw new IllegalArgumentException("attribute value of no known type");
    }
}
