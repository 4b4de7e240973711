package com.connectionkeeper.sweep;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.connectionkeeper.core.ingest.WebhookIngestion;
import com.connectionkeeper.core.model.ConnectionStatus;
import com.connectionkeeper.core.model.EventType;
import com.connectionkeeper.core.model.IngestResult;
import com.connectionkeeper.core.model.WebhookEvent;
import java.time.Clock;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Webhooks and sweep observations of the same connection, interleaved, on dynalite and the simulator: whichever
 * is newer by its own time wins, whatever order they arrive in.
 */
class WebhookSweepOrderTest {
    private LocalSweep sweep;
    private WebhookIngestion webhooks;
    private String connection;

    @BeforeEach
    void start() {
        sweep = new LocalSweep();
        webhooks = new WebhookIngestion(sweep.connections, Clock.systemUTC());
        sweep.seedUser("alice");
        connection = sweep.addConnection("alice");
    }

    @AfterEach
    void stop() {
        sweep.close();
    }

    private IngestResult webhook(EventType type, Instant at) {
        return webhooks.ingest(new WebhookEvent(UUID.randomUUID().toString(), "alice", type, type.name(), at,
                connection, null, null, "{}"));
    }

    private ConnectionStatus ours() {
        return sweep.connections.connection("alice", connection).orElseThrow().status();
    }

    private void sweepOnce() {
        sweep.run(10, 2).run(LocalSweep.runId(), LocalSweep.PLENTY_OF_TIME);
    }

    @Test
    void aWebhookNewerThanTheObservationWins() {
        // SnapTrade says ACTIVE when the sweep asks, but a BROKEN webhook stamped after that question is newer
        assertEquals(IngestResult.APPLIED, webhook(EventType.CONNECTION_BROKEN, Instant.now().plusSeconds(60)));
        sweepOnce();
        assertEquals(ConnectionStatus.BROKEN, ours());
    }

    @Test
    void aNewerObservationWinsOverAnOlderWebhookInEitherOrder() {
        sweep.simulator.control().breakConnection(connection);
        // the older FIXED webhook first, then the sweep: the observation is newer
        assertEquals(IngestResult.APPLIED, webhook(EventType.CONNECTION_FIXED, Instant.now().minusSeconds(3600)));
        sweepOnce();
        assertEquals(ConnectionStatus.BROKEN, ours());
        // and an older webhook arriving after the sweep changes nothing
        assertEquals(IngestResult.STALE, webhook(EventType.CONNECTION_FIXED, Instant.now().minusSeconds(1800)));
        assertEquals(ConnectionStatus.BROKEN, ours());
        sweep.assertMatchesTruth("alice");
    }
}
