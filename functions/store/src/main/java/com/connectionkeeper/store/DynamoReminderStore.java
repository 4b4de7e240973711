package com.connectionkeeper.store;

import static com.connectionkeeper.store.Attributes.BROKEN_SINCE;
import static com.connectionkeeper.store.Attributes.BROKERAGE_ID;
import static com.connectionkeeper.store.Attributes.CONNECTION_ENTITY;
import static com.connectionkeeper.store.Attributes.CONNECTION_ID;
import static com.connectionkeeper.store.Attributes.ENTITY;
import static com.connectionkeeper.store.Attributes.REMINDED_AT;
import static com.connectionkeeper.store.Attributes.REMINDER_DUE_AT;
import static com.connectionkeeper.store.Attributes.REMINDER_FOR;
import static com.connectionkeeper.store.Attributes.REMINDER_STEP;
import static com.connectionkeeper.store.Attributes.STATUS;
import static com.connectionkeeper.store.Attributes.USER_ID;
import static com.connectionkeeper.store.Items.str;
import static com.connectionkeeper.store.Items.time;

import com.connectionkeeper.core.model.ConnectionStatus;
import com.connectionkeeper.core.model.Watermark;
import com.connectionkeeper.core.reminders.ReminderStore;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;

/**
 * The DynamoDB adapter of {@link ReminderStore}: due connections by range on the sparse {@code ByReminderDue} index
 * (paged; the cursor is the index position), and one conditional UpdateItem per claim or reschedule, each refused
 * when the connection is no longer broken since the same break.
 */
public final class DynamoReminderStore implements ReminderStore {
    static final String BY_REMINDER_DUE_INDEX = "ByReminderDue";
    private static final AttributeValue BROKEN = AttributeValue.fromS(ConnectionStatus.BROKEN.name());
    private static final AttributeValue CONNECTION = AttributeValue.fromS(CONNECTION_ENTITY);
    private final DynamoTable table;

    public DynamoReminderStore(DynamoTable table) {
        this.table = table;
    }

    @Override
    public Page due(Instant upTo, String cursor, int limit) {
        QueryRequest.Builder query = QueryRequest.builder()
                .keyConditionExpression("#e = :e AND #d <= :to")
                .expressionAttributeNames(Map.of("#e", ENTITY, "#d", REMINDER_DUE_AT))
                .expressionAttributeValues(Map.of(":e", CONNECTION,
                        ":to", AttributeValue.fromS(Watermark.timeKey(upTo))));
        if (cursor != null) {
            query.exclusiveStartKey(Positions.startKey(ENTITY, CONNECTION, REMINDER_DUE_AT, cursor));
        }
        QueryResponse response = table.indexPage(query, BY_REMINDER_DUE_INDEX, limit);
        List<Due> items = new ArrayList<>(response.count());
        for (Map<String, AttributeValue> item : response.items()) {
            Instant brokenSince = time(item, BROKEN_SINCE);
            if (brokenSince == null) {
                continue; // cannot hold: the due time is removed with the break
            }
            AttributeValue step = item.get(REMINDER_STEP);
            boolean sameBreak = brokenSince.equals(time(item, REMINDER_FOR));
            items.add(new Due(str(item, USER_ID), str(item, CONNECTION_ID), str(item, BROKERAGE_ID), brokenSince,
                    sameBreak && step != null ? Integer.parseInt(step.n()) : 0, time(item, REMINDER_DUE_AT)));
        }
        Map<String, AttributeValue> last = response.lastEvaluatedKey();
        String next = last == null || last.isEmpty() ? null : Positions.of(last, REMINDER_DUE_AT);
        return new Page(items, next);
    }

    @Override
    public boolean claim(String userId, String connectionId, Instant brokenSince, int step, Instant at,
                         Instant nextDueAt) {
        UpdateBuilder u = new UpdateBuilder()
                .set(REMINDER_STEP, AttributeValue.fromN(Integer.toString(step)))
                .set(REMINDER_FOR, Watermark.timeKey(brokenSince))
                .set(REMINDED_AT, Watermark.timeKey(at))
                .set(REMINDER_DUE_AT, Watermark.timeKey(nextDueAt));
        String forBreak = u.value(AttributeValue.fromS(Watermark.timeKey(brokenSince)));
        u.when(stillBroken(u, forBreak) + " AND (attribute_not_exists(" + u.name(REMINDER_FOR) + ") OR "
                + u.name(REMINDER_FOR) + " <> " + forBreak + " OR " + u.name(REMINDER_STEP) + " < "
                + u.value(AttributeValue.fromN(Integer.toString(step))) + ")");
        return table.update(u, DynamoTable.key(userId, Keys.connection(connectionId)));
    }

    @Override
    public void reschedule(String userId, String connectionId, Instant brokenSince, Instant nextDueAt) {
        UpdateBuilder u = new UpdateBuilder().set(REMINDER_DUE_AT, Watermark.timeKey(nextDueAt));
        u.when(stillBroken(u, u.value(AttributeValue.fromS(Watermark.timeKey(brokenSince)))));
        table.update(u, DynamoTable.key(userId, Keys.connection(connectionId))); // refused: fixed or broken anew
    }

    private static String stillBroken(UpdateBuilder u, String forBreak) {
        return "attribute_exists(" + u.name(Keys.PK) + ") AND " + u.name(STATUS) + " = " + u.value(BROKEN)
                + " AND " + u.name(BROKEN_SINCE) + " = " + forBreak;
    }
}
