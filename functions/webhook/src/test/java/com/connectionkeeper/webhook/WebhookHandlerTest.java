package com.connectionkeeper.webhook;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.connectionkeeper.core.model.ConnectionState;
import com.connectionkeeper.core.model.ConnectionStatus;
import com.connectionkeeper.core.model.HistoryEntry;
import com.connectionkeeper.core.model.IngestResult;
import com.connectionkeeper.core.model.UserState;
import com.connectionkeeper.core.model.UserStatus;
import com.connectionkeeper.core.model.Watermark;
import com.connectionkeeper.testkit.Fixtures;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.time.OffsetDateTime;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The webhook function end to end on dynalite, driven by the events/ fixtures (the same files as sam local invoke). */
class WebhookHandlerTest {
    private LocalWebhook webhook;

    @BeforeEach
    void freshTable() {
        webhook = LocalWebhook.fresh();
    }

    /** The webhook payload inside a fixture. */
    static JsonNode payload(String fixture) {
        try {
            APIGatewayV2HTTPEvent event = LocalWebhook.event(fixture);
            return event.getIsBase64Encoded()
                    ? LocalWebhook.JSON.readTree(java.util.Base64.getDecoder().decode(event.getBody()))
                    : LocalWebhook.JSON.readTree(event.getBody());
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    private static String text(JsonNode payload, String field) {
        return payload.get(field).asText();
    }

    private void assertAnswer(int status, String answer, APIGatewayV2HTTPResponse response) {
        assertEquals(status, response.getStatusCode(), response.getBody());
        assertEquals(answer, LocalWebhook.answer(response));
        assertEquals("application/json", response.getHeaders().get("content-type"));
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
        "webhook-connection-broken.json, BROKEN",
        "webhook-connection-broken-base64.json, BROKEN",
        "webhook-connection-broken-oauth.json, BROKEN",
        "webhook-connection-fixed.json, ACTIVE",
        "webhook-connection-added.json, ACTIVE",
        "webhook-connection-deleted.json, DELETED",
        "webhook-connection-updated.json, ACTIVE",
    })
    void connectionEventsSetTheConnectionsStatus(String fixture, ConnectionStatus expected) {
        JsonNode p = payload(fixture);
        String connectionId = p.has("brokerageAuthorizationId")
                ? text(p, "brokerageAuthorizationId") : text(p, "connectionId");

        assertAnswer(200, "applied", webhook.invoke(fixture));

        ConnectionState c = webhook.connection(text(p, "userId"), connectionId);
        assertEquals(expected, c.status());
        assertEquals(text(p, "eventType"), c.lastEventType());
        assertEquals("webhook", c.source().wire());
        assertTrue(c.watermark().encoded().startsWith(
                Watermark.timeKey(OffsetDateTime.parse(text(p, "eventTimestamp")).toInstant())), "watermark time");
        if (expected == ConnectionStatus.BROKEN) {
            assertEquals(OffsetDateTime.parse(text(p, "eventTimestamp")).toInstant(), c.brokenSince());
            assertTrue(c.needsReconnect());
        } else {
            assertNull(c.brokenSince());
        }
        assertEquals(p.get("eventType").asText().equals("CONNECTION_UPDATED"), c.needsVerification());
        if (p.has("brokerageId")) {
            assertEquals(text(p, "brokerageId"), c.brokerageId());
        }
    }

    @Test
    void aConnectionsWholeLifeInOrderThenReplayedAndOutOfOrder() {
        String user = text(payload("webhook-lifecycle-1-connection-added.json"), "userId");
        String id = text(payload("webhook-lifecycle-1-connection-added.json"), "brokerageAuthorizationId");
        String[] steps = {"1-connection-added", "2-connection-broken", "3-connection-fixed", "4-connection-updated",
            "5-connection-broken", "6-connection-deleted"};
        ConnectionStatus[] after = {ConnectionStatus.ACTIVE, ConnectionStatus.BROKEN, ConnectionStatus.ACTIVE,
            ConnectionStatus.ACTIVE, ConnectionStatus.BROKEN, ConnectionStatus.DELETED};
        for (int i = 0; i < steps.length; i++) {
            String fixture = "webhook-lifecycle-" + steps[i] + ".json";
            assertAnswer(200, "applied", webhook.invoke(fixture));
            ConnectionState c = webhook.connection(user, id);
            assertEquals(after[i], c.status(), fixture);
            if (after[i] == ConnectionStatus.BROKEN) {
                assertEquals(OffsetDateTime.parse(text(payload(fixture), "eventTimestamp")).toInstant(),
                        c.brokenSince());
            }
            if (i == 2) {
                assertEquals(OffsetDateTime.parse(text(payload(fixture), "eventTimestamp")).toInstant(), c.fixedAt());
            }
            if (i == 3 || i == 4) {
                assertTrue(c.needsVerification(), "UPDATED flags the connection until the sweep verifies it");
            }
        }
        ConnectionState end = webhook.connection(user, id);
        assertFalse(end.needsVerification(), "a deleted connection is not queued for verification");

        // SnapTrade retries and late, out-of-order deliveries change nothing
        assertAnswer(200, "duplicate", webhook.invoke("webhook-lifecycle-6-connection-deleted.json"));
        assertAnswer(200, "duplicate", webhook.invoke("webhook-lifecycle-3-connection-fixed.json"));
        assertEquals(end, webhook.connection(user, id));

        List<HistoryEntry> history = webhook.connections.history(user, id);
        assertEquals(6, history.size());
        for (int i = 1; i < history.size(); i++) {
            assertTrue(history.get(i - 1).eventTime().isBefore(history.get(i).eventTime()), "time order");
        }
        assertTrue(history.stream().allMatch(d -> d.result() == IngestResult.APPLIED));
        assertEquals(2, webhook.probe.deliveryCount(history.get(5)), "the redelivery is counted");
    }

    @Test
    void anOlderEventAfterANewerOneIsKeptAsStale() {
        String user = text(payload("webhook-lifecycle-1-connection-added.json"), "userId");
        String id = text(payload("webhook-lifecycle-1-connection-added.json"), "brokerageAuthorizationId");
        assertAnswer(200, "applied", webhook.invoke("webhook-lifecycle-3-connection-fixed.json"));
        ConnectionState fixed = webhook.connection(user, id);

        assertAnswer(200, "stale", webhook.invoke("webhook-lifecycle-2-connection-broken.json"));

        assertEquals(fixed, webhook.connection(user, id));
        assertEquals(List.of(IngestResult.STALE, IngestResult.APPLIED),
                webhook.connections.history(user, id).stream().map(HistoryEntry::result).toList());
    }

    @Test
    void userEventsAreRecordedOnTheUser() {
        String user = text(payload("webhook-user-registered.json"), "userId");
        assertAnswer(200, "applied", webhook.invoke("webhook-user-registered.json"));
        assertEquals(UserStatus.ACTIVE, webhook.connections.user(user).orElseThrow().status());

        assertAnswer(200, "applied", webhook.invoke("webhook-connection-attempted.json"));
        UserState u = webhook.connections.user(user).orElseThrow();
        assertEquals("CONNECTION_ATTEMPTED", u.lastAttempt().eventType());
        assertEquals(text(payload("webhook-connection-attempted.json"), "connectionAttemptedResult"),
                u.lastAttempt().result());
        assertEquals(text(payload("webhook-connection-attempted.json"), "brokerageId"), u.lastAttempt().brokerageId());
        assertAnswer(200, "applied", webhook.invoke("webhook-connection-failed.json"));
        assertEquals("CONNECTION_FAILED", webhook.connections.user(user).orElseThrow().lastAttempt().eventType());
    }

    @Test
    void userDeletionDeletesEveryConnectionOfTheUser() {
        String user = text(payload("webhook-user-deleted.json"), "userId");
        webhook.invoke("webhook-lifecycle-1-connection-added.json"); // 2022-06-0x: newer than the deletion sample
        webhook.invoke("webhook-connection-broken.json"); // same instant as the deletion: the deletion wins the tie
        webhook.invoke("webhook-connection-added.json");

        assertAnswer(200, "applied", webhook.invoke("webhook-user-deleted.json"));

        UserState u = webhook.connections.user(user).orElseThrow();
        assertEquals(UserStatus.DELETED, u.status());
        assertNotNull(u.deletedAt());
        assertEquals(ConnectionStatus.DELETED, webhook.connection(user,
                text(payload("webhook-connection-broken.json"), "brokerageAuthorizationId")).status());
        assertEquals(ConnectionStatus.DELETED, webhook.connection(user,
                text(payload("webhook-connection-added.json"), "brokerageAuthorizationId")).status());
        assertEquals(ConnectionStatus.ACTIVE, webhook.connection(user,
                text(payload("webhook-lifecycle-1-connection-added.json"), "brokerageAuthorizationId")).status(),
                "an event newer than the deletion keeps its connection");
        assertTrue(webhook.probe.brokenConnections().isEmpty());
    }

    @ParameterizedTest
    @CsvSource({
        "webhook-new-account-available.json", "webhook-account-removed.json",
        "webhook-account-transactions-initial-update.json", "webhook-account-transactions-updated.json",
        "webhook-account-holdings-updated.json", "webhook-trade-detection.json", "webhook-trade-update.json",
        "webhook-unknown-type.json",
    })
    void accountTradeAndUnknownEventsAreRecordedAndIgnored(String fixture) {
        JsonNode p = payload(fixture);
        String connectionId = p.has("brokerageAuthorizationId") ? text(p, "brokerageAuthorizationId") : null;

        assertAnswer(200, "ignored", webhook.invoke(fixture));
        assertAnswer(200, "duplicate", webhook.invoke(fixture));

        List<HistoryEntry> history = webhook.connections.history(text(p, "userId"), connectionId);
        assertEquals(1, history.size());
        assertEquals(text(p, "eventType"), history.get(0).eventType());
        assertEquals(IngestResult.IGNORED, history.get(0).result());
        if (connectionId != null) {
            assertTrue(webhook.connections.connection(text(p, "userId"), connectionId).isEmpty(),
                    "record-only events create no connection");
        }
    }

    @Test
    void historyKeepsThePayloadWithoutTheWebhookSecret() throws IOException {
        JsonNode p = payload("webhook-connection-broken.json");
        assertTrue(p.has("webhookSecret"));
        webhook.invoke("webhook-connection-broken.json");

        HistoryEntry d = webhook.connections.history(text(p, "userId"), text(p, "brokerageAuthorizationId")).get(0);
        JsonNode kept = LocalWebhook.JSON.readTree(d.recordedJson());
        assertFalse(kept.has("webhookSecret"));
        assertEquals(p.get("brokerageAuthorizationId"), kept.get("brokerageAuthorizationId"));
        assertFalse(webhook.scan().toString().contains(text(p, "webhookSecret")), "secret nowhere in the table");
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
        "webhook-bad-forged.json, 401, invalid Signature",
        "webhook-bad-tampered.json, 401, invalid Signature",
        "webhook-bad-unsigned.json, 401, missing Signature header",
        "webhook-bad-malformed.json, 400, body is not valid JSON",
        "webhook-bad-not-object.json, 400, body must be a JSON object",
        "webhook-bad-missing-fields.json, 400, webhookId is required",
    })
    void badFixturesAreRejectedAndChangeNothing(String fixture, int status, String error) {
        assertAnswer(status, error, webhook.invoke(fixture));
        assertEquals(List.of(), webhook.scan());
    }

    @Test
    void everyFixtureIsAnApiGatewayHttpApiEventForTheWebhookRoute() {
        for (String name : Fixtures.jsonNames()) {
            if (!name.startsWith("webhook-")) {
                continue;
            }
            APIGatewayV2HTTPEvent e = LocalWebhook.event(name);
            assertEquals("POST /webhooks/snaptrade", e.getRouteKey(), name);
            assertEquals("2.0", e.getVersion(), name);
            assertEquals("POST", e.getRequestContext().getHttp().getMethod(), name);
        }
    }
}
