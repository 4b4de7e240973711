package com.connectionkeeper.store;

import static com.connectionkeeper.store.Attributes.BROKEN_AFTER;
import static com.connectionkeeper.store.Attributes.BROKEN_SINCE;
import static com.connectionkeeper.store.Attributes.CONNECTION_ENTITY;
import static com.connectionkeeper.store.Attributes.DUE_AT;
import static com.connectionkeeper.store.Attributes.ENTITY;
import static com.connectionkeeper.store.Attributes.EXPIRES_AT;
import static com.connectionkeeper.store.Attributes.FLAGGED_AFTER;
import static com.connectionkeeper.store.Attributes.LAST_CHECKED_AT;
import static com.connectionkeeper.store.Attributes.LAST_VERIFIED_AT;
import static com.connectionkeeper.store.Attributes.OWNER;
import static com.connectionkeeper.store.Attributes.PROBLEM;
import static com.connectionkeeper.store.Attributes.RETRY_AT;
import static com.connectionkeeper.store.Attributes.STARTED_AT;
import static com.connectionkeeper.store.Attributes.STATUS;
import static com.connectionkeeper.store.Attributes.SWEEP_FAILURES;
import static com.connectionkeeper.store.Attributes.SWEEP_ORDER;
import static com.connectionkeeper.store.Attributes.USER_ENTITY;
import static com.connectionkeeper.store.Attributes.USER_ID;
import static com.connectionkeeper.store.Attributes.VERIFY_REQUESTED_AT;
import static com.connectionkeeper.store.Items.deleted;
import static com.connectionkeeper.store.Items.notDeleted;
import static com.connectionkeeper.store.Items.str;
import static com.connectionkeeper.store.Items.time;

import com.connectionkeeper.core.model.ConnectionStatus;
import com.connectionkeeper.core.model.RetryBackoff;
import com.connectionkeeper.core.model.Watermark;
import com.connectionkeeper.core.sweep.SweepQueue;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemResponse;

/**
 * The DynamoDB adapter of {@link SweepQueue}: who to check in which order, read page by page from the table's
 * indexes (broken and flagged connections, due retries, the users' sweep order); the user item's check times,
 * sweep order and retry; the sweep's own lease and pass items, outside every user partition.
 */
public final class DynamoSweepQueue implements SweepQueue {
    /** Index of BROKEN connections by brokenSince (see template.yaml). */
    static final String BY_STATUS_INDEX = "ByStatus";
    /** Index of connections flagged for verification, by flag time. */
    static final String BY_VERIFY_REQUEST_INDEX = "ByVerifyRequest";
    /** Index of users by sweepOrder. */
    public static final String BY_SWEEP_ORDER_INDEX = "BySweepOrder";
    /** Index of users by when they are next due (likely to break first). */
    public static final String BY_DUE_INDEX = "ByDue";
    /** Index of users waiting for a retry after a transient failure, by retryAt. */
    static final String BY_RETRY_INDEX = "ByRetry";

    private final DynamoTable table;

    public DynamoSweepQueue(DynamoTable table) {
        this.table = table;
    }

    @Override
    public Stream<Ranked> usersWithBrokenConnections(String after) {
        return ranked(BY_STATUS_INDEX, STATUS, ConnectionStatus.BROKEN.name(), BROKEN_SINCE, after);
    }

    @Override
    public Stream<Ranked> usersWithFlaggedConnections(String after) {
        return ranked(BY_VERIFY_REQUEST_INDEX, ENTITY, CONNECTION_ENTITY, VERIFY_REQUESTED_AT, after);
    }

    /**
     * An index partition read from just after {@code after}: each item as its user and its position, the item's
     * index sort key and table key (what DynamoDB's ExclusiveStartKey needs), as a JSON array.
     */
    private Stream<Ranked> ranked(String index, String hashAttribute, String hashValue, String rangeAttribute,
                                  String after) {
        QueryRequest.Builder query = QueryRequest.builder()
                .keyConditionExpression("#h = :h")
                .expressionAttributeNames(Map.of("#h", hashAttribute))
                .expressionAttributeValues(Map.of(":h", AttributeValue.fromS(hashValue)));
        if (after != null) {
            query.exclusiveStartKey(Positions.startKey(hashAttribute, AttributeValue.fromS(hashValue), rangeAttribute,
                    after));
        }
        return table.indexItems(query, index).map(item -> new Ranked(str(item, USER_ID),
                Positions.of(item, rangeAttribute)));
    }

    @Override
    public Stream<String> usersDueForRetry(Instant now) {
        // retryAt is "<fixed-width time>#<userId>": everything due sorts below "<now>$" ('$' follows '#')
        return table.indexItems(BY_RETRY_INDEX, ENTITY, USER_ENTITY, RETRY_AT, Watermark.timeKey(now) + "$")
                .map(item -> str(item, USER_ID));
    }

    @Override
    public Stream<SweepEntry> usersInSweepOrder() {
        return table.indexItems(BY_SWEEP_ORDER_INDEX, ENTITY, USER_ENTITY).map(item -> new SweepEntry(
                str(item, USER_ID), Keys.checkedAt(str(item, SWEEP_ORDER))));
    }

    @Override
    public Stream<SweepEntry> usersInDueOrder() {
        // a user flagged or deleted since its due time was written is out of the sweep (its flag, deletion or lost
        // secret removes dueAt too; the index's projection lets a race between the two be told apart here)
        return table.indexItems(BY_DUE_INDEX, ENTITY, USER_ENTITY)
                .filter(item -> !item.containsKey(PROBLEM) && !deleted(item))
                .map(item -> new SweepEntry(str(item, USER_ID), time(item, LAST_CHECKED_AT)));
    }

    @Override
    public Optional<Pass> pass() {
        return Optional.ofNullable(table.get(passKey())).map(item -> new Pass(time(item, STARTED_AT),
                str(item, BROKEN_AFTER), str(item, FLAGGED_AFTER)));
    }

    @Override
    public void startPass(Instant at) {
        table.write(new UpdateBuilder().set(STARTED_AT, Watermark.timeKey(at))
                .remove(BROKEN_AFTER).remove(FLAGGED_AFTER), passKey(), ReturnValue.NONE);
    }

    @Override
    public void advancePass(Pass pass) {
        UpdateBuilder u = new UpdateBuilder()
                .setOrRemove(BROKEN_AFTER, pass.brokenAfter())
                .setOrRemove(FLAGGED_AFTER, pass.flaggedAfter());
        u.when(u.name(STARTED_AT) + " = " + u.value(AttributeValue.fromS(Watermark.timeKey(pass.startedAt()))));
        table.update(u, passKey()); // refused: a new pass began meanwhile, it reads its lists from the start
    }

    @Override
    public Optional<Standing> standing(String userId) {
        Map<String, AttributeValue> item = table.get(userId, Keys.USER_SK);
        if (item == null) {
            return Optional.empty();
        }
        boolean inSweep = Items.holdsSecret(item) && !item.containsKey(PROBLEM) && !deleted(item);
        return Optional.of(new Standing(time(item, LAST_CHECKED_AT), inSweep));
    }

    @Override
    public Optional<Instant> lastChecked(String userId) {
        Map<String, AttributeValue> item = table.get(userId, Keys.USER_SK);
        return item == null ? Optional.empty() : Optional.ofNullable(time(item, LAST_CHECKED_AT));
    }

    @Override
    public void markVerified(String userId, Instant at) {
        checked(userId, at, true, null);
    }

    @Override
    public void markVerified(String userId, Instant at, Instant dueAt) {
        checked(userId, at, true, dueAt);
    }

    @Override
    public void markChecked(String userId, Instant at) {
        checked(userId, at, false, null);
    }

    private void checked(String userId, Instant at, boolean verified, Instant dueAt) {
        String t = Watermark.timeKey(at);
        UpdateBuilder u = new UpdateBuilder().set(LAST_CHECKED_AT, t).set(SWEEP_ORDER, Keys.sweepOrder(at, userId))
                .remove(RETRY_AT).remove(SWEEP_FAILURES);
        if (verified) {
            u.set(LAST_VERIFIED_AT, t);
        }
        if (dueAt != null) {
            u.set(DUE_AT, Keys.dueAt(dueAt, userId));
        } else if (!verified) {
            u.remove(DUE_AT); // an unverified user is not due by risk: the deadline guard and the passes take it
        }
        if (!updateInSweep(u, userId, ReturnValue.NONE).isPresent()) {
            // Flagged, deleted, without a secret, or known only from its connections' webhooks (no user item yet): the
            // check still counts for the pass, and the user leaves the sweep order (an earlier release queued users
            // registered by webhook without a secret: each such entry takes one place, once).
            table.write(new UpdateBuilder().set(LAST_CHECKED_AT, t).remove(SWEEP_ORDER).remove(DUE_AT)
                    .setIfAbsent(ENTITY, UpdateBuilder.s(USER_ENTITY)).setIfAbsent(USER_ID, UpdateBuilder.s(userId)),
                    DynamoTable.key(userId, Keys.USER_SK), ReturnValue.NONE);
        }
    }

    @Override
    public int scheduleRetry(String userId, Instant at, RetryBackoff backoff) {
        UpdateBuilder u = new UpdateBuilder().set(LAST_CHECKED_AT, Watermark.timeKey(at))
                .set(SWEEP_ORDER, Keys.sweepOrder(at, userId)).add(SWEEP_FAILURES, AttributeValue.fromN("1"))
                .remove(DUE_AT); // retried on its own backoff, not by the due order
        Optional<UpdateItemResponse> counted = updateInSweep(u, userId, ReturnValue.UPDATED_NEW);
        if (counted.isEmpty()) {
            // a flagged user whose recheck failed for a transient reason: its recheck moves by the same backoff
            UpdateBuilder flagged = new UpdateBuilder().set(LAST_CHECKED_AT, Watermark.timeKey(at))
                    .add(SWEEP_FAILURES, AttributeValue.fromN("1"));
            flagged.when("attribute_exists(" + flagged.name(PROBLEM) + ") AND " + Items.holdsSecret(flagged) + " AND "
                    + notDeleted(flagged));
            counted = table.update(flagged, DynamoTable.key(userId, Keys.USER_SK), ReturnValue.UPDATED_NEW);
            if (counted.isEmpty()) {
                return 0; // not flagged either
            }
        }
        int failures = Integer.parseInt(counted.get().attributes().get(SWEEP_FAILURES).n());
        UpdateBuilder retry = new UpdateBuilder().set(RETRY_AT,
                Keys.retryAt(at.plus(backoff.delayAfter(failures)), userId));
        retry.when(retry.name(SWEEP_FAILURES) + " = " + retry.value(AttributeValue.fromN(Integer.toString(failures))));
        // refused: verified, flagged, deleted or failed again since
        table.update(retry, DynamoTable.key(userId, Keys.USER_SK));
        return failures;
    }

    /** Applies {@code u} if the user is in the sweep (a secret held, not deleted, not flagged); empty if not. */
    private Optional<UpdateItemResponse> updateInSweep(UpdateBuilder u, String userId, ReturnValue returnValue) {
        u.when(Items.holdsSecret(u) + " AND attribute_not_exists(" + u.name(PROBLEM) + ") AND " + notDeleted(u));
        return table.update(u, DynamoTable.key(userId, Keys.USER_SK), returnValue);
    }

    @Override
    public boolean tryLease(String owner, Instant now, Duration ttl) {
        UpdateBuilder u = new UpdateBuilder().set(OWNER, owner)
                .set(EXPIRES_AT, AttributeValue.fromN(Long.toString(now.plus(ttl).getEpochSecond())));
        String ownerName = u.name(OWNER);
        String expires = u.name(EXPIRES_AT);
        u.when("attribute_not_exists(" + ownerName + ") OR " + ownerName + " = " + u.value(AttributeValue.fromS(owner))
                + " OR " + expires + " < " + u.value(AttributeValue.fromN(Long.toString(now.getEpochSecond()))));
        return table.update(u, leaseKey()); // false: held by another run
    }

    @Override
    public void releaseLease(String owner) {
        // refused: expired and taken by another run, theirs now
        table.deleteIf(leaseKey(), "#o = :o", Map.of("#o", OWNER), Map.of(":o", AttributeValue.fromS(owner)));
    }

    private static Map<String, AttributeValue> leaseKey() {
        return DynamoTable.sweepKey(Keys.LEASE_SK);
    }

    private static Map<String, AttributeValue> passKey() {
        return DynamoTable.sweepKey(Keys.PASS_SK);
    }
}
