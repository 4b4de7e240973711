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
     * runtime streams it; {@code hello <requests.txt> <launchMillis>}: the client {@link DynamoClients} builds sends
     * the UpdateItem requests of {@link #writeRequests} to TABLE_NAME. Prints one {@code BENCH key=value ...} line.
     */
    public static void main(String[] args) throws Exception {
        long constructed;
        long first;
        String answer;
        if (args[0].equals("webhook")) {
            WebhookHandler handler = new WebhookHandler();
            constructed = System.currentTimeMillis();
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            try (InputStream in = Files.newInputStream(Path.of(args[1]))) {
                handler.handleRequest(in, out, null);
            }
            first = System.currentTimeMillis();
            String response = out.toString(StandardCharsets.UTF_8);
            answer = field(response, "\"statusCode\":", ",") + ":"
                    + field(response, "\"body\":\"", "\",").replace("\\\"", "\"");
        } else {
            DynamoDbClient client = DynamoClients.create(EnvironmentConfig.fromSystem());
            constructed = System.currentTimeMillis();
            List<UpdateItemRequest> requests = readRequests(Path.of(args[1]),
                    System.getenv(EnvironmentConfig.TABLE_NAME));
            for (UpdateItemRequest request : requests) {
                client.updateItem(request);
            }
            first = System.currentTimeMillis();
            answer = "200:UpdateItem×" + requests.size();
        }
        long jvmStart = ManagementFactory.getRuntimeMXBean().getStartTime();
        System.out.println("BENCH java=" + System.getProperty("java.version")
                + " constructed=" + (constructed - jvmStart)
                + " first=" + (first - jvmStart)
                + " launched=" + (first - Long.parseLong(args[2]))
                + " classes=" + ManagementFactory.getClassLoadingMXBean().getTotalLoadedClassCount()
                + " answer=" + answer.replace(' ', '_'));
        System.out.flush();
        System.exit(0);
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
