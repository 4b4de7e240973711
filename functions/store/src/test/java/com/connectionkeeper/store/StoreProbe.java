package com.connectionkeeper.store;

import com.connectionkeeper.core.model.ConnectionState;
import com.connectionkeeper.core.model.ConnectionStatus;
import com.connectionkeeper.core.model.HistoryEntry;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Test-only reads of the table that no port declares: how often a webhook arrived, every broken connection, when the
 * sweep last verified a user. Shared with the functions' tests through the store's test-jar.
 */
public final class StoreProbe {
    private final DynamoTable table;
    private final DynamoConnectionStore connections;

    public StoreProbe(DynamoStores stores) {
        this.table = stores.table();
        this.connections = stores.connections();
    }

    /** How many times the webhook behind this history entry arrived (0 if never). */
    public int deliveryCount(HistoryEntry d) {
        Map<String, AttributeValue> item = table.get(DynamoConnectionStore.historyKey(d));
        return item == null ? 0 : Integer.parseInt(item.get(Attributes.DELIVERIES).n());
    }

    /** Every BROKEN connection, oldest break first (index {@value DynamoSweepQueue#BY_STATUS_INDEX}). */
    public List<ConnectionState> brokenConnections() {
        return table.indexItems(DynamoSweepQueue.BY_STATUS_INDEX, Attributes.STATUS, ConnectionStatus.BROKEN.name())
                .map(item -> connections.connection(Items.str(item, Attributes.USER_ID),
                        Items.str(item, Attributes.CONNECTION_ID)).orElse(null))
                .filter(c -> c != null && c.status() == ConnectionStatus.BROKEN)
                .toList();
    }

    /** When the sweep last verified the user at SnapTrade (empty: never, or unknown user). */
    public Optional<Instant> lastVerified(String userId) {
        Map<String, AttributeValue> item = table.get(userId, Keys.USER_SK);
        return item == null ? Optional.empty() : Optional.ofNullable(Items.time(item, Attributes.LAST_VERIFIED_AT));
    }
}
