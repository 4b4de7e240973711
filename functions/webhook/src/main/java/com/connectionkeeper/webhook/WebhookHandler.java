package com.connectionkeeper.webhook;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.connectionkeeper.core.json.JsonText;
import com.connectionkeeper.secretsmanager.CredentialsConfig;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Lambda entry for POST /webhooks/snaptrade (API Gateway HTTP API, payload 2.0): reads the event from Lambda's
 * stream itself ({@link HttpApiEvent}), hands it to {@link WebhookEndpoint}, and writes the response API Gateway
 * expects (statusCode, headers, body), so the function carries no event-model library.
 */
public final class WebhookHandler implements RequestStreamHandler {
    private final WebhookEndpoint endpoint;

    /** Used by Lambda: builds the endpoint (DynamoDB client, verifier) once, from the environment. */
    public WebhookHandler() {
        this(WebhookEndpoint.fromConfig(CredentialsConfig.fromSystem()));
    }

    public WebhookHandler(WebhookEndpoint endpoint) {
        this.endpoint = endpoint;
    }

    @Override
    public void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
        HttpApiEvent event = HttpApiEvent.read(input);
        String requestId = event.requestId();
        if (requestId == null && context != null) {
            requestId = context.getAwsRequestId();
        }
        WebhookEndpoint.Reply reply = endpoint.handle(event.body(), event.isBase64Encoded(), event.signature(),
                requestId);
        StringBuilder response = new StringBuilder(96 + reply.body().length());
        response.append("{\"statusCode\":").append(reply.status())
                .append(",\"headers\":{\"content-type\":\"application/json\"},\"body\":");
        JsonText.string(response, reply.body());
        response.append(",\"isBase64Encoded\":false}");
        output.write(response.toString().getBytes(StandardCharsets.UTF_8));
    }
}
