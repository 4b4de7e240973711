package com.connectionkeeper.eventbus;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.connectionkeeper.core.lifecycle.ConnectionEvent;
import com.connectionkeeper.core.lifecycle.EventKind;
import com.connectionkeeper.core.lifecycle.Incident;
import com.connectionkeeper.core.lifecycle.IncidentEvent;
import com.connectionkeeper.core.lifecycle.ReminderEvent;
import com.connectionkeeper.core.lifecycle.UserEvent;
import com.connectionkeeper.core.model.ConnectionStatus;
import com.connectionkeeper.core.model.Source;
import com.connectionkeeper.core.snaptrade.ConnectionType;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** The detail layout (version 1), field by field: what README's event catalogue shows. */
class EventDetailsTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    static ConnectionEvent broken() {
        return new ConnectionEvent("0b7d3c2e-5f1a-8c4d-9e2f-3a4b5c6d7e8f", EventKind.CONNECTION_BROKEN,
                Instant.parse("2026-03-01T10:00:02Z"), "user-42", "conn-7",
                new ConnectionEvent.Brokerage("brk-robinhood", "ROBINHOOD", "Robinhood"), ConnectionType.TRADE,
                ConnectionStatus.ACTIVE, ConnectionStatus.BROKEN, Instant.parse("2026-03-01T10:00:00Z"),
                Source.WEBHOOK, Instant.parse("2026-03-01T10:00:00Z"), true);
    }

    @Test
    void aConnectionEvent() throws Exception {
        JsonNode detail = JSON.readTree(EventDetails.detail(broken()));
        assertEquals(JSON.readTree("""
                {"id":"0b7d3c2e-5f1a-8c4d-9e2f-3a4b5c6d7e8f","version":1,"time":"2026-03-01T10:00:02Z",
                 "data":{"userId":"user-42","connectionId":"conn-7",
                         "brokerage":{"id":"brk-robinhood","slug":"ROBINHOOD","name":"Robinhood"},
                         "type":"trade","from":"ACTIVE","to":"BROKEN","at":"2026-03-01T10:00:00Z","cause":"webhook",
                         "brokenSince":"2026-03-01T10:00:00Z","needsReconnect":true,
                         "suspectedIncident":false,"incidentId":null}}"""), detail);
    }

    @Test
    void aBreakMarkedAsPartOfASuspectedIncident() throws Exception {
        JsonNode data = JSON.readTree(EventDetails.detail(broken().withIncident("inc-1"))).get("data");
        assertEquals(true, data.get("suspectedIncident").asBoolean());
        assertEquals("inc-1", data.get("incidentId").asText());
        assertEquals("0b7d3c2e-5f1a-8c4d-9e2f-3a4b5c6d7e8f",
                JSON.readTree(EventDetails.detail(broken().withIncident("inc-1"))).get("id").asText(),
                "the same change, the same id");
    }

    static Incident suspected() {
        return Incident.suspected(new ConnectionEvent.Brokerage("brk-robinhood", "ROBINHOOD", "Robinhood"),
                Instant.parse("2026-03-01T09:41:07Z"), Instant.parse("2026-03-01T10:00:00Z"), Duration.ofMinutes(30),
                Instant.parse("2026-03-01T10:00:02Z"), 212, 480);
    }

    @Test
    void aSuspectedIncident() throws Exception {
        Incident incident = suspected();
        IncidentEvent event = new IncidentEvent("id-4", EventKind.BROKERAGE_INCIDENT_SUSPECTED,
                Instant.parse("2026-03-01T10:00:03Z"), incident);
        assertEquals(JSON.readTree("""
                {"id":"id-4","version":1,"time":"2026-03-01T10:00:03Z",
                 "data":{"incidentId":"%s",
                         "brokerage":{"id":"brk-robinhood","slug":"ROBINHOOD","name":"Robinhood"},
                         "status":"suspected","since":"2026-03-01T09:41:07Z","until":"2026-03-01T10:00:00Z",
                         "windowMinutes":30,"breaks":212,"knownConnections":480,
                         "suspectedAt":"2026-03-01T10:00:02Z","endedAt":null,"endReason":null,
                         "total":null,"stillBroken":null}}""".formatted(incident.id())),
                JSON.readTree(EventDetails.detail(event)));
    }

    @Test
    void anEndedIncident() throws Exception {
        Incident ended = suspected().ended(Instant.parse("2026-03-01T13:20:00Z"), Incident.EndReason.REPAIRED,
                230, 96);
        JsonNode data = JSON.readTree(EventDetails.detail(new IncidentEvent("id-5",
                EventKind.BROKERAGE_INCIDENT_ENDED, Instant.parse("2026-03-01T13:20:01Z"), ended))).get("data");
        assertEquals(suspected().id(), data.get("incidentId").asText(), "the suspected one's id");
        assertEquals("ended", data.get("status").asText());
        assertEquals("2026-03-01T13:20:00Z", data.get("endedAt").asText());
        assertEquals("repaired", data.get("endReason").asText());
        assertEquals(230, data.get("total").asInt());
        assertEquals(96, data.get("stillBroken").asInt());
        assertEquals(212, data.get("breaks").asInt(), "what it was suspected on stays");
    }

    @Test
    void unknownsAreNullNotMissing() throws Exception {
        ConnectionEvent firstSeen = new ConnectionEvent("id-1", EventKind.CONNECTION_ADDED,
                Instant.parse("2026-03-01T10:00:02Z"), "u\"1", "c\n1", ConnectionEvent.Brokerage.UNKNOWN, null,
                null, ConnectionStatus.ACTIVE, Instant.parse("2026-03-01T10:00:00Z"), null, null, false);
        JsonNode data = JSON.readTree(EventDetails.detail(firstSeen)).get("data");
        assertEquals("u\"1", data.get("userId").asText());
        assertEquals("c\n1", data.get("connectionId").asText());
        for (String field : new String[] {"type", "from", "cause", "brokenSince"}) {
            assertEquals(true, data.get(field).isNull(), field);
        }
        assertEquals(true, data.get("brokerage").get("slug").isNull());
        assertEquals(false, data.get("needsReconnect").asBoolean());
    }

    @Test
    void aReminder() throws Exception {
        ReminderEvent reminder = new ReminderEvent("id-3", EventKind.CONNECTION_RECONNECT_REMINDER,
                Instant.parse("2026-03-04T10:05:01Z"), "user-42", "conn-7",
                new ConnectionEvent.Brokerage("brk-robinhood", "ROBINHOOD", "Robinhood"), ConnectionType.TRADE, 2,
                Instant.parse("2026-03-01T10:00:00Z"), 3, true, Instant.parse("2026-03-04T10:05:00Z"));
        assertEquals(JSON.readTree("""
                {"id":"id-3","version":1,"time":"2026-03-04T10:05:01Z",
                 "data":{"userId":"user-42","connectionId":"conn-7",
                         "brokerage":{"id":"brk-robinhood","slug":"ROBINHOOD","name":"Robinhood"},"type":"trade",
                         "step":2,"brokenSince":"2026-03-01T10:00:00Z","daysBroken":3,
                         "linkIssuedSinceLastReminder":true,"at":"2026-03-04T10:05:00Z","needsReconnect":true}}"""),
                JSON.readTree(EventDetails.detail(reminder)));
    }

    @Test
    void aUserEvent() throws Exception {
        UserEvent deleted = new UserEvent("id-2", EventKind.USER_DELETED, Instant.parse("2026-03-01T12:00:01Z"),
                "user-42", Instant.parse("2026-03-01T12:00:00Z"), Source.API);
        assertEquals(JSON.readTree("""
                {"id":"id-2","version":1,"time":"2026-03-01T12:00:01Z",
                 "data":{"userId":"user-42","at":"2026-03-01T12:00:00Z","cause":"api"}}"""),
                JSON.readTree(EventDetails.detail(deleted)));
    }
}
