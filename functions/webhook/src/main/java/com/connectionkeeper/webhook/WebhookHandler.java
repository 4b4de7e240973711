package com.connectionkeeper.webhook;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.connectionkeeper.core.config.EnvironmentConfig;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * Lambda entry for POST /webhooks/snaptrade (API Gateway HTTP API, payload 2.0): reads the event from Lambda's
 * stream itself ({@link HttpApiEvent}), hands it to {@link WebhookEndpoint}, and writes the response API Gateway
 * expects (statusCode, headers, body), so the function carries no event-model library.
 */
public final class WebhookHandler implements RequestStreamHandler {
    private final WebhookEndpoint endpoint;

    /** Used by Lambda: builds the endpoint (DynamoDB client, verifier) once, from the environment. */
    public WebhookHandler() {
        this(WebhookEndpoint.fromConfig(EnvironmentConfig.fromSystem()));
    }

    public WebhookHandler(WebhookEndpoint endpoint) {
        this.endpoint = endpoint;
    }

    @Override
    public void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
        HttpApiEvent event = HttpApiEvent.read(WebhookEndpoint.JSON, input);
        String requestId = event.requestId();
        if (requestId == null && context != null) {
            requestId = context.getAwsRequestId();
        }
        WebhookEndpoint.Reply reply = endpoint.handle(event.body(), event.isBase64Encoded(), event.signature(),
                requestId);
        try (JsonGenerator g = WebhookEndpoint.JSON.createGenerator(output)) {
            g.writeStartObject();
            g.writeNumberField("statusCode", reply.status());
            g.writeObjectFieldStart("headers");
            g.writeStringField("content-type", "application/json");
            g.writeEndObject();
            g.writeStringField("body", reply.body());
            g.writeBooleanField("isBase64Encoded", false);
            g.writeEndObject();
        }
    }
}
