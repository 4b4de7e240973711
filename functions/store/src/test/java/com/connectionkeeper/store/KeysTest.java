package com.connectionkeeper.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Key parts that would not fit DynamoDB's limits are shortened, uniquely; those that fit are kept exactly. */
class KeysTest {
    private static final Instant T = Instant.parse("2024-05-01T12:00:00.123456Z");

    @Test
    void aPartThatFitsIsKeptExactly() {
        assertEquals("CONN#c0ffee00-0000-4000-8000-000000000001",
                Keys.connection("c0ffee00-0000-4000-8000-000000000001"));
        assertEquals("HIST#C#c%23#2024-05-01T12:00:00.123456000Z#w%25#CONNECTION_BROKEN",
                Keys.history("c#", T, "w%", "CONNECTION_BROKEN"));
        assertEquals("a%23b", Keys.fit("a%23b", 5));
    }

    @Test
    void aLongPartIsShortenedToItsBudgetWithAHash() {
        String escaped = Keys.escape("%".repeat(256));
        String fitted = Keys.fit(escaped, 200);

        assertTrue(Keys.utf8Length(fitted) <= 200, fitted);
        assertTrue(fitted.startsWith("%25%25"));
        assertTrue(fitted.contains(Keys.HASH_MARKER));
        assertFalse(fitted.contains("#"));
        // never cut inside an escape: what precedes the marker is whole %25s
        String prefix = fitted.substring(0, fitted.indexOf(Keys.HASH_MARKER));
        assertEquals(0, prefix.replace("%25", "").length());
    }

    @Test
    void multiByteCharactersAreCountedInUtf8AndNeverSplit() {
        String fitted = Keys.fit("é€".repeat(400), 300);
        assertTrue(Keys.utf8Length(fitted) <= 300);
        assertTrue(fitted.startsWith("é€é€"));
    }

    @Test
    void partsSharingALongPrefixStayDistinct() {
        Set<String> keys = new HashSet<>();
        for (char last = 'a'; last <= 'z'; last++) {
            String webhookId = "#".repeat(255) + last;
            String key = Keys.history("#".repeat(256), T, webhookId, "CONNECTION_BROKEN");
            assertTrue(Keys.utf8Length(key) <= Keys.MAX_SORT_KEY_BYTES, key.length() + " bytes");
            keys.add(key);
        }
        assertEquals(26, keys.size());
    }

    @Test
    void aShortenedPartNeverEqualsAnIdThatLooksLikeIt() {
        String longId = "x".repeat(2000);
        String fitted = Keys.fit(Keys.escape(longId), 100);
        // an id spelled exactly like the shortened part is escaped differently ('%' becomes "%25")
        assertNotEquals(fitted, Keys.fit(Keys.escape(fitted), 100));
    }

    @Test
    void everyHistoryKeyFitsWhateverTheParts() {
        String worstConnection = "%".repeat(256);
        String worstWebhook = "#".repeat(256);
        assertTrue(Keys.utf8Length(Keys.history(worstConnection, T, worstWebhook, "A".repeat(2000)))
                <= Keys.MAX_SORT_KEY_BYTES);
        assertTrue(Keys.utf8Length(Keys.history(null, T, "€".repeat(5000), "B".repeat(64)))
                <= Keys.MAX_SORT_KEY_BYTES);
        assertTrue(Keys.utf8Length(Keys.connection("€".repeat(5000))) <= Keys.MAX_SORT_KEY_BYTES);
        assertTrue(Keys.utf8Length(Keys.sweepOrder(T, "é".repeat(1000))) <= Keys.MAX_SORT_KEY_BYTES);
        assertTrue(Keys.utf8Length(Keys.retryAt(T, "é".repeat(1000))) <= Keys.MAX_SORT_KEY_BYTES);
        assertTrue(Keys.sweepOrder(null, "é".repeat(1000)).startsWith("!#é"));
    }
}
