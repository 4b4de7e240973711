package com.connectionkeeper.reminders;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.connectionkeeper.core.config.Config;
import com.connectionkeeper.core.config.EnvironmentConfig;
import com.connectionkeeper.core.ingest.WebhookIngestion;
import com.connectionkeeper.core.model.EventType;
import com.connectionkeeper.core.model.WebhookEvent;
import com.connectionkeeper.core.secrets.LocalSealer;
import com.connectionkeeper.store.Attributes;
import com.connectionkeeper.store.DynamoStores;
import com.connectionkeeper.store.Keys;
import com.connectionkeeper.testkit.Dynalite;
import com.connectionkeeper.testkit.Integration;
import com.connectionkeeper.testkit.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The handler with the production wiring from environment variables, on dynalite. */
@Integration
class ReminderHandlerTest {
    private static final Instant T = Instant.parse("2026-03-01T10:00:00Z");

    @Test
    void aScheduledRunRecordsTheDueStepFromTheConfiguredCadence() {
        String table = Dynalite.createTable();
        Config config = new EnvironmentConfig(Map.of(Config.TABLE_NAME, table,
                Config.DYNAMODB_ENDPOINT, Dynalite.endpoint().toString(),
                ReminderSettings.ENV_CADENCE, "2h, 1d", ReminderSettings.ENV_MAX_COUNT, "5"));
        MutableClock clock = new MutableClock(T);
        DynamoStores stores = DynamoStores.create(Dynalite.client(), table, Duration.ofDays(1),
                LocalSealer.ephemeral());
        new WebhookIngestion(stores.connections(), clock).ingest(new WebhookEvent("w1", "u1",
                EventType.CONNECTION_BROKEN, "CONNECTION_BROKEN", T, "c1", null, null, "{}"));
        ReminderHandler handler = new ReminderHandler(ReminderHandler.fromConfig(config, clock), clock);

        clock.advance(Duration.ofHours(3));
        Map<String, Object> summary = handler.handleRequest(Map.of("id", "scheduled-1"), null);
        assertEquals(true, summary.get("finished"));
        assertEquals(1, summary.get("claimed"));
        assertEquals("scheduled-1", summary.get("requestId"));
        assertEquals("1", stores.table().get("u1", Keys.connection("c1")).get(Attributes.REMINDER_STEP).n());

        assertEquals(0, handler.handleRequest(Map.of(), null).get("claimed"), "nothing new an hour later");
        clock.advance(Duration.ofDays(1));
        assertEquals(1, handler.handleRequest(Map.of(), null).get("claimed"));
        assertEquals("2", stores.table().get("u1", Keys.connection("c1")).get(Attributes.REMINDER_STEP).n());
        clock.advance(Duration.ofDays(30));
        assertEquals(0, handler.handleRequest(Map.of(), null).get("claimed"), "no repeat configured: two at most");
    }

    @Test
    void aBadCadenceStopsTheFunctionAtStartNamingTheVariable() {
        Config config = new EnvironmentConfig(Map.of(Config.TABLE_NAME, "t", ReminderSettings.ENV_CADENCE, "3d,1d"));
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> ReminderSettings.from(config));
        assertTrue(e.getMessage().contains("REMINDER_CADENCE") && e.getMessage().contains("3d,1d"), e.getMessage());
        assertEquals(8, ReminderSettings.from(new EnvironmentConfig(Map.of())).cadence().maxSteps(), "the default");
    }
}
