package com.connectionkeeper.bench;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.connectionkeeper.core.config.EnvironmentConfig;
import com.connectionkeeper.store.DynamoClients;
import com.connectionkeeper.webhook.WebhookHandler;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** Child-JVM main for {@link ColdStart}: one first event (or one GetItem), timed from JVM start. */
public final class ColdStartMain {
    private ColdStartMain() {
    }

    /**
     * {@code webhook <event.json> <launchMillis>}: the real no-arg handler handles the fixture; {@code hello -
     * <launchMillis>}: the same DynamoDB client does one GetItem. Prints one {@code BENCH key=value ...} line.
     */
    public static void main(String[] args) throws Exception {
        long constructed;
        String answer;
        if (args[0].equals("webhook")) {
            WebhookHandler handler = new WebhookHandler();
            constructed = System.currentTimeMillis();
            APIGatewayV2HTTPResponse response = handler.handleRequest(event(Path.of(args[1])), null);
            answer = response.getStatusCode() + ":" + response.getBody();
        } else {
            DynamoDbClient client = DynamoClients.create(EnvironmentConfig.fromSystem());
            constructed = System.currentTimeMillis();
            boolean found = client.getItem(r -> r.tableName(System.getenv(EnvironmentConfig.TABLE_NAME))
                    .key(Map.of("pk", AttributeValue.fromS("USER#hello"), "sk", AttributeValue.fromS("USER")))
                    .consistentRead(true)).hasItem();
            answer = "200:GetItem(found=" + found + ")";
        }
        long first = System.currentTimeMillis();
        long jvmStart = ManagementFactory.getRuntimeMXBean().getStartTime();
        System.out.println("BENCH java=" + System.getProperty("java.version")
                + " constructed=" + (constructed - jvmStart)
                + " first=" + (first - jvmStart)
                + " launched=" + (first - Long.parseLong(args[2]))
                + " answer=" + answer.replace(' ', '_'));
        System.out.flush();
        System.exit(0);
    }

    /** The fields of an API Gateway v2 fixture the handler reads. */
    private static APIGatewayV2HTTPEvent event(Path file) throws IOException {
        JsonNode root = new ObjectMapper().readTree(file.toFile());
        Map<String, String> headers = new LinkedHashMap<>();
        root.path("headers").properties().forEach(h -> headers.put(h.getKey(), h.getValue().asText()));
        return APIGatewayV2HTTPEvent.builder()
                .withBody(root.path("body").asText())
                .withIsBase64Encoded(root.path("isBase64Encoded").asBoolean())
                .withHeaders(headers)
                .withRequestContext(APIGatewayV2HTTPEvent.RequestContext.builder()
                        .withRequestId(root.path("requestContext").path("requestId").asText())
                        .build())
                .build();
    }
}
