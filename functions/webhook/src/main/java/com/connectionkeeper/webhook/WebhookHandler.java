package com.connectionkeeper.webhook;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.connectionkeeper.core.config.EnvironmentConfig;
import java.util.Map;

/** Lambda entry for POST /webhooks/snaptrade (API Gateway HTTP API, payload 2.0): event in, {@link WebhookEndpoint}, response out. */
public final class WebhookHandler implements RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> {
    private static final Map<String, String> JSON_HEADERS = Map.of("content-type", "application/json");

    private final WebhookEndpoint endpoint;

    /** Used by Lambda: builds the endpoint (DynamoDB client, verifier) once, from the environment. */
    public WebhookHandler() {
        this(WebhookEndpoint.fromConfig(EnvironmentConfig.fromSystem()));
    }

    public WebhookHandler(WebhookEndpoint endpoint) {
        this.endpoint = endpoint;
    }

    @Override
    public APIGatewayV2HTTPResponse handleRequest(APIGatewayV2HTTPEvent event, Context context) {
        String requestId = event.getRequestContext() != null ? event.getRequestContext().getRequestId() : null;
        if (requestId == null && context != null) {
            requestId = context.getAwsRequestId();
        }
        WebhookEndpoint.Reply reply = endpoint.handle(event.getBody(), event.getIsBase64Encoded(),
                header(event.getHeaders(), "signature"), requestId);
        return APIGatewayV2HTTPResponse.builder()
                .withStatusCode(reply.status())
                .withHeaders(JSON_HEADERS)
                .withBody(reply.body())
                .build();
    }

    /** Header lookup ignoring case: API Gateway lower-cases names, other callers may not. */
    private static String header(Map<String, String> headers, String name) {
        if (headers == null) {
            return null;
        }
        for (Map.Entry<String, String> h : headers.entrySet()) {
            if (h.getKey() != null && h.getKey().equalsIgnoreCase(name)) {
                return h.getValue();
            }
        }
        return null;
    }
}
