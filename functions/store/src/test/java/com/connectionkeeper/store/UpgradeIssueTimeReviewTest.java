package com.connectionkeeper.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import com.connectionkeeper.core.ingest.WebhookIngestion;
import com.connectionkeeper.core.model.EventType;
import com.connectionkeeper.core.model.WebhookEvent;
import com.connectionkeeper.core.secrets.LocalSealer;
import com.connectionkeeper.core.sweep.CheckSchedule;
import com.connectionkeeper.testkit.Dynalite;
import com.connectionkeeper.testkit.Integration;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest;

/**
 * Review of issue 15 (docs/budget-and-sweep-order.md, "Upgrade"): a connection written before this release has no
 * addedAt, and its first lifetime should count only if it was fixed since. Any later write must not make the time of
 * that write its token's issue time (it would count break − upgrade as a lifetime: far too short).
 */
@Integration
class UpgradeIssueTimeReviewTest {
    private static final Instant T = Instant.parse("2026-03-01T12:00:00Z");

    @Test
    void aWriteAfterTheUpgradeIsNotTheTokensIssueTime() {
        String table = Dynalite.createTable();
        DynamoStores stores = DynamoStores.create(Dynalite.client(), table, Duration.ofDays(1), LocalSealer.ephemeral());
        WebhookIngestion webhooks = new WebhookIngestion(stores.connections(), Clock.systemUTC());
        webhooks.ingest(new WebhookEvent("added", "u1", EventType.CONNECTION_ADDED, "CONNECTION_ADDED", T, "c1", "B1",
                null, "{}"));
        // as an item written by the earlier release: no addedAt
        Dynalite.client().updateItem(UpdateItemRequest.builder().tableName(table)
                .key(DynamoTable.key("u1", Keys.connection("c1"))).updateExpression("REMOVE addedAt").build());
        assertNull(new DynamoLifetimes(stores.table()).tokens("u1").get(0).tokenIssuedAt(), "pre-upgrade item");

        // after the upgrade, 30 days on: any write (here CONNECTION_UPDATED; the sweep's verifications write too)
        Instant later = T.plus(Duration.ofDays(30));
        webhooks.ingest(new WebhookEvent("updated", "u1", EventType.CONNECTION_UPDATED, "CONNECTION_UPDATED", later,
                "c1", "B1", null, "{}"));

        List<CheckSchedule.Connection> tokens = new DynamoLifetimes(stores.table()).tokens("u1");
        assertEquals(1, tokens.size());
        assertNull(tokens.get(0).tokenIssuedAt(), "issued before the upgrade at an unknown time, not at " + later
                + " (a break next day would count a 1-day lifetime)");
    }
}
