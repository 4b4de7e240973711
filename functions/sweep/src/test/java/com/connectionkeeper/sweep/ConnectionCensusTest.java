package com.connectionkeeper.sweep;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.connectionkeeper.core.ingest.WebhookIngestion;
import com.connectionkeeper.core.model.EventType;
import com.connectionkeeper.core.model.IngestResult;
import com.connectionkeeper.core.model.WebhookEvent;
import com.connectionkeeper.core.secrets.LocalSealer;
import com.connectionkeeper.core.sweep.ConnectionCensus.Census;
import com.connectionkeeper.core.sweep.ConnectionCensus.Count;
import com.connectionkeeper.store.Attributes;
import com.connectionkeeper.store.DynamoStores;
import com.connectionkeeper.testkit.Dynalite;
import com.connectionkeeper.testkit.Integration;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The census index (ByBrokerage) counts every connection by its brokerage: a connection whose brokerage is not known
 * yet counts under "?" until one is, and a brokerage id no index key may hold (blank, too long: a webhook's field is
 * not trusted) never makes the write fail — the webhook is applied all the same (dynalite accepts keys DynamoDB
 * refuses, blank or over 1,024 bytes: what this test holds is that none is written).
 */
@Integration
class ConnectionCensusTest {
    private static final Instant T = Instant.parse("2024-01-01T00:00:00Z");
    private final DynamoStores stores = DynamoStores.create(Dynalite.client(), Dynalite.createTable(),
            Duration.ofDays(1), LocalSealer.ephemeral());
    private final WebhookIngestion ingestion = new WebhookIngestion(stores.connections(), Clock.systemUTC());
    private final DynamoConnectionCensus census = new DynamoConnectionCensus(stores.table());

    private IngestResult event(String id, String user, EventType type, int second, String connection,
                               String brokerage) {
        return ingestion.ingest(new WebhookEvent(id, user, type, type.name(), T.plusSeconds(second), connection,
                brokerage, null, "{}"));
    }

    @Test
    void connectionsCountByBrokerageUnknownOnesUnderAQuestionMarkUntilKnown() {
        assertEquals(IngestResult.APPLIED, event("w1", "u1", EventType.CONNECTION_ADDED, 1, "c1", "b-alpaca"));
        assertEquals(IngestResult.APPLIED, event("w2", "u1", EventType.CONNECTION_BROKEN, 2, "c1", null));
        assertEquals(IngestResult.APPLIED, event("w3", "u2", EventType.CONNECTION_BROKEN, 3, "c2", null));
        assertEquals(Map.of("b-alpaca", new Count(1, 1), "?", new Count(1, 1)), census.connectionsByBrokerage(),
                "a break without a brokerage keeps the one known; a first sight without one counts under ?");

        assertEquals(IngestResult.APPLIED, event("w4", "u2", EventType.CONNECTION_FIXED, 4, "c2", "b-quest"));
        assertEquals(IngestResult.APPLIED, event("w5", "u1", EventType.CONNECTION_DELETED, 5, "c1", "b-alpaca"));
        Census now = new Census(census.users(), census.connectionsByBrokerage());
        assertEquals(Map.of("b-quest", new Count(1, 0)), now.byBrokerage(), "deleted ones leave the census");
        assertEquals(new Count(1, 0), now.total());
        assertEquals(1, stores.table().indexCount(DynamoConnectionCensus.BY_BROKERAGE_INDEX, Attributes.ENTITY,
                Attributes.CONNECTION_ENTITY), "a deleted connection leaves the index: no census reads it again");
    }

    @Test
    void aBrokerageIdNoIndexKeyCanHoldIsAppliedAndCountedAsUnknown() {
        assertEquals(IngestResult.APPLIED, event("x1", "v1", EventType.CONNECTION_ADDED, 1, "d1", ""));
        assertEquals(IngestResult.APPLIED, event("x2", "v1", EventType.CONNECTION_ADDED, 1, "d2", "   "));
        assertEquals(IngestResult.APPLIED, event("x3", "v1", EventType.CONNECTION_ADDED, 1, "d3", "b".repeat(1025)));
        assertEquals(Map.of("?", new Count(3, 0)), census.connectionsByBrokerage());
    }
}
