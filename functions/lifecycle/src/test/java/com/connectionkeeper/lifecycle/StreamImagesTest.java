package com.connectionkeeper.lifecycle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

class StreamImagesTest {
    private static com.amazonaws.services.lambda.runtime.events.models.dynamodb.AttributeValue v() {
        return new com.amazonaws.services.lambda.runtime.events.models.dynamodb.AttributeValue();
    }

    @Test
    void everyAttributeType() {
        var m = v().withM(Map.of("inner", v().withS("x")));
        var image = Map.of("s", v().withS("text"), "n", v().withN("12.5"), "bool", v().withBOOL(false),
                "null", v().withNULL(true), "b", v().withB(ByteBuffer.wrap(new byte[] {1, 2})),
                "ss", v().withSS("a", "b"), "ns", v().withNS("1", "2"),
                "bs", v().withBS(ByteBuffer.wrap(new byte[] {3})), "m", m,
                "l", v().withL(v().withS("y"), v().withN("3")));
        Map<String, AttributeValue> sdk = StreamImages.image(image);
        assertEquals(AttributeValue.fromS("text"), sdk.get("s"));
        assertEquals(AttributeValue.fromN("12.5"), sdk.get("n"));
        assertEquals(AttributeValue.fromBool(false), sdk.get("bool"));
        assertEquals(AttributeValue.fromNul(true), sdk.get("null"));
        assertEquals(AttributeValue.fromB(SdkBytes.fromByteArray(new byte[] {1, 2})), sdk.get("b"));
        assertEquals(AttributeValue.fromSs(List.of("a", "b")), sdk.get("ss"));
        assertEquals(AttributeValue.fromNs(List.of("1", "2")), sdk.get("ns"));
        assertEquals(AttributeValue.fromBs(List.of(SdkBytes.fromByteArray(new byte[] {3}))), sdk.get("bs"));
        assertEquals(AttributeValue.fromM(Map.of("inner", AttributeValue.fromS("x"))), sdk.get("m"));
        assertEquals(AttributeValue.fromL(List.of(AttributeValue.fromS("y"), AttributeValue.fromN("3"))),
                sdk.get("l"));
        assertNull(StreamImages.image(null));
        assertThrows(IllegalArgumentException.class, () -> StreamImages.value(v()));
    }
}
