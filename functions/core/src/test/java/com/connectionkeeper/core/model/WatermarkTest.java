package com.connectionkeeper.core.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class WatermarkTest {
    private static final Instant T = Instant.parse("2022-05-31T11:37:50.590720Z");

    @Test
    void encodesFixedWidthUtcThenPrecedenceThenWebhookId() {
        assertEquals("2022-05-31T11:37:50.590720000Z#4#abc", Watermark.of(T, 4, "abc").encoded());
        assertEquals("0001-01-01T00:00:00.000000000Z", Watermark.timeKey(Watermark.MIN_TIME));
    }

    @Test
    void ordersByTimeThenPrecedenceThenId() {
        Watermark base = Watermark.of(T, 4, "b");
        assertTrue(Watermark.of(T.plusNanos(1000), 0, "a").isAfter(base), "a later microsecond wins");
        assertTrue(Watermark.of(T, 5, "a").isAfter(base), "higher precedence wins a tie");
        assertTrue(Watermark.of(T, 4, "c").isAfter(base), "then the webhook id");
        assertTrue(Watermark.of(Instant.parse("2100-01-01T00:00:00Z"), 0, "a")
                .isAfter(Watermark.of(Instant.parse("1999-12-31T23:59:59.999999999Z"), 9, "z")));
        assertEquals(0, base.compareTo(Watermark.parse(base.encoded())));
    }

    @Test
    void comparesIdsByCodePointLikeDynamoDb() {
        // UTF-16 order would put U+FFFF after U+1F600 (a surrogate pair); DynamoDB (UTF-8 bytes) puts it before
        Watermark bmp = Watermark.of(T, 1, "\uFFFF");
        Watermark astral = Watermark.of(T, 1, "\uD83D\uDE00");
        assertTrue(astral.isAfter(bmp));
    }

    @Test
    void rejectsTimesWhoseFixedWidthFormWouldNotSort() {
        Instant tooLate = Instant.parse("+10000-01-01T00:00:00Z");
        assertThrows(IllegalArgumentException.class, () -> Watermark.of(tooLate, 1, "a"));
        assertThrows(IllegalArgumentException.class, () -> Watermark.of(T, 10, "a"));
    }
}
