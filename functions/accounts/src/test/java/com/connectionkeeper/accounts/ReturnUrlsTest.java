package com.connectionkeeper.accounts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** ReturnUrls.withOutcome: where the parameters go and how they are encoded. */
class ReturnUrlsTest {
    private static final Map<String, String> SUCCESS = ordered("status", "SUCCESS", "connection_id", "conn-1");

    @Test
    void startsAQueryOrJoinsTheExistingOne() {
        assertEquals("https://app.example.com/return?status=SUCCESS&connection_id=conn-1",
                ReturnUrls.withOutcome("https://app.example.com/return", SUCCESS));
        assertEquals("https://app.example.com/?status=SUCCESS&connection_id=conn-1",
                ReturnUrls.withOutcome("https://app.example.com/", SUCCESS));
        assertEquals("https://app.example.com?status=SUCCESS&connection_id=conn-1",
                ReturnUrls.withOutcome("https://app.example.com", SUCCESS));
        assertEquals("https://app.example.com/return?a=1&b=%20&status=SUCCESS&connection_id=conn-1",
                ReturnUrls.withOutcome("https://app.example.com/return?a=1&b=%20", SUCCESS));
        assertEquals("https://app.example.com/return?status=SUCCESS&connection_id=conn-1",
                ReturnUrls.withOutcome("https://app.example.com/return?", SUCCESS));
        assertEquals("https://app.example.com/return?a=1&status=SUCCESS&connection_id=conn-1",
                ReturnUrls.withOutcome("https://app.example.com/return?a=1&", SUCCESS));
        assertEquals("https://app.example.com/return?flag&status=SUCCESS&connection_id=conn-1",
                ReturnUrls.withOutcome("https://app.example.com/return?flag", SUCCESS));
    }

    @Test
    void keepsAFragmentAtTheEnd() {
        assertEquals("https://app.example.com/r?status=SUCCESS&connection_id=conn-1#done",
                ReturnUrls.withOutcome("https://app.example.com/r#done", SUCCESS));
        assertEquals("https://app.example.com/r?a=1&status=SUCCESS&connection_id=conn-1#x?y",
                ReturnUrls.withOutcome("https://app.example.com/r?a=1#x?y", SUCCESS));
    }

    @Test
    void keepsTheMapsOrder() {
        assertEquals("https://a.example/?status=ERROR&status_code=400&error_code=1076",
                ReturnUrls.withOutcome("https://a.example/",
                        ordered("status", "ERROR", "status_code", "400", "error_code", "1076")));
        assertEquals("https://a.example/?error_code=1076&status=ERROR",
                ReturnUrls.withOutcome("https://a.example/", ordered("error_code", "1076", "status", "ERROR")));
    }

    @Test
    void percentEncodesNamesAndValuesAsUtf8() {
        assertEquals("https://a.example/?k=a%20b%26c%3Dd%2Fe%3Ff%23g%2Bh%25i~j.k_l-m",
                ReturnUrls.withOutcome("https://a.example/", Map.of("k", "a b&c=d/e?f#g+h%i~j.k_l-m")));
        assertEquals("https://a.example/?na%20me%3D=%C3%A9%E2%82%AC%F0%9F%98%80",
                ReturnUrls.withOutcome("https://a.example/", Map.of("na me=", "\u00e9\u20ac\uD83D\uDE00")));
        assertEquals("https://a.example/?k=%0D%0A%00%22%3C%3E%27%5C%60",
                ReturnUrls.withOutcome("https://a.example/", Map.of("k", "\r\n\u0000\"<>'\\`")));
        assertEquals("https://a.example/?k=&=v",
                ReturnUrls.withOutcome("https://a.example/", ordered("k", "", "", "v")));
        assertEquals("https://a.example/?k=%3F",
                ReturnUrls.withOutcome("https://a.example/", Map.of("k", "\uD83D"))); // unpaired surrogate
        assertEquals("https://a.example/?k=https%3A%2F%2Fevil.com%2F",
                ReturnUrls.withOutcome("https://a.example/", Map.of("k", "https://evil.com/")));
    }

    @Test
    void noParamsLeaveTheUrlAlone() {
        assertEquals("https://a.example/r", ReturnUrls.withOutcome("https://a.example/r", Map.of()));
        assertEquals("https://a.example/r?", ReturnUrls.withOutcome("https://a.example/r?", Map.of()));
    }

    @Test
    void nullsAreRefused() {
        assertThrows(NullPointerException.class, () -> ReturnUrls.withOutcome(null, SUCCESS));
        assertThrows(NullPointerException.class, () -> ReturnUrls.withOutcome("https://a.example/", null));
        Map<String, String> nullValue = new HashMap<>();
        nullValue.put("status", null);
        assertEquals("parameter status is null", assertThrows(NullPointerException.class,
                () -> ReturnUrls.withOutcome("https://a.example/", nullValue)).getMessage());
        Map<String, String> nullName = new HashMap<>();
        nullName.put(null, "x");
        assertThrows(NullPointerException.class, () -> ReturnUrls.withOutcome("https://a.example/", nullName));
        assertEquals("https://a.example/", ReturnUrls.withOutcome("https://a.example/", Collections.emptyMap()));
    }

    private static Map<String, String> ordered(String... namesAndValues) {
        Map<String, String> map = new LinkedHashMap<>();
        for (int i = 0; i < namesAndValues.length; i += 2) {
            map.put(namesAndValues[i], namesAndValues[i + 1]);
        }
        return map;
    }
}
