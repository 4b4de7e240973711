package com.connectionkeeper.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.connectionkeeper.testkit.Integration;
import com.connectionkeeper.testkit.StdoutCapture;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * The return landing is public: whatever query an anonymous browser sends — random, malformed escapes, invalid UTF-8,
 * huge, repeated or empty names, separators, control and non-ASCII characters, around a genuinely signed state or
 * not — the answer is 400 (no Location) or the documented 302 to the app's allow-listed return URL, never a 5xx,
 * never an ERROR log line, and the table is unchanged except for the one legitimate use of a genuine link (its link
 * item used up, the connection confirmed, the return recorded).
 *
 * <p>API Gateway hands the function {@code queryStringParameters} (repeated names joined with ","); whether it
 * decodes a malformed escape or passes it through is not documented, so every query is tried both ways.
 */
@Integration
class LandingQueryPropertiesTest {
    private static LocalApi api;
    private static String connection;
    private static final List<String> STATES = new ArrayList<>();
    private static final Set<String> USED_LINKS = new HashSet<>();
    private static StdoutCapture log;

    @BeforeContainer
    static void start() {
        api = new LocalApi();
        connection = api.importedUser("alice", "!ALPACA:trade").get(0);
        for (String suffix : List.of("", "?tab=1", "?tab=2", "/deeper", "?q=a%20b")) {
            APIGatewayV2HTTPResponse r = api.reconnectLink("alice", connection,
                    "{\"redirectUrl\":\"" + LocalApi.APP_RETURN + suffix + "\"}");
            assertEquals(200, r.getStatusCode(), r.getBody());
            STATES.add(api.lastState());
        }
        log = new StdoutCapture();
    }

    @AfterContainer
    static void stop() {
        if (log != null) {
            log.close();
        }
        api.close();
    }

    enum Gateway { PASSES_RAW, DECODES }

    @Property(tries = 400)
    void anyQueryIs400OrTheDocumentedRedirectWithNoErrorAndNoStrayWrite(@ForAll("queries") String rawQuery,
                                                                         @ForAll Gateway gateway) {
        log.clear();
        Map<String, Map<String, AttributeValue>> before = byKey(api.snapshot());

        APIGatewayV2HTTPResponse r = api.invoke(event(rawQuery, gateway));

        Map<String, Map<String, AttributeValue>> after = byKey(api.snapshot());
        assertEquals(List.of(), log.errors(), "no ERROR for " + printable(rawQuery));
        int status = r.getStatusCode();
        assertTrue(status == 400 || status == 302, status + " for " + printable(rawQuery) + ": " + r.getBody());
        if (status == 400) {
            assertNull(r.getHeaders().get("location"));
        } else {
            String location = r.getHeaders().get("location");
            assertNotNull(location);
            assertTrue(location.startsWith(LocalApi.APP_RETURN), location);
        }
        Set<String> changed = new HashSet<>(before.keySet());
        changed.addAll(after.keySet());
        changed.removeIf(k -> java.util.Objects.equals(before.get(k), after.get(k)));
        if (changed.isEmpty()) {
            return;
        }
        assertEquals(302, status, "only a redirect may follow a write: " + changed);
        List<String> usedNow = changed.stream().filter(k -> k.contains("|LINK#")).filter(k ->
                !before.get(k).containsKey("consumedAt") && after.get(k).containsKey("consumedAt")).toList();
        assertEquals(1, usedNow.size(), "a write only with one first use of a genuine link: " + changed);
        assertTrue(USED_LINKS.add(usedNow.get(0)));
        for (String key : changed) {
            assertTrue(key.startsWith("USER#alice|CONN#" + connection) || key.startsWith("USER#alice|HIST#C#")
                    || key.equals(usedNow.get(0)), "unexpected write " + key);
        }
    }

    @Provide
    Arbitrary<String> queries() {
        Arbitrary<String> state = Arbitraries.of(STATES);
        Arbitrary<String> fragment = Arbitraries.oneOf(
                Arbitraries.of("%", "%G1", "%4", "%2", "%C3%28", "%E2%82", "%ED%A0%80", "%FF", "%00", "%25", "%3F",
                        "%26", "%3D", "%2B", "+", ";", "?", "#", "&", "=", "&&", "==", "state=", "status=",
                        "connection_id=", "state", "SUCCESS", "success", "ERROR", "ABANDONED", "\u0000", "\n", "\r",
                        "\t", "\u007f", " ", "é", "\uD834\uDD1E", "\uD800", "\uFFFF", "%u00e9", "..", "/"),
                Arbitraries.just("connection_id=").map(p -> p + connection),
                state, state.map(s -> "state=" + s),
                Arbitraries.strings().ofMaxLength(12),
                Arbitraries.strings().withCharRange(' ', '~').ofMaxLength(12),
                Arbitraries.of("a", "%", "state=", "%E2%82%AC").map(p -> p.repeat(3000)));
        Arbitrary<String> random = fragment.list().ofMaxSize(10).map(l -> String.join("", l));
        Arbitrary<String> aroundState = Arbitraries.of(STATES).flatMap(s -> Arbitraries.of("?", "&", "%3F", "", "#",
                ";", "&state=", "?state=").flatMap(sep -> random.map(tail -> "state=" + s + sep + tail)));
        Arbitrary<String> joined = Arbitraries.of(STATES).flatMap(s -> random.list().ofMaxSize(4)
                .map(parts -> "state=" + s + "&" + String.join("&", parts)));
        return Arbitraries.oneOf(random, aroundState, joined);
    }

    /** The landing's event as API Gateway would build it from this raw query. */
    static APIGatewayV2HTTPEvent event(String rawQuery, Gateway gateway) {
        APIGatewayV2HTTPEvent e = LocalApi.event("api-reconnect-return.json");
        e.setRawQueryString(rawQuery);
        Map<String, String> params = new LinkedHashMap<>();
        if (!rawQuery.isEmpty()) {
            for (String pair : rawQuery.split("&", -1)) {
                int eq = pair.indexOf('=');
                String name = eq < 0 ? pair : pair.substring(0, eq);
                String value = eq < 0 ? "" : pair.substring(eq + 1);
                if (gateway == Gateway.DECODES) {
                    name = lenientDecode(name);
                    value = lenientDecode(value);
                }
                params.merge(name, value, (a, b) -> a + "," + b);
            }
        }
        e.setQueryStringParameters(params.isEmpty() ? null : params);
        return e;
    }

    /** Decodes each well-formed %XX (bytes as UTF-8, bad sequences replaced), keeps malformed ones as they are. */
    static String lenientDecode(String text) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '%' && i + 2 < text.length() + 0 && i + 2 <= text.length() - 1
                    && Character.digit(text.charAt(i + 1), 16) >= 0 && Character.digit(text.charAt(i + 2), 16) >= 0) {
                bytes.write(Integer.parseInt(text.substring(i + 1, i + 3), 16));
                i += 2;
            } else {
                byte[] b = String.valueOf(c).getBytes(StandardCharsets.UTF_8);
                bytes.write(b, 0, b.length);
            }
        }
        return bytes.toString(StandardCharsets.UTF_8);
    }

    private static Map<String, Map<String, AttributeValue>> byKey(List<Map<String, AttributeValue>> items) {
        return items.stream().collect(Collectors.toMap(i -> i.get("pk").s() + "|" + i.get("sk").s(), i -> i));
    }

    private static String printable(String text) {
        String shown = text.length() > 300 ? text.substring(0, 300) + "…(" + text.length() + ")" : text;
        StringBuilder out = new StringBuilder();
        shown.codePoints().forEach(cp -> {
            if (cp < 0x20 || cp == 0x7f) {
                out.append(String.format("\\u%04x", cp));
            } else {
                out.appendCodePoint(cp);
            }
        });
        return out.toString();
    }
}
