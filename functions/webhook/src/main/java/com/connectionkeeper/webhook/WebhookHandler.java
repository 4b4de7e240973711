package com.connectionkeeper.webhook;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.connectionkeeper.core.config.EnvironmentVariables;
import com.connectionkeeper.core.json.JsonText;
import com.connectionkeeper.core.log.JsonLog;
import com.connectionkeeper.core.runtime.Entropy;
import com.connectionkeeper.core.runtime.SnapStartPriming;
import com.connectionkeeper.secretsmanager.CredentialsConfig;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import org.crac.Core;
import org.crac.Resource;

/**
 * Lambda entry for POST /webhooks/snaptrade (API Gateway HTTP API, payload 2.0): reads the event from Lambda's
 * stream itself ({@link HttpApiEvent}), hands it to {@link WebhookEndpoint}, and writes the response API Gateway
 * expects (statusCode, headers, body), so the function carries no event-model library.
 */
public final class WebhookHandler implements RequestStreamHandler, Resource {
    /**
     * What SnapStart priming runs through the event reader and the endpoint: a webhook as API Gateway hands it over,
     * for a user and connection no one has (the signature is computed by the priming itself, with the key in force).
     */
    static final String PRIMING_EVENT = "{\"version\":\"2.0\",\"routeKey\":\"POST /webhooks/snaptrade\","
            + "\"rawPath\":\"/webhooks/snaptrade\",\"headers\":{\"content-type\":\"application/json\","
            + "\"signature\":\"priming\"},\"requestContext\":{\"requestId\":\"snapstart-priming\"},"
            + "\"body\":\"{\\n  \\\"webhookId\\\": \\\"snapstart-priming\\\",\\n  \\\"clientId\\\": \\\"PRIMING\\\",\\n"
            + "  \\\"eventTimestamp\\\": \\\"2024-01-01T00:00:00.000000+00:00\\\",\\n"
            + "  \\\"userId\\\": \\\"snapstart-priming\\\",\\n  \\\"eventType\\\": \\\"CONNECTION_BROKEN\\\",\\n"
            + "  \\\"brokerageAuthorizationId\\\": \\\"00000000-0000-0000-0000-000000000000\\\"\\n}\","
            + "\"isBase64Encoded\":false}";
    private final WebhookEndpoint endpoint;

    /**
     * Used by Lambda: builds the endpoint (DynamoDB client, verifier) once, from the environment, and registers the
     * SnapStart hooks (a no-op where the JVM has no CRaC).
     */
    public WebhookHandler() {
        this(WebhookEndpoint.fromConfig(CredentialsConfig.fromSystem()));
        Core.getGlobalContext().register(this);
        EnvironmentVariables.logReads("webhook");
    }

    public WebhookHandler(WebhookEndpoint endpoint) {
        this.endpoint = endpoint;
    }

    /**
     * SnapStart, before the snapshot: {@link #PRIMING_EVENT} through the event reader and {@link WebhookEndpoint#prime}
     * (no write, no metric, no one's data).
     */
    @Override
    public void beforeCheckpoint(org.crac.Context<? extends Resource> context) {
        SnapStartPriming.attempt("webhook", "event", this::prime); // never fails the snapshot
    }

    /**
     * SnapStart, after a restore: randomness is re-seeded for this environment, and the secrets are counted as expired
     * (the first webhook reads them again before verifying: no network call here, a restore hook has 10 s).
     */
    @Override
    public void afterRestore(org.crac.Context<? extends Resource> context) {
        Entropy.reseed();
        endpoint.restore();
        JsonLog.info("snapstart_restored", "function", "webhook");
    }

    WebhookEndpoint.Priming prime() {
        HttpApiEvent event;
        try {
            event = HttpApiEvent.read(new ByteArrayInputStream(PRIMING_EVENT.getBytes(StandardCharsets.UTF_8)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return endpoint.prime(event.body().getBytes(StandardCharsets.UTF_8));
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
