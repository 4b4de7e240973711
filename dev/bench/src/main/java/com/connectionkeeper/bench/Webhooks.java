package com.connectionkeeper.bench;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.connectionkeeper.core.ingest.WebhookIngestion;
import com.connectionkeeper.core.secrets.LocalSealer;
import com.connectionkeeper.signature.CanonicalJson;
import com.connectionkeeper.signature.WebhookVerifier;
import com.connectionkeeper.store.DynamoStores;
import com.connectionkeeper.webhook.WebhookEndpoint;
import com.connectionkeeper.webhook.WebhookHandler;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/** Signed API Gateway v2 webhook events with bodies of our own: fresh ids, ever-later eventTimestamps. */
final class Webhooks {
    /** The local consumer key every fixture under events/ is signed with. */
    static final String CONSUMER_KEY = "local-snaptrade-consumer-key";
    private static final Instant START = Instant.parse("2024-01-01T00:00:00Z");

    private final WebhookVerifier verifier = new WebhookVerifier(CONSUMER_KEY);
    private final ObjectMapper json = new ObjectMapper();
    private long tick;

    /** The webhook function as production wires it, on this client and table. */
    static WebhookHandler handler(DynamoDbClient client, String table) {
        return new WebhookHandler(new WebhookEndpoint(new WebhookVerifier(CONSUMER_KEY),
                new WebhookIngestion(DynamoStores.create(client, table, Duration.ofDays(1),
                        LocalSealer.ephemeral()).connections(),
                        Clock.systemUTC())));
    }

    static String id() {
        return UUID.randomUUID().toString();
    }

    /** A moment later than every one this returned before. */
    Instant next() {
        return START.plusSeconds(++tick);
    }

    /** A SnapTrade-shaped body; {@code connectionId} may be null (user events). */
    String body(String webhookId, String type, String userId, String connectionId, Instant time) {
        ObjectNode body = json.createObjectNode()
                .put("webhookId", webhookId)
                .put("clientId", "bench")
                .put("eventTimestamp", time.toString())
                .put("userId", userId)
                .put("eventType", type);
        if (connectionId != null) {
            body.put("brokerageAuthorizationId", connectionId);
        }
        return body.put("webhookSecret", "bench-secret").toString();
    }

    /** A new webhook (fresh id) at the next moment. */
    APIGatewayV2HTTPEvent event(String type, String userId, String connectionId) {
        return event(body(id(), type, userId, connectionId, next()));
    }

    /** The event API Gateway would deliver for {@code body}, signed over its canonical form. */
    APIGatewayV2HTTPEvent event(String body) {
        return APIGatewayV2HTTPEvent.builder()
                .withBody(body)
                .withIsBase64Encoded(false)
                .withHeaders(Map.of("content-type", "application/json",
                        "signature", verifier.sign(CanonicalJson.canonicalize(body))))
                .withRequestContext(APIGatewayV2HTTPEvent.RequestContext.builder().withRequestId(id()).build())
                .build();
    }
}
