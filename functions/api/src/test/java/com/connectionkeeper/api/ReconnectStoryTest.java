package com.connectionkeeper.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.connectionkeeper.core.model.ConnectionState;
import com.connectionkeeper.core.model.ConnectionStatus;
import com.connectionkeeper.core.model.Source;
import com.connectionkeeper.simulator.Endpoint;
import com.connectionkeeper.simulator.PortalBrowser;
import com.connectionkeeper.simulator.RecordedRequest;
import com.connectionkeeper.testkit.Integration;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The whole story on dynalite and the simulator: SnapTrade breaks a connection, its webhook arrives, the app sees
 * {@code needsReconnect}, asks for a reconnect link, the user completes the simulator's portal and lands on our
 * return landing — the connection is ACTIVE before SnapTrade's FIXED webhook arrives, which then changes nothing.
 * SnapTrade's webhooks are taken from the simulator (signed) and handed to the real webhook handler in the order
 * the test chooses, so the FIXED one can be held back as a slow delivery would be.
 */
@Integration
class ReconnectStoryTest {
    private LocalApi api;

    @BeforeEach
    void start() {
        api = new LocalApi();
    }

    @AfterEach
    void stop() {
        api.close();
    }

    /** Hands SnapTrade's one webhook of this type for the connection to our webhook function; its result. */
    private String deliver(String eventType, String connectionId) {
        List<String> results = api.deliver(eventType, connectionId);
        assertEquals(1, results.size(), eventType + " webhooks for " + connectionId);
        return results.get(0);
    }

    private ConnectionState connection(String userId, String connectionId) {
        return api.connections.connection(userId, connectionId).orElseThrow();
    }

    @Test
    void brokenByWebhookRepairedThroughThePortalConfirmedAtTheLandingBeforeTheFixedWebhook() {
        assertEquals(201, api.register("alice").getStatusCode());
        String c = api.simulator.control().addConnection("alice", "ALPACA", "trade");
        assertEquals("applied", deliver("CONNECTION_ADDED", c));

        // SnapTrade breaks it; its webhook reaches us
        api.simulator.control().breakConnection(c);
        assertEquals("applied", deliver("CONNECTION_BROKEN", c));
        JsonNode listed = LocalApi.body(api.connections("alice")).path("connections").get(0);
        assertEquals(c, listed.path("connectionId").asText());
        assertEquals("BROKEN", listed.path("status").asText());
        assertTrue(listed.path("needsReconnect").asBoolean());
        assertEquals("webhook", listed.path("source").asText());

        // the app asks for the link; SnapTrade is asked for reconnect mode on that connection, keeping its type
        APIGatewayV2HTTPResponse linkResponse = api.reconnectLink("alice", c,
                "{\"redirectUrl\":\"" + LocalApi.APP_RETURN + "?tab=brokerages\"}");
        assertEquals(200, linkResponse.getStatusCode(), linkResponse.getBody());
        JsonNode link = LocalApi.body(linkResponse);
        assertEquals("trade", link.path("type").asText());
        RecordedRequest login = api.simulator.requests().of(Endpoint.LOGIN).get(0);
        assertEquals(c, login.bodyField("reconnect"));
        assertEquals("trade", login.bodyField("connectionType"));
        assertTrue(login.bodyField("customRedirect").startsWith(LocalApi.LANDING + "?state="));
        assertFalse(link.path("sessionId").asText().isEmpty());

        // the user completes the portal; the browser is sent to our landing
        String landing = PortalBrowser.complete(link.path("redirectURI").asText(), "SUCCESS");
        APIGatewayV2HTTPResponse back = api.landAt(landing);

        assertEquals(302, back.getStatusCode(), back.getBody());
        assertEquals(LocalApi.APP_RETURN + "?tab=brokerages&status=SUCCESS&connectionId=" + c,
                LocalApi.outcomeOf(back.getHeaders().get("location")));
        ConnectionState repaired = connection("alice", c);
        assertEquals(ConnectionStatus.ACTIVE, repaired.status());
        assertEquals(Source.PORTAL, repaired.source());
        assertEquals(c, api.simulator.control().connections("alice").get(0).id(), "the same connection, no new one");
        assertEquals(1, api.simulator.control().connections("alice").size());
        assertFalse(LocalApi.body(api.connections("alice")).path("connections").get(0).path("needsReconnect")
                .asBoolean());

        // SnapTrade's FIXED webhook arrives late and changes nothing
        var before = api.scan().stream().filter(i -> i.get("sk").s().startsWith("CONN#")).toList();
        assertEquals("stale", deliver("CONNECTION_FIXED", c));
        assertEquals(before, api.scan().stream().filter(i -> i.get("sk").s().startsWith("CONN#")).toList());

        // the same landing again (a reload) gets the same answer, without SnapTrade and without a write
        var all = api.scan();
        int details = api.simulator.requests().count(Endpoint.DETAIL_AUTHORIZATION);
        APIGatewayV2HTTPResponse replay = api.landAt(landing);
        assertEquals(302, replay.getStatusCode());
        assertEquals(back.getHeaders().get("location"), replay.getHeaders().get("location"));
        assertEquals(all, api.scan());
        assertEquals(details, api.simulator.requests().count(Endpoint.DETAIL_AUTHORIZATION));
    }
}
