package com.connectionkeeper.bench;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.connectionkeeper.core.config.EnvironmentConfig;
import com.connectionkeeper.signature.CanonicalJson;
import com.connectionkeeper.signature.WebhookVerifier;
import com.connectionkeeper.testkit.DynaliteServer;
import com.connectionkeeper.testkit.HttpApiInvoker;
import com.connectionkeeper.webhook.WebhookEndpoint;
import com.connectionkeeper.webhook.WebhookHandler;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.IntFunction;

/**
 * What the worst bodies at or under 256 KB cost the webhook handler before it answers (issue 9, item 1), on demand:
 * {@code dev/bench/run.sh worst-case} → {@code dev/bench/webhook-worst-case-results.md}. Each shape is sent through
 * the production wiring (WebhookEndpoint.fromConfig, dynalite behind it) with a well-formed Signature that does not
 * match it (an anonymous caller's request), warm, and timed per call; the ratio is against a genuine small signed
 * webhook measured in the same run, interleaved, so a noisy machine moves both.
 */
public final class WebhookWorstCase {
    static final int LIMIT = WebhookEndpoint.MAX_BODY_BYTES;
    private static final int WARMUP = BenchOutput.pick(20, 5);
    private static final int MEASURED = BenchOutput.pick(100, 20);
    private static final CanonicalJson.Limits BOUNDS = CanonicalJson.Limits.UNAUTHENTICATED;

    record Shape(String name, String body, boolean signed) {
    }

    private WebhookWorstCase() {
    }

    public static void main(String[] args) throws Exception {
        PrintStream console = System.out;
        System.setOut(new PrintStream(OutputStream.nullOutputStream(), false, StandardCharsets.UTF_8));
        StringBuilder md = new StringBuilder("# Webhook worst-case bodies\n\nWritten by `dev/bench/run.sh worst-case`: "
                + "handler time of the worst bodies at or under 256 KB we could construct, warm, in process, "
                + WARMUP + " warm-up + " + MEASURED + " timed calls each, interleaved with the baseline (a genuine "
                + "small signed webhook: verify, parse, two or three DynamoDB requests to dynalite). Unsigned = a "
                + "well-formed `Signature` of other bytes, as an anonymous caller would send.\n\n");
        md.append("| machine | |\n|---|---|\n| date | ")
                .append(ZonedDateTime.now(ZoneOffset.UTC).format(DateTimeFormatter.ISO_OFFSET_DATE_TIME)
                        .replaceAll("\\.\\d+", ""))
                .append(" |\n| cores | ").append(Runtime.getRuntime().availableProcessors())
                .append(" |\n| JDK | ").append(System.getProperty("java.version"))
                .append(" |\n| bounds | depth ").append(BOUNDS.maxDepth()).append(", values ")
                .append(BOUNDS.maxValues()).append(", floats ").append(BOUNDS.maxFloats()).append(", number chars ")
                .append(BOUNDS.maxNumberChars()).append(" |\n\n");
        try (DynaliteServer server = DynaliteServer.startInMemory()) {
            String table = server.createTable();
            WebhookHandler handler = new WebhookHandler(WebhookEndpoint.fromConfig(new EnvironmentConfig(Map.of(
                    EnvironmentConfig.TABLE_NAME, table,
                    EnvironmentConfig.DYNAMODB_ENDPOINT, server.endpoint().toString(),
                    EnvironmentConfig.SNAPTRADE_CONSUMER_KEY, Webhooks.CONSUMER_KEY))));
            Webhooks webhooks = new Webhooks();
            // warm the whole path once with every shape before anything is timed
            for (Shape shape : shapes("{}")) {
                byte[] event = HttpApiInvoker.json(unsigned(shape.body()));
                for (int i = 0; i < WARMUP; i++) {
                    HttpApiInvoker.invoke(handler, event, null);
                }
            }
            String genuine = webhooks.body(Webhooks.id(), "CONNECTION_BROKEN", "bench-user", "bench-conn",
                    webhooks.next());
            byte[] baseline = HttpApiInvoker.json(webhooks.event(genuine)); // redelivered: "duplicate" after the first
            md.append("| shape | bytes | answer | median ms | p90 ms | ratio to baseline (median) |\n"
                    + "|---|---|---|---|---|---|\n");
            double worst = 0;
            String worstName = "";
            for (Shape shape : shapes(genuine)) {
                byte[] event = HttpApiInvoker.json(shape.signed() ? webhooks.event(shape.body()) : unsigned(shape.body()));
                long[] times = new long[MEASURED];
                long[] base = new long[MEASURED];
                APIGatewayV2HTTPResponse answer = null;
                for (int i = 0; i < WARMUP + MEASURED; i++) {
                    long t0 = System.nanoTime();
                    HttpApiInvoker.invoke(handler, baseline, null);
                    long t1 = System.nanoTime();
                    answer = HttpApiInvoker.invoke(handler, event, null);
                    long t2 = System.nanoTime();
                    if (i >= WARMUP) {
                        base[i - WARMUP] = t1 - t0;
                        times[i - WARMUP] = t2 - t1;
                    }
                }
                Stats s = Stats.ofNanos(times);
                Stats b = Stats.ofNanos(base);
                double ratio = s.median() / b.median();
                String row = String.format(Locale.ROOT, "| %s | %,d | %d %s | %.2f | %.2f | %.2f (baseline %.2f ms) |%n",
                        shape.name(), shape.body().getBytes(StandardCharsets.UTF_8).length, answer.getStatusCode(),
                        answer.getStatusCode() == 200 ? "" : "`" + shorten(answer.getBody()) + "`",
                        s.median(), s.p90(), ratio, b.median());
                md.append(row);
                console.print(row);
                console.flush();
                if (s.median() > worst && !shape.signed()) {
                    worst = s.median();
                    worstName = shape.name();
                }
            }
            md.append(String.format(Locale.ROOT, "%nWorst unsigned shape: **%s**, median %.2f ms (target ≤ %s ms).%n",
                    worstName, worst, Targets.format(Targets.WORST_UNSIGNED_MS)));
            BenchOutput.figures(Targets.BenchId.WORST_CASE.id(), Map.of("worstUnsignedMs",
                    String.format(Locale.ROOT, "%.3f", worst), "worstUnsignedMs.text",
                    String.format(Locale.ROOT, "**%.1f ms** median (%s; %d shapes, %d timed calls each)", worst,
                            worstName, shapes(genuine).size(), MEASURED)));
        }
        Path results = BenchOutput.results(Targets.BenchId.WORST_CASE.results());
        Files.writeString(results, md);
        console.print(md);
        console.println("\nwritten to " + results);
    }

    private static String shorten(String body) {
        return body.length() > 60 ? body.substring(0, 57) + "…" : body;
    }

    private static APIGatewayV2HTTPEvent unsigned(String body) {
        return APIGatewayV2HTTPEvent.builder()
                .withBody(body)
                .withIsBase64Encoded(false)
                .withHeaders(Map.of("content-type", "application/json",
                        "signature", new WebhookVerifier("not-the-consumer-key").sign(body)))
                .withRequestContext(APIGatewayV2HTTPEvent.RequestContext.builder().withRequestId("bench").build())
                .build();
    }

    /** {@code [item, item, …]} of {@code count} items (or as many as fit under the limit when count is 0). */
    static String array(String item, int count) {
        int n = count > 0 ? count : (LIMIT - 2) / (item.length() + 1);
        return "[" + (item + ",").repeat(n - 1) + item + "]";
    }

    /** {@code prefix} then a string value filling the body up to the limit, then {@code suffix}. */
    static String padded(String prefix, String suffix, IntFunction<String> filler) {
        int room = LIMIT - prefix.length() - suffix.length() - 9;
        return prefix + ",\"pad\":\"" + filler.apply(room) + "\"" + suffix;
    }

    static List<Shape> shapes(String genuine) {
        List<Shape> shapes = new ArrayList<>();
        int floats = BOUNDS.maxFloats();
        int values = BOUNDS.maxValues();
        int depth = BOUNDS.maxDepth();
        shapes.add(new Shape("genuine webhook, unsigned", genuine, false));
        // floats: the costly values
        shapes.add(new Shape("floats 5e-324 to the limit (over the float bound)", array("5e-324", 0), false));
        shapes.add(new Shape("floats 17 digits to the limit (over the float bound)",
                array("2.2250738585072014e-308", 0), false));
        String slowFloats = array("4.9406564584124654e-324", floats).replace("]", "");
        shapes.add(new Shape("1,000 subnormal 17-digit floats + ints to the value bound + a string to 256 KB",
                "{\"f\":" + slowFloats + "," + "0,".repeat(values - floats - 4) + "0],\"s\":\""
                        + "x".repeat(LIMIT - slowFloats.length() - 2 * (values - floats) - 40) + "\"}", false));
        shapes.add(new Shape("1,000 floats 0.1 + 9,000 ints (at the bounds)",
                "[" + "0.1,".repeat(floats) + "1,".repeat(values - floats - 2) + "1]", false));
        // nesting, values, keys
        shapes.add(new Shape("nested 32 deep, repeated to 256 KB (at the depth bound)",
                array("[".repeat(depth - 1) + "]".repeat(depth - 1), 0), false));
        shapes.add(new Shape("nested 100,000 deep (over the depth bound)",
                "[".repeat(LIMIT / 2) + "]".repeat(LIMIT / 2), false));
        shapes.add(new Shape("empty arrays to the limit (over the value bound)", array("[]", 0), false));
        shapes.add(new Shape("9,996 ints (at the value bound) + a string to 256 KB",
                padded("{\"a\":" + array("7", values - 3), "}", "y"::repeat), false));
        StringBuilder keys = new StringBuilder("{");
        String keyPrefix = "k".repeat(15);
        for (int i = 0; i < values - 1; i++) {
            keys.append(i == 0 ? "" : ",").append('"').append(keyPrefix).append(values - i).append("\":0");
        }
        shapes.add(new Shape("9,999 distinct keys, reverse order, long shared prefix", keys + "}", false));
        String longKeyPrefix = "k".repeat(LIMIT / (values / 4) - 12);
        StringBuilder longKeys = new StringBuilder("{");
        for (int i = 0; i < values / 4; i++) {
            longKeys.append(i == 0 ? "" : ",").append('"').append(longKeyPrefix).append(i).append("\":0");
        }
        shapes.add(new Shape("2,500 keys sharing a " + longKeyPrefix.length() + "-char prefix",
                longKeys + "}", false));
        shapes.add(new Shape("one key repeated 9,999 times", "{" + "\"k\":0,".repeat(values - 2) + "\"k\":0}", false));
        // numbers
        shapes.add(new Shape("100-digit ints to the limit", array("9".repeat(100), 0), false));
        shapes.add(new Shape("a 250,000-digit number (over the number bound)", "[" + "9".repeat(250_000) + "]",
                false));
        shapes.add(new Shape("100-char floats x 1,000 (at the bounds)", array("0." + "1".repeat(98), floats), false));
        // strings
        shapes.add(new Shape("one ASCII string of 256 KB", "[\"" + "a".repeat(LIMIT - 4) + "\"]", false));
        shapes.add(new Shape("\\u escapes of surrogate pairs to the limit",
                "[\"" + "\\ud83d\\ude00".repeat((LIMIT - 4) / 12) + "\"]", false));
        shapes.add(new Shape("lone surrogate escapes to the limit",
                "[\"" + "\\udc00".repeat((LIMIT - 4) / 6) + "\"]", false));
        shapes.add(new Shape("2-byte UTF-8 to the limit", "[\"" + "é".repeat((LIMIT - 4) / 2) + "\"]", false));
        shapes.add(new Shape("4-byte UTF-8 to the limit", "[\"" + "😀".repeat((LIMIT - 4) / 4) + "\"]", false));
        shapes.add(new Shape("backslash escapes to the limit", "[\"" + "\\n\\\"".repeat((LIMIT - 4) / 4) + "\"]",
                false));
        shapes.add(new Shape("whitespace to the limit", "[" + " ".repeat(LIMIT - 3) + "1]", false));
        shapes.add(new Shape("not JSON (unterminated string)", "[\"" + "a".repeat(LIMIT - 4), false));
        // authenticated, for comparison: the work after a valid signature
        shapes.add(new Shape("signed: genuine webhook with 1,000 floats in details (canonical form)",
                genuine.substring(0, genuine.length() - 1) + ",\"details\":" + array("150.25", floats) + "}", true));
        return shapes;
    }
}
