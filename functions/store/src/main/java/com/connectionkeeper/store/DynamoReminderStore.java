package com.connectionkeeper.store;

import static com.connectionkeeper.store.Attributes.BROKEN_SINCE;
import static com.connectionkeeper.store.Attributes.CONNECTION_ID;
import static com.connectionkeeper.store.Attributes.LAST_PASS_END;
import static com.connectionkeeper.store.Attributes.LEASE_UNTIL;
import static com.connectionkeeper.store.Attributes.OWNER;
import static com.connectionkeeper.store.Attributes.PASS_CURSOR;
import static com.connectionkeeper.store.Attributes.PASS_FROM;
import static com.connectionkeeper.store.Attributes.PASS_STEP;
import static com.connectionkeeper.store.Attributes.PASS_TO;
import static com.connectionkeeper.store.Attributes.REMINDED_AT;
import static com.connectionkeeper.store.Attributes.REMINDER_FOR;
import static com.connectionkeeper.store.Attributes.REMINDER_STEP;
import static com.connectionkeeper.store.Attributes.STATUS;
import static com.connectionkeeper.store.Attributes.USER_ID;
import static com.connectionkeeper.store.Items.str;
import static com.connectionkeeper.store.Items.time;

import com.connectionkeeper.core.model.ConnectionStatus;
import com.connectionkeeper.core.model.Watermark;
import com.connectionkeeper.core.reminders.ReminderPass;
import com.connectionkeeper.core.reminders.ReminderStore;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemResponse;

/**
 * The DynamoDB adapter of {@link ReminderStore}: broken connections by range on the {@code ByStatus} index (paged,
 * the cursor is the index position), the claim as one conditional UpdateItem on the connection, and the run's pass
 * item (window, progress, lease) in the sweep's partition.
 */
public final class DynamoReminderStore implements ReminderStore {
    private static final AttributeValue BROKEN = AttributeValue.fromS(ConnectionStatus.BROKEN.name());
    private final DynamoTable table;

    public DynamoReminderStore(DynamoTable table) {
        this.table = table;
    }

    @Override
    public Page broken(Instant after, Instant upTo, String cursor, int limit) {
        Instant from = after.plusNanos(1); // the range is (after, upTo]; keys have nanosecond resolution
        if (from.isAfter(upTo)) {
            return new Page(List.of(), null);
        }
        QueryRequest.Builder query = QueryRequest.builder()
                .keyConditionExpression("#s = :s AND #b BETWEEN :from AND :to")
                .expressionAttributeNames(Map.of("#s", STATUS, "#b", BROKEN_SINCE))
                .expressionAttributeValues(Map.of(":s", BROKEN,
                        ":from", AttributeValue.fromS(Watermark.timeKey(from)),
                        ":to", AttributeValue.fromS(Watermark.timeKey(upTo))));
        if (cursor != null) {
            List<String> p = Positions.decode(cursor);
            query.exclusiveStartKey(Map.of(STATUS, BROKEN, BROKEN_SINCE, AttributeValue.fromS(p.get(0)),
                    Keys.PK, AttributeValue.fromS(p.get(1)), Keys.SK, AttributeValue.fromS(p.get(2))));
        }
        QueryResponse response = table.indexPage(query, DynamoSweepQueue.BY_STATUS_INDEX, limit);
        List<Broken> items = new ArrayList<>(response.count());
        for (Map<String, AttributeValue> item : response.items()) {
            items.add(new Broken(str(item, USER_ID), str(item, CONNECTION_ID), time(item, BROKEN_SINCE)));
        }
        Map<String, AttributeValue> last = response.lastEvaluatedKey();
        String next = last == null || last.isEmpty() ? null : Positions.encode(last.get(BROKEN_SINCE).s(),
                last.get(Keys.PK).s(), last.get(Keys.SK).s());
        return new Page(items, next);
    }

    @Override
    public boolean claim(String userId, String connectionId, Instant brokenSince, int step, Instant at) {
        UpdateBuilder u = new UpdateBuilder()
                .set(REMINDER_STEP, AttributeValue.fromN(Integer.toString(step)))
                .set(REMINDER_FOR, Watermark.timeKey(brokenSince))
                .set(REMINDED_AT, Watermark.timeKey(at));
        String forBreak = u.value(AttributeValue.fromS(Watermark.timeKey(brokenSince)));
        u.when("attribute_exists(" + u.name(Keys.PK) + ") AND " + u.name(STATUS) + " = " + u.value(BROKEN)
                + " AND " + u.name(BROKEN_SINCE) + " = " + forBreak
                + " AND (attribute_not_exists(" + u.name(REMINDER_FOR) + ") OR " + u.name(REMINDER_FOR) + " <> "
                + forBreak + " OR " + u.name(REMINDER_STEP) + " < "
                + u.value(AttributeValue.fromN(Integer.toString(step))) + ")");
        return table.update(u, DynamoTable.key(userId, Keys.connection(connectionId)));
    }

    @Override
    public Optional<ReminderPass> open(Instant now, String owner, Instant leaseUntil) {
        UpdateBuilder u = new UpdateBuilder().set(OWNER, owner).set(LEASE_UNTIL, Watermark.timeKey(leaseUntil));
        u.when("attribute_not_exists(" + u.name(LEASE_UNTIL) + ") OR " + u.name(LEASE_UNTIL) + " <= "
                + u.value(AttributeValue.fromS(Watermark.timeKey(now))) + " OR " + u.name(OWNER) + " = "
                + u.value(AttributeValue.fromS(owner)));
        Optional<UpdateItemResponse> leased = table.update(u, passKey(), ReturnValue.ALL_NEW);
        if (leased.isEmpty()) {
            return Optional.empty();
        }
        Map<String, AttributeValue> item = leased.get().attributes();
        if (item.containsKey(PASS_TO)) { // an open pass: resume it
            AttributeValue step = item.get(PASS_STEP);
            return Optional.of(new ReminderPass(owner, time(item, PASS_FROM), time(item, PASS_TO),
                    step == null ? 0 : Integer.parseInt(step.n()), str(item, PASS_CURSOR)));
        }
        Instant from = time(item, LAST_PASS_END);
        UpdateBuilder window = new UpdateBuilder().setOrRemove(PASS_FROM, from == null ? null
                        : Watermark.timeKey(from))
                .set(PASS_TO, Watermark.timeKey(now)).remove(PASS_STEP).remove(PASS_CURSOR);
        window.when(window.name(OWNER) + " = " + window.value(AttributeValue.fromS(owner)));
        if (!table.update(window, passKey())) {
            return Optional.empty(); // another run took the lease meanwhile
        }
        return Optional.of(new ReminderPass(owner, from, now, 0, null));
    }

    @Override
    public void save(ReminderPass pass) {
        UpdateBuilder u = new UpdateBuilder().set(PASS_STEP, AttributeValue.fromN(Integer.toString(pass.step())))
                .setOrRemove(PASS_CURSOR, pass.cursor());
        u.when(u.name(OWNER) + " = " + u.value(AttributeValue.fromS(pass.owner())));
        table.update(u, passKey()); // refused: the lease was lost; the new owner resumes from its own progress
    }

    @Override
    public void close(ReminderPass pass) {
        UpdateBuilder u = new UpdateBuilder().set(LAST_PASS_END, Watermark.timeKey(pass.to()))
                .remove(PASS_FROM).remove(PASS_TO).remove(PASS_STEP).remove(PASS_CURSOR)
                .remove(OWNER).remove(LEASE_UNTIL);
        u.when(u.name(OWNER) + " = " + u.value(AttributeValue.fromS(pass.owner())));
        table.update(u, passKey());
    }

    private static Map<String, AttributeValue> passKey() {
        return DynamoTable.sweepKey(Keys.REMINDER_PASS_SK);
    }
}
