package com.connectionkeeper.webhook;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.connectionkeeper.testkit.Dynalite;
import com.connectionkeeper.testkit.Fixtures;
import com.connectionkeeper.testkit.HttpApiInvoker;
import com.connectionkeeper.testkit.Integration;
import com.connectionkeeper.testkit.MutableClock;
import java.io.IOException;
import java.nio.file.Files;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * A consumer key rotated in the function's secrets reaches the webhook: at once when a webhook signed with the new key
 * arrives (its signature fails with the old one, the secrets are read again, it is checked with the new), and forged
 * webhooks cannot make the function read its secrets more than once per 30 s.
 */
@Integration
class WebhookKeyRotationTest {
    private final MutableClock clock = new MutableClock();
    private final RotatingKey secret = new RotatingKey("the-key-before-the-rotation");

    private WebhookHandler handler() {
        return new WebhookHandler(WebhookEndpoint.fromConfig(secret.config(Dynalite.createTable(), clock)));
    }

    private APIGatewayV2HTTPResponse invoke(WebhookHandler handler, String fixture) throws IOException {
        return HttpApiInvoker.invoke(handler, Files.readAllBytes(Fixtures.path(fixture)), null);
    }

    @Test
    void aWebhookSignedWithTheRotatedKeyIsAcceptedAtOnce() throws IOException {
        WebhookHandler handler = handler();
        assertEquals(401, invoke(handler, "webhook-connection-broken.json").getStatusCode(), "not our key yet");
        assertEquals(1, secret.reads.get(), "read at init; a rejection right after is not a reason to read again");

        secret.key = LocalWebhook.LOCAL_CONSUMER_KEY; // rotated in Secrets Manager
        clock.advance(Duration.ofSeconds(30));
        APIGatewayV2HTTPResponse accepted = invoke(handler, "webhook-connection-broken.json");
        assertEquals(200, accepted.getStatusCode(), accepted.getBody());
        assertEquals(2, secret.reads.get());
        assertEquals(200, invoke(handler, "webhook-connection-fixed.json").getStatusCode());
        assertEquals(2, secret.reads.get(), "the new key is held");
    }

    @Test
    void forgedWebhooksDoNotTurnIntoReads() throws IOException {
        secret.key = LocalWebhook.LOCAL_CONSUMER_KEY;
        WebhookHandler handler = handler();
        clock.advance(Duration.ofSeconds(30));
        for (int i = 0; i < 20; i++) {
            assertEquals(401, invoke(handler, "webhook-bad-forged.json").getStatusCode());
        }
        assertEquals(2, secret.reads.get(), "one read after the first forgery, none for the next 19 within 30 s");
        assertEquals(200, invoke(handler, "webhook-connection-added.json").getStatusCode());
    }

    @Test
    void theTtlBringsARotationWithoutARejection() throws IOException {
        WebhookHandler handler = handler();
        secret.key = LocalWebhook.LOCAL_CONSUMER_KEY;
        clock.advance(Duration.ofMinutes(5));
        assertEquals(200, invoke(handler, "webhook-connection-added.json").getStatusCode());
        assertEquals(2, secret.reads.get());
    }
}
