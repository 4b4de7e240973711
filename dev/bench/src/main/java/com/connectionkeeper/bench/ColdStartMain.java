package com.connectionkeeper.bench;

import com.connectionkeeper.core.config.EnvironmentConfig;
import com.connectionkeeper.store.DynamoClients;
import com.connectionkeeper.webhook.WebhookHandler;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest;

/**
 * Child-JVM main for {@link ColdStart}: one first event through the real handler, or (the hello-world baseline)
 * the same DynamoDB client sending the same requests bare, timed from JVM start.
 */
public final class ColdStartMain {
    private ColdStartMain() {
    }

    /**
     * {@code webhook <event.json> <launchMillis>}: the real no-arg handler handles the fixture, streamed as Lambda's
     * runtime streams it; {@code webhook-primed <event.json> <launchMillis>}: the same, but the handler's SnapStart
     * hooks run first, as a restored snapshot would have had them (beforeCheckpoint's priming, then afterRestore);
     * {@code hello <requests.txt> <launchMillis>}: the client {@link DynamoClients} builds sends the UpdateItem
     * requests of {@link #writeRequests} to TABLE_NAME. Prints one {@code BENCH key=value ...} line. The phases are
     * marked in a class-load log ({@code -Xlog:class+load}) by the loading of the marker classes below.
     */
    public static void main(String[] args) throws Exception {
        long constructed;
        long first;
        long primeNanos = -1;
        long restoreNanos = -1;
        long handleNanos;
        String answer;
        if (args[0].startsWith("webhook")) {
            WebhookHandler handler = new WebhookHandler();
            constructed = System.currentTimeMillis();
            Constructed.mark();
            if (args[0].equals("webhook-primed")) {
                long t0 = System.nanoTime();
                handler.beforeCheckpoint(null);
                long t1 = System.nanoTime();
                Primed.mark();
                handler.afterRestore(null);
                long t2 = System.nanoTime();
                Restored.mark();
                primeNanos = t1 - t0;
                restoreNanos = t2 - t1;
            }
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            long t0 = System.nanoTime();
            try (InputStream in = Files.newInputStream(Path.of(args[1]))) {
                handler.handleRequest(in, out, null);
            }
            handleNanos = System.nanoTime() - t0;
            first = System.currentTimeMillis();
            Handled.mark();
            String response = out.toString(StandardCharsets.UTF_8);
            answer = field(response, "\"statusCode\":", ",") + ":"
                    + field(response, "\"body\":\"", "\",").replace("\\\"", "\"");
        } else {
            DynamoDbClient client = DynamoClients.create(EnvironmentConfig.fromSystem());
            constructed = System.currentTimeMillis();
            Constructed.mark();
            long t0 = System.nanoTime();
            List<UpdateItemRequest> requests = readRequests(Path.of(args[1]),
                    System.getenv(EnvironmentConfig.TABLE_NAME));
            for (UpdateItemRequest request : requests) {
                client.updateItem(request);
            }
            handleNanos = System.nanoTime() - t0;
            first = System.currentTimeMillis();
            Handled.mark();
            answer = "200:UpdateItem×" + requests.size();
        }
        long jvmStart = ManagementFactory.getRuntimeMXBean().getStartTime();
        System.out.println("BENCH java=" + System.getProperty("java.version")
                + " constructed=" + (constructed - jvmStart)
                + " first=" + (first - jvmStart)
                + " launched=" + (first - Long.parseLong(args[2]))
                + " primeUs=" + (primeNanos < 0 ? -1 : primeNanos / 1000)
                + " restoreUs=" + (restoreNanos < 0 ? -1 : restoreNanos / 1000)
                + " handleUs=" + handleNanos / 1000
                + " classes=" + ManagementFactory.getClassLoadingMXBean().getTotalLoadedClassCount()
                + " answer=" + answer.replace(' ', '_'));
        System.out.flush();
        System.exit(0);
    }

    /** Loaded once the handler (or the hello's client) is built: marks the end of construction in a class-load log. */
    static final class Constructed {
        static void mark() {
        }
    }

    /** Loaded once priming (beforeCheckpoint) returned. */
    static final class Primed {
        static void mark() {
        }
    }

    /** Loaded once afterRestore returned. */
    static final class Restored {
        static void mark() {
        }
    }

    /** Loaded once the first event was handled (or the hello's requests answered). */
    static final class Handled {
        static void mark() {
        }
    }

    private static String field(String text, String start, String end) {
        int from = text.indexOf(start) + start.length();
        return text.substring(from, text.indexOf(end, from));
    }

    /**
     * UpdateItem requests as text for {@link #readRequests}, table left out: a line per request, each part base64
     * (UTF-8), space-separated: return values, update expression, condition expression ({@code -}: none), then
     * {@code K|N|V name type value} triples for key attributes, expression names and values (S, N or BOOL).
     */
    static String writeRequests(List<UpdateItemRequest> requests) {
        StringBuilder text = new StringBuilder();
        for (UpdateItemRequest r : requests) {
            List<String> parts = new ArrayList<>(List.of(
                    r.returnValuesAsString() == null ? "-" : r.returnValuesAsString(), r.updateExpression(),
                    r.conditionExpression() == null ? "-" : r.conditionExpression()));
            r.key().forEach((name, value) -> parts.addAll(attribute("K", name, value)));
            r.expressionAttributeNames().forEach((name, value) -> parts.addAll(List.of("N", name, "S", value)));
            r.expressionAttributeValues().forEach((name, value) -> parts.addAll(attribute("V", name, value)));
            parts.replaceAll(p -> Base64.getEncoder().encodeToString(p.getBytes(StandardCharsets.UTF_8)));
            text.append(String.join(" ", parts)).append('\n');
        }
        return text.toString();
    }

    private static List<String> attribute(String kind, String name, AttributeValue value) {
        return switch (value.type()) {
            case S -> List.of(kind, name, "S", value.s());
            case N -> List.of(kind, name, "N", value.n());
            case BOOL -> List.of(kind, name, "BOOL", value.bool().toString());
            default -> throw new IllegalStateException("cannot replay attribute type " + value.type() + " of " + name);
        };
    }

    private static List<UpdateItemRequest> readRequests(Path file, String table) throws java.io.IOException {
        List<UpdateItemRequest> requests = new ArrayList<>();
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            String[] parts = line.split(" ");
            for (int i = 0; i < parts.length; i++) {
                parts[i] = new String(Base64.getDecoder().decode(parts[i]), StandardCharsets.UTF_8);
            }
            Map<String, AttributeValue> key = new LinkedHashMap<>();
            Map<String, String> names = new LinkedHashMap<>();
            Map<String, AttributeValue> values = new LinkedHashMap<>();
            for (int i = 3; i < parts.length; i += 4) {
                String type = parts[i + 2];
                String text = parts[i + 3];
                AttributeValue value = type.equals("S") ? AttributeValue.fromS(text)
                        : type.equals("N") ? AttributeValue.fromN(text) : AttributeValue.fromBool(Boolean.valueOf(text));
                switch (parts[i]) {
                    case "K" -> key.put(parts[i + 1], value);
                    case "N" -> names.put(parts[i + 1], text);
                    default -> values.put(parts[i + 1], value);
                }
            }
            requests.add(UpdateItemRequest.builder().tableName(table).key(key)
                    .returnValues(parts[0].equals("-") ? null : parts[0])
                    .updateExpression(parts[1]).conditionExpression(parts[2].equals("-") ? null : parts[2])
                    .expressionAttributeNames(names.isEmpty() ? null : names)
                    .expressionAttributeValues(values.isEmpty() ? null : values).build());
        }
        return requests;
    }
}
