package com.connectionkeeper.store;

import com.connectionkeeper.accounts.AccountStore;
import com.connectionkeeper.core.ingest.ConnectionStore;
import com.connectionkeeper.core.model.ConnectionAttempt;
import com.connectionkeeper.core.model.ConnectionChange;
import com.connectionkeeper.core.model.ConnectionState;
import com.connectionkeeper.core.model.ConnectionStatus;
import com.connectionkeeper.core.model.HistoryEntry;
import com.connectionkeeper.core.model.IngestResult;
import com.connectionkeeper.core.model.Observed;
import com.connectionkeeper.core.model.RetryBackoff;
import com.connectionkeeper.core.model.Source;
import com.connectionkeeper.core.model.UserState;
import com.connectionkeeper.core.model.UserStatus;
import com.connectionkeeper.core.model.Watermark;
import com.connectionkeeper.core.model.WebhookEvent;
import com.connectionkeeper.core.secrets.SecretStore;
import com.connectionkeeper.core.snaptrade.ConnectionType;
import com.connectionkeeper.core.snaptrade.UserCredentials;
import com.connectionkeeper.core.sweep.SweepQueue;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.DeleteItemRequest;
import software.amazon.awssdk.services.dynamodb.model.GetItemRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemResponse;

/**
 * The one DynamoDB adapter: the only class that knows keys, attribute names and conditions. Every write is one
 * conditional UpdateItem (no transactions), and replaying a write gives the same item.
 */
public final class DynamoStateStore implements ConnectionStore, SecretStore, SweepQueue, AccountStore {
    static final String ENTITY = "entity";
    static final String CONNECTION_ENTITY = "CONNECTION";
    static final String USER_ENTITY = "USER";
    static final String HISTORY_ENTITY = "HISTORY";
    static final String LINK_ENTITY = "LINK";
    static final String LIVE_LINK_ENTITY = "LIVE_LINK";
    static final String LINK_RATE_ENTITY = "LINK_RATE";
    /** sweepOrder prefix of a user never verified: sorts before every timestamp. */
    static final String NEVER_VERIFIED = "!";
    /** Index of BROKEN connections by brokenSince (see template.yaml). */
    public static final String BY_STATUS_INDEX = "ByStatus";
    /** Index of connections flagged for verification, by flag time. */
    static final String BY_VERIFY_REQUEST_INDEX = "ByVerifyRequest";
    /** Index of users by sweepOrder. */
    static final String BY_SWEEP_ORDER_INDEX = "BySweepOrder";
    /** Index of users waiting for a retry after a transient failure, by retryAt. */
    static final String BY_RETRY_INDEX = "ByRetry";
    /** The sweep lease: one item outside every user partition. */
    static final String LEASE_SK = "LEASE";
    static final String PASS_SK = "PASS";
    /**
     * Items per index page. Without a limit a page is up to 1 MB (thousands of users), so memory would grow with the
     * number of users; with it, a sweep holds at most a page per open index query whatever the table size.
     */
    static final int INDEX_PAGE_SIZE = 100;

    private final DynamoDbClient dynamo;
    private final String table;
    private final Duration historyRetention;

    public DynamoStateStore(DynamoDbClient dynamo, String table, Duration historyRetention) {
        this.dynamo = dynamo;
        this.table = table;
        this.historyRetention = historyRetention;
    }

    @Override
    public ConnectionWrite applyToConnection(String userId, String connectionId, ConnectionChange c) {
        UpdateBuilder u = new UpdateBuilder()
                .set(ENTITY, CONNECTION_ENTITY)
                .set("userId", userId)
                .set("connectionId", connectionId)
                .set("watermark", c.watermark().encoded())
                .set("lastEventType", c.eventType())
                .set("source", c.source().wire())
                .set("brokerageId", c.brokerageId())
                .set("fixedAt", c.fixedAt() == null ? null : Watermark.timeKey(c.fixedAt()));
        if (c.status() == null) {
            u.setIfAbsent("status", UpdateBuilder.s(ConnectionStatus.ACTIVE.name()));
        } else {
            u.set("status", c.status().name());
        }
        if (c.status() == ConnectionStatus.BROKEN) {
            u.setIfAbsent("brokenSince", UpdateBuilder.s(Watermark.timeKey(c.brokenAt())));
        } else if (c.status() != null) {
            u.remove("brokenSince");
        }
        if (c.observed() != null) {
            Observed o = c.observed();
            setOrRemove(u, "brokerageSlug", o.brokerageSlug());
            setOrRemove(u, "brokerageName", o.brokerageName());
            setOrRemove(u, "type", o.type() == null ? null : o.type().wire());
            u.set("lastVerifiedAt", Watermark.timeKey(o.verifiedAt()));
        }
        switch (c.verification()) {
            case REQUEST -> u.setIfAbsent("verifyRequestedAt", UpdateBuilder.s(Watermark.timeKey(c.eventTime())));
            case CLEAR -> u.remove("verifyRequestedAt");
            case KEEP -> { }
        }
        u.whenAbsentOrNotAfter("watermark", c.watermark().encoded());
        UpdateItemRequest request = u.build(table, key(userId, Keys.connection(connectionId)), ReturnValue.UPDATED_OLD);
        try {
            UpdateItemResponse response = dynamo.updateItem(request);
            AttributeValue old = response.hasAttributes() ? response.attributes().get("watermark") : null;
            return new ConnectionWrite(true, old == null || old.s().equals(c.watermark().encoded()));
        } catch (ConditionalCheckFailedException stale) {
            return new ConnectionWrite(false, false);
        }
    }

    @Override
    public boolean applyToUser(WebhookEvent e) {
        String t = Watermark.timeKey(e.eventTime());
        String w = e.watermark().encoded();
        UpdateBuilder u = new UpdateBuilder().set(ENTITY, USER_ENTITY).set("userId", e.userId());
        switch (e.type()) {
            // no sweepOrder: a user enters the sweep with its secret (saveUserSecret, createUser), not before —
            // without one its check could only fail, taking a real check's place in every pass
            case USER_REGISTERED -> u.set("status", UserStatus.ACTIVE.name())
                    .set("registeredAt", t)
                    .set("watermark", w)
                    .whenAbsentOrNotAfter("watermark", w);
            case USER_DELETED -> {
                return applyUserDeletion(e.userId(), e.watermark(), e.eventTime());
            }
            case CONNECTION_ATTEMPTED, CONNECTION_FAILED -> {
                u.set("lastAttemptType", e.type().name())
                        .set("lastAttemptAt", t)
                        .set("attemptWatermark", w)
                        .whenAbsentOrNotAfter("attemptWatermark", w);
                setOrRemove(u, "lastAttemptResult", e.attemptResult());
                setOrRemove(u, "lastAttemptBrokerageId", e.brokerageId());
            }
            default -> throw new IllegalArgumentException("not a user event: " + e.type());
        }
        return update(u, key(e.userId(), Keys.USER_SK)); // false: stale
    }

    @Override
    public boolean applyUserDeletion(String userId, Watermark watermark, Instant deletedAt) {
        String w = watermark.encoded();
        UpdateBuilder u = new UpdateBuilder().set(ENTITY, USER_ENTITY).set("userId", userId)
                .set("status", UserStatus.DELETED.name())
                .set("deletedAt", Watermark.timeKey(deletedAt))
                .set("watermark", w)
                .set("deletionWatermark", w)
                .remove("sweepOrder").remove("retryAt").remove("sweepFailures")
                .whenAbsentOrNotAfter("watermark", w);
        return update(u, key(userId, Keys.USER_SK)); // false: stale
    }

    private static void setOrRemove(UpdateBuilder u, String attribute, String value) {
        if (value == null) {
            u.remove(attribute);
        } else {
            u.set(attribute, value);
        }
    }

    @Override
    public Optional<UserState> user(String userId) {
        Map<String, AttributeValue> item = get(userId, Keys.USER_SK);
        if (item == null) {
            return Optional.empty();
        }
        ConnectionAttempt attempt = item.containsKey("attemptWatermark")
                ? new ConnectionAttempt(str(item, "lastAttemptType"), str(item, "lastAttemptResult"),
                        str(item, "lastAttemptBrokerageId"), time(item, "lastAttemptAt"),
                        watermark(item, "attemptWatermark"))
                : null;
        String status = str(item, "status");
        return Optional.of(new UserState(userId, status == null ? null : UserStatus.valueOf(status),
                time(item, "registeredAt"), time(item, "deletedAt"), watermark(item, "watermark"),
                watermark(item, "deletionWatermark"), attempt));
    }

    @Override
    public Optional<ConnectionState> connection(String userId, String connectionId) {
        return Optional.ofNullable(get(userId, Keys.connection(connectionId))).map(DynamoStateStore::toConnection);
    }

    @Override
    public List<ConnectionState> connections(String userId) {
        return queryPartition(userId, Keys.CONNECTION_PREFIX).stream().map(DynamoStateStore::toConnection).toList();
    }

    @Override
    public boolean recordHistory(HistoryEntry d) {
        UpdateBuilder u = new UpdateBuilder()
                .set(ENTITY, HISTORY_ENTITY)
                .set("userId", d.userId())
                .set("connectionId", d.connectionId())
                .set("webhookId", d.webhookId())
                .set("eventType", d.eventType())
                .set("eventTime", Watermark.timeKey(d.eventTime()))
                .set("source", d.source().wire())
                .setIfAbsent("receivedAt", UpdateBuilder.s(Watermark.timeKey(d.receivedAt())))
                .set("lastReceivedAt", Watermark.timeKey(d.receivedAt()))
                .setIfAbsent("result", UpdateBuilder.s(d.result().wire()))
                .setIfAbsent("payload", UpdateBuilder.s(d.recordedJson()))
                .setIfAbsent("expiresAt", AttributeValue.fromN(
                        Long.toString(d.receivedAt().plus(historyRetention).getEpochSecond())))
                .add("deliveries", AttributeValue.fromN("1"));
        UpdateItemResponse response = dynamo.updateItem(u.build(table,
                key(d.userId(), Keys.history(d.connectionId(), d.eventTime(), d.webhookId(), d.eventType())),
                ReturnValue.UPDATED_OLD));
        return !response.hasAttributes() || !response.attributes().containsKey("deliveries");
    }

    @Override
    public List<HistoryEntry> history(String userId, String connectionId) {
        return queryPartition(userId, Keys.historyPrefix(connectionId)).stream()
                .map(item -> new HistoryEntry(userId, str(item, "connectionId"), str(item, "webhookId"),
                        str(item, "eventType"), time(item, "eventTime"), time(item, "receivedAt"),
                        IngestResult.fromWire(str(item, "result")), str(item, "payload"),
                        Source.fromWire(str(item, "source"))))
                .toList();
    }

    /** How many times the webhook behind this history entry arrived (0 if never). */
    public int deliveryCount(HistoryEntry d) {
        Map<String, AttributeValue> item = get(d.userId(),
                Keys.history(d.connectionId(), d.eventTime(), d.webhookId(), d.eventType()));
        return item == null ? 0 : Integer.parseInt(item.get("deliveries").n());
    }

    /** Every BROKEN connection, oldest break first (index {@value #BY_STATUS_INDEX}); for alarms and the sweep. */
    public List<ConnectionState> brokenConnections() {
        return indexItems(BY_STATUS_INDEX, "status", ConnectionStatus.BROKEN.name())
                .map(item -> connection(str(item, "userId"), str(item, "connectionId")).orElse(null))
                .filter(c -> c != null && c.status() == ConnectionStatus.BROKEN)
                .toList();
    }

    @Override
    public Stream<Ranked> usersWithBrokenConnections(String after) {
        return ranked(BY_STATUS_INDEX, "status", ConnectionStatus.BROKEN.name(), "brokenSince", after);
    }

    @Override
    public Stream<Ranked> usersWithFlaggedConnections(String after) {
        return ranked(BY_VERIFY_REQUEST_INDEX, ENTITY, CONNECTION_ENTITY, "verifyRequestedAt", after);
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
            List<String> p = Positions.decode(after);
            query.exclusiveStartKey(Map.of(hashAttribute, AttributeValue.fromS(hashValue),
                    rangeAttribute, AttributeValue.fromS(p.get(0)),
                    Keys.PK, AttributeValue.fromS(p.get(1)), Keys.SK, AttributeValue.fromS(p.get(2))));
        }
        return indexItems(query, index).map(item -> new Ranked(str(item, "userId"),
                Positions.encode(str(item, rangeAttribute), str(item, Keys.PK), str(item, Keys.SK))));
    }

    @Override
    public Stream<String> usersDueForRetry(Instant now) {
        // retryAt is "<fixed-width time>#<userId>": everything due sorts below "<now>$" ('$' follows '#')
        return indexItems(BY_RETRY_INDEX, ENTITY, USER_ENTITY, "retryAt", Watermark.timeKey(now) + "$")
                .map(item -> str(item, "userId"));
    }

    @Override
    public Stream<SweepEntry> usersInSweepOrder() {
        return indexItems(BY_SWEEP_ORDER_INDEX, ENTITY, USER_ENTITY).map(item -> new SweepEntry(str(item, "userId"),
                checkedAt(str(item, "sweepOrder"))));
    }

    /**
     * A user's place in the sweep order: its last check (or {@value #NEVER_VERIFIED}, before every time), then its
     * id (escaped, and shortened with a hash when the whole would exceed 1024 bytes: see {@link Keys#fit}), so no
     * two users share a sort key (ties at an index's page boundary are not safe to rely on). Only the time is ever
     * read back from it; the user id is read from the item's {@code userId}.
     */
    static String sweepOrder(Instant checkedAt, String userId) {
        String head = (checkedAt == null ? NEVER_VERIFIED : Watermark.timeKey(checkedAt)) + "#";
        return head + Keys.userSortPart(userId, head.length());
    }

    /** When a user's retry is due, then its id (unique per user, at most an index sort key's 1024 bytes). */
    static String retryAt(Instant at, String userId) {
        String head = Watermark.timeKey(at) + "#";
        return head + Keys.userSortPart(userId, head.length());
    }

    private static Instant checkedAt(String sweepOrder) {
        return sweepOrder.startsWith(NEVER_VERIFIED) ? null
                : Instant.parse(sweepOrder.substring(0, sweepOrder.indexOf('#')));
    }

    @Override
    public Optional<Pass> pass() {
        return Optional.ofNullable(get(sweepKey(PASS_SK))).map(item -> new Pass(time(item, "startedAt"),
                str(item, "brokenAfter"), str(item, "flaggedAfter")));
    }

    @Override
    public void startPass(Instant at) {
        dynamo.updateItem(new UpdateBuilder().set("startedAt", Watermark.timeKey(at))
                .remove("brokenAfter").remove("flaggedAfter")
                .build(table, sweepKey(PASS_SK), ReturnValue.NONE));
    }

    @Override
    public void advancePass(Pass pass) {
        UpdateBuilder u = new UpdateBuilder();
        setOrRemove(u, "brokenAfter", pass.brokenAfter());
        setOrRemove(u, "flaggedAfter", pass.flaggedAfter());
        u.when(u.name("startedAt") + " = " + u.value(AttributeValue.fromS(Watermark.timeKey(pass.startedAt()))));
        update(u, sweepKey(PASS_SK)); // refused: a new pass began meanwhile, it reads its lists from the start
    }

    @Override
    public boolean saveUserSecret(String userId, String userSecret) {
        UpdateBuilder u = new UpdateBuilder().set(ENTITY, USER_ENTITY).set("userId", userId)
                .set("userSecret", userSecret)
                .setIfAbsent("sweepOrder", UpdateBuilder.s(sweepOrder(null, userId)))
                .remove("problem").remove("retryAt").remove("sweepFailures").remove("flagChecks");
        u.when(notDeleted(u));
        return update(u, key(userId, Keys.USER_SK));
    }

    @Override
    public Optional<HeldSecret> heldSecret(String userId) {
        Map<String, AttributeValue> item = get(userId, Keys.USER_SK);
        if (item == null || str(item, "userSecret") == null || deleted(item)) {
            return Optional.empty();
        }
        return Optional.of(new HeldSecret(new UserCredentials(userId, str(item, "userSecret")), str(item, "problem")));
    }

    @Override
    public boolean clearFlag(String userId, String secretUsed) {
        UpdateBuilder u = new UpdateBuilder().remove("problem").remove("flagChecks").remove("retryAt")
                .remove("sweepFailures")
                .setIfAbsent("sweepOrder", UpdateBuilder.s(sweepOrder(null, userId)));
        u.when(u.name("userSecret") + " = " + u.value(AttributeValue.fromS(secretUsed)) + " AND " + notDeleted(u));
        return update(u, key(userId, Keys.USER_SK));
    }

    @Override
    public Optional<UserCredentials> credentials(String userId) {
        Map<String, AttributeValue> item = get(userId, Keys.USER_SK);
        if (item == null || str(item, "userSecret") == null || item.containsKey("problem")) {
            return Optional.empty();
        }
        return Optional.of(new UserCredentials(userId, str(item, "userSecret")));
    }

    @Override
    public void flagUser(String userId, String problem, Instant at, String secretUsed) {
        // one conditional write on the count read just before, so the flag and its recheck time land together
        for (int attempt = 0; attempt < 5; attempt++) {
            Map<String, AttributeValue> item = get(userId, Keys.USER_SK);
            if (item == null || !secretUsed.equals(str(item, "userSecret")) || deleted(item)) {
                return; // nothing to recheck: no secret, another secret by now, or deleted
            }
            String before = item.containsKey("flagChecks") ? item.get("flagChecks").n() : null;
            int flags = before == null ? 1 : Integer.parseInt(before) + 1;
            UpdateBuilder u = new UpdateBuilder().set("problem", problem)
                    .set("flagChecks", AttributeValue.fromN(Integer.toString(flags)))
                    .set("lastCheckedAt", Watermark.timeKey(at))
                    .set("retryAt", retryAt(at.plus(RetryBackoff.FLAGGED_RECHECK.delayAfter(flags)), userId))
                    .remove("sweepOrder").remove("sweepFailures");
            String count = u.name("flagChecks");
            u.when(u.name("userSecret") + " = " + u.value(AttributeValue.fromS(secretUsed)) + " AND "
                    + notDeleted(u) + " AND "
                    + (before == null ? "attribute_not_exists(" + count + ")"
                    : count + " = " + u.value(AttributeValue.fromN(before))));
            if (update(u, key(userId, Keys.USER_SK))) {
                return;
            }
        }
        throw new IllegalStateException("user " + userId + " changed under five attempts to flag it");
    }

    /** The items of one index partition, in the index's order, read page by page as consumed. */
    private Stream<Map<String, AttributeValue>> indexItems(String index, String hashAttribute, String hashValue) {
        return indexItems(QueryRequest.builder()
                .keyConditionExpression("#h = :h")
                .expressionAttributeNames(Map.of("#h", hashAttribute))
                .expressionAttributeValues(Map.of(":h", AttributeValue.fromS(hashValue))), index);
    }

    /** Like {@link #indexItems(String, String, String)}, only the items whose sort key is below {@code bound}. */
    private Stream<Map<String, AttributeValue>> indexItems(String index, String hashAttribute, String hashValue,
                                                           String rangeAttribute, String bound) {
        return indexItems(QueryRequest.builder()
                .keyConditionExpression("#h = :h AND #r < :bound")
                .expressionAttributeNames(Map.of("#h", hashAttribute, "#r", rangeAttribute))
                .expressionAttributeValues(Map.of(":h", AttributeValue.fromS(hashValue),
                        ":bound", AttributeValue.fromS(bound))), index);
    }

    private Stream<Map<String, AttributeValue>> indexItems(QueryRequest.Builder query, String index) {
        return dynamo.queryPaginator(query.tableName(table).indexName(index).limit(INDEX_PAGE_SIZE).build())
                .items().stream();
    }

    /** When the sweep last verified the user at SnapTrade (empty: never, or unknown user). */
    public Optional<Instant> lastVerified(String userId) {
        Map<String, AttributeValue> item = get(userId, Keys.USER_SK);
        return item == null ? Optional.empty() : Optional.ofNullable(time(item, "lastVerifiedAt"));
    }

    @Override
    public Optional<Standing> standing(String userId) {
        Map<String, AttributeValue> item = get(userId, Keys.USER_SK);
        if (item == null) {
            return Optional.empty();
        }
        boolean inSweep = item.containsKey("userSecret") && !item.containsKey("problem") && !deleted(item);
        return Optional.of(new Standing(time(item, "lastCheckedAt"), inSweep));
    }

    @Override
    public Optional<Instant> lastChecked(String userId) {
        Map<String, AttributeValue> item = get(userId, Keys.USER_SK);
        return item == null ? Optional.empty() : Optional.ofNullable(time(item, "lastCheckedAt"));
    }

    @Override
    public void markVerified(String userId, Instant at) {
        checked(userId, at, true);
    }

    @Override
    public void markChecked(String userId, Instant at) {
        checked(userId, at, false);
    }

    private void checked(String userId, Instant at, boolean verified) {
        String t = Watermark.timeKey(at);
        UpdateBuilder u = new UpdateBuilder().set("lastCheckedAt", t).set("sweepOrder", sweepOrder(at, userId))
                .remove("retryAt").remove("sweepFailures");
        if (verified) {
            u.set("lastVerifiedAt", t);
        }
        if (!updateInSweep(u, userId, ReturnValue.NONE).isPresent()) {
            // Flagged, deleted, without a secret, or known only from its connections' webhooks (no user item yet): the
            // check still counts for the pass, and the user leaves the sweep order (an earlier release queued users
            // registered by webhook without a secret: each such entry takes one place, once).
            dynamo.updateItem(new UpdateBuilder().set("lastCheckedAt", t).remove("sweepOrder")
                    .setIfAbsent(ENTITY, UpdateBuilder.s(USER_ENTITY)).setIfAbsent("userId", UpdateBuilder.s(userId))
                    .build(table, key(userId, Keys.USER_SK), ReturnValue.NONE));
        }
    }

    @Override
    public int scheduleRetry(String userId, Instant at, RetryBackoff backoff) {
        UpdateBuilder u = new UpdateBuilder().set("lastCheckedAt", Watermark.timeKey(at))
                .set("sweepOrder", sweepOrder(at, userId)).add("sweepFailures", AttributeValue.fromN("1"));
        Optional<UpdateItemResponse> counted = updateInSweep(u, userId, ReturnValue.UPDATED_NEW);
        if (counted.isEmpty()) {
            // a flagged user whose recheck failed for a transient reason: its recheck moves by the same backoff
            UpdateBuilder flagged = new UpdateBuilder().set("lastCheckedAt", Watermark.timeKey(at))
                    .add("sweepFailures", AttributeValue.fromN("1"));
            flagged.when("attribute_exists(" + flagged.name("problem") + ") AND attribute_exists("
                    + flagged.name("userSecret") + ") AND " + notDeleted(flagged));
            try {
                counted = Optional.of(dynamo.updateItem(flagged.build(table, key(userId, Keys.USER_SK),
                        ReturnValue.UPDATED_NEW)));
            } catch (ConditionalCheckFailedException notFlaggedEither) {
                return 0;
            }
        }
        int failures = Integer.parseInt(counted.get().attributes().get("sweepFailures").n());
        UpdateBuilder retry = new UpdateBuilder().set("retryAt", retryAt(at.plus(backoff.delayAfter(failures)), userId));
        retry.when(retry.name("sweepFailures") + " = " + retry.value(AttributeValue.fromN(Integer.toString(failures))));
        update(retry, key(userId, Keys.USER_SK)); // refused: verified, flagged, deleted or failed again since
        return failures;
    }

    /** Applies {@code u} if the user is in the sweep (a secret held, not deleted, not flagged); empty if not. */
    private Optional<UpdateItemResponse> updateInSweep(UpdateBuilder u, String userId, ReturnValue returnValue) {
        u.when("attribute_exists(" + u.name("userSecret") + ") AND attribute_not_exists(" + u.name("problem") + ") AND "
                + notDeleted(u));
        try {
            return Optional.of(dynamo.updateItem(u.build(table, key(userId, Keys.USER_SK), returnValue)));
        } catch (ConditionalCheckFailedException notInTheSweep) {
            return Optional.empty();
        }
    }

    @Override
    public Optional<Account> account(String userId) {
        Map<String, AttributeValue> item = get(userId, Keys.USER_SK);
        if (item == null) {
            return Optional.empty();
        }
        String status = str(item, "status");
        return Optional.of(new Account(userId, status == null ? null : UserStatus.valueOf(status),
                item.containsKey("userSecret"), str(item, "problem"), time(item, "lastVerifiedAt"),
                time(item, "registeringSince")));
    }

    @Override
    public RegistrationStart beginRegistration(String userId, Instant at, String attemptId, Instant leaseUntil) {
        UpdateBuilder u = new UpdateBuilder().set(ENTITY, USER_ENTITY).set("userId", userId)
                .setIfAbsent("registeringSince", UpdateBuilder.s(Watermark.timeKey(at)))
                .set("registrationAttempt", attemptId)
                .set("registrationLeaseUntil", Watermark.timeKey(leaseUntil));
        String status = u.name("status");
        String lease = u.name("registrationLeaseUntil");
        u.when("(attribute_not_exists(" + u.name("userSecret") + ") OR " + status + " = "
                + u.value(AttributeValue.fromS(UserStatus.DELETED.name())) + ") AND (attribute_not_exists(" + lease
                + ") OR " + lease + " < " + u.value(AttributeValue.fromS(Watermark.timeKey(at))) + ")");
        if (update(u, key(userId, Keys.USER_SK))) {
            return RegistrationStart.STARTED;
        }
        Map<String, AttributeValue> item = get(userId, Keys.USER_SK);
        boolean exists = item != null && item.containsKey("userSecret") && !deleted(item);
        return exists ? RegistrationStart.EXISTS : RegistrationStart.IN_PROGRESS;
    }

    @Override
    public void endRegistration(String userId, String attemptId, boolean definite) {
        if (definite) {
            // the item holds nothing but this attempt (it was created by it): nothing is left behind
            try {
                dynamo.deleteItem(DeleteItemRequest.builder().tableName(table).key(key(userId, Keys.USER_SK))
                        .conditionExpression("#a = :a AND attribute_not_exists(#s) AND attribute_not_exists(#sec)"
                                + " AND attribute_not_exists(#aw) AND attribute_not_exists(#lc)")
                        .expressionAttributeNames(Map.of("#a", "registrationAttempt", "#s", "status",
                                "#sec", "userSecret", "#aw", "attemptWatermark", "#lc", "lastCheckedAt"))
                        .expressionAttributeValues(Map.of(":a", AttributeValue.fromS(attemptId)))
                        .build());
                return;
            } catch (ConditionalCheckFailedException holdsMore) {
                // a user known otherwise too (webhooks, sweep): only this attempt's marks go
            }
        }
        UpdateBuilder u = new UpdateBuilder().remove("registrationAttempt").remove("registrationLeaseUntil");
        if (definite) {
            u.remove("registeringSince");
        }
        u.when(u.name("registrationAttempt") + " = " + u.value(AttributeValue.fromS(attemptId))
                + " AND attribute_not_exists(" + u.name("userSecret") + ")");
        update(u, key(userId, Keys.USER_SK)); // refused: another attempt holds it now, or the user is stored
    }

    @Override
    public boolean createUser(String userId, String userSecret, Instant at, String requestId) {
        Watermark registration = Watermark.of(at, 0, requestId);
        UpdateBuilder fresh = new UpdateBuilder().set(ENTITY, USER_ENTITY).set("userId", userId)
                .set("status", UserStatus.ACTIVE.name())
                .set("registeredAt", Watermark.timeKey(at))
                .set("watermark", registration.encoded())
                .set("userSecret", userSecret)
                .set("sweepOrder", sweepOrder(null, userId))
                .remove("deletedAt").remove("problem").remove("retryAt").remove("sweepFailures").remove("flagChecks")
                .remove("registeringSince").remove("registrationAttempt").remove("registrationLeaseUntil");
        String status = fresh.name("status");
        fresh.when("attribute_not_exists(" + status + ") OR " + status + " = "
                + fresh.value(AttributeValue.fromS(UserStatus.DELETED.name())));
        if (update(fresh, key(userId, Keys.USER_SK))) {
            return true;
        }
        // Registered already without a secret: SnapTrade's USER_REGISTERED webhook for this very registration may
        // have arrived first. Keep its (newer) registration, add the secret.
        UpdateBuilder known = new UpdateBuilder().set("userSecret", userSecret)
                .setIfAbsent("sweepOrder", UpdateBuilder.s(sweepOrder(null, userId)))
                .remove("problem").remove("retryAt").remove("sweepFailures").remove("flagChecks")
                .remove("registeringSince").remove("registrationAttempt").remove("registrationLeaseUntil");
        known.when("attribute_not_exists(" + known.name("userSecret") + ") AND " + known.name("status") + " <> "
                + known.value(AttributeValue.fromS(UserStatus.DELETED.name())));
        return update(known, key(userId, Keys.USER_SK));
    }

    /** Condition: the user is not deleted (no status yet, or another one). */
    private static String notDeleted(UpdateBuilder u) {
        String status = u.name("status");
        return "(attribute_not_exists(" + status + ") OR " + status + " <> "
                + u.value(AttributeValue.fromS(UserStatus.DELETED.name())) + ")";
    }

    private static boolean deleted(Map<String, AttributeValue> item) {
        return UserStatus.DELETED.name().equals(str(item, "status"));
    }

    /** Applies a conditional update; false when its condition does not hold. */
    private boolean update(UpdateBuilder u, Map<String, AttributeValue> key) {
        try {
            dynamo.updateItem(u.build(table, key, ReturnValue.NONE));
            return true;
        } catch (ConditionalCheckFailedException notNow) {
            return false;
        }
    }

    @Override
    public void forgetSecret(String userId) {
        UpdateBuilder u = new UpdateBuilder().remove("userSecret");
        u.when("attribute_exists(" + u.name(Keys.PK) + ")");
        update(u, key(userId, Keys.USER_SK)); // refused: unknown user, nothing stored
    }

    @Override
    public void recordLink(IssuedLink link) {
        dynamo.updateItem(new UpdateBuilder().set(ENTITY, LINK_ENTITY).set("userId", link.userId())
                .set("connectionId", link.connectionId())
                .set("issuedAt", Watermark.timeKey(link.issuedAt()))
                .set("validUntil", Watermark.timeKey(link.expiresAt()))
                .set("expiresAt", AttributeValue.fromN(Long.toString(link.expiresAt().getEpochSecond() + 86_400)))
                .build(table, key(link.userId(), Keys.link(link.nonce())), ReturnValue.NONE));
    }

    @Override
    public boolean consumeLink(String userId, String connectionId, String nonce, Instant at, PortalReturn portal) {
        UpdateBuilder u = new UpdateBuilder().set("consumedAt", Watermark.timeKey(at))
                .set("portalStatus", portal.status());
        if (portal.otherConnection()) {
            u.set("portalOtherConnection", AttributeValue.fromBool(true));
        }
        u.when("attribute_exists(" + u.name(Keys.PK) + ") AND attribute_not_exists(" + u.name("consumedAt") + ") AND "
                + u.name("connectionId") + " = " + u.value(AttributeValue.fromS(connectionId)) + " AND "
                + u.name("validUntil") + " > " + u.value(AttributeValue.fromS(Watermark.timeKey(at))));
        return update(u, key(userId, Keys.link(nonce))); // false: used, unknown, another connection, or expired
    }

    @Override
    public Optional<LiveLink> liveLink(String userId, String connectionId, String options) {
        Map<String, AttributeValue> item = get(userId, Keys.liveLink(connectionId, options));
        if (item == null) {
            return Optional.empty();
        }
        LiveLink live = new LiveLink(str(item, "connectionId"), str(item, "options"), str(item, "type"),
                str(item, "redirectUri"), str(item, "sessionId"), time(item, "linkExpiresAt"), str(item, "nonce"));
        Map<String, AttributeValue> state = get(userId, Keys.link(live.nonce()));
        return state == null || state.containsKey("consumedAt") ? Optional.empty() : Optional.of(live);
    }

    @Override
    public void keepLiveLink(String userId, LiveLink link) {
        dynamo.updateItem(new UpdateBuilder().set(ENTITY, LIVE_LINK_ENTITY).set("userId", userId)
                .set("connectionId", link.connectionId())
                .set("options", link.options())
                .set("type", link.type())
                .set("redirectUri", link.redirectUri())
                .set("sessionId", link.sessionId())
                .set("linkExpiresAt", Watermark.timeKey(link.expiresAt()))
                .set("nonce", link.nonce())
                .set("expiresAt", AttributeValue.fromN(Long.toString(link.expiresAt().getEpochSecond() + 1)))
                .build(table, key(userId, Keys.liveLink(link.connectionId(), link.options())), ReturnValue.NONE));
    }

    @Override
    public Optional<Instant> takeLinkSlot(String userId, Instant now, Duration window, int limit) {
        Map<String, AttributeValue> key = key(userId, Keys.LINK_RATE_SK);
        AttributeValue cutoff = AttributeValue.fromN(Long.toString(now.minus(window).getEpochSecond()));
        for (int attempt = 0; attempt < 2; attempt++) {
            UpdateBuilder next = new UpdateBuilder().add("minted", AttributeValue.fromN("1"));
            next.when(next.name("windowStart") + " > " + next.value(cutoff) + " AND " + next.name("minted") + " < "
                    + next.value(AttributeValue.fromN(Integer.toString(limit))));
            if (update(next, key)) {
                return Optional.empty();
            }
            UpdateBuilder open = new UpdateBuilder().set(ENTITY, LINK_RATE_ENTITY).set("userId", userId)
                    .set("windowStart", AttributeValue.fromN(Long.toString(now.getEpochSecond())))
                    .set("minted", AttributeValue.fromN("1"))
                    .set("expiresAt", AttributeValue.fromN(Long.toString(now.plus(window).getEpochSecond())));
            String start = open.name("windowStart");
            open.when("attribute_not_exists(" + start + ") OR " + start + " <= " + open.value(cutoff));
            if (limit > 0 && update(open, key)) {
                return Optional.empty();
            }
            // the window is full, or another request opened a new one first: count in that one (once more)
        }
        Map<String, AttributeValue> item = get(key);
        long start = item == null || !item.containsKey("windowStart") ? now.getEpochSecond()
                : Long.parseLong(item.get("windowStart").n());
        return Optional.of(Instant.ofEpochSecond(start).plus(window));
    }

    @Override
    public Optional<LinkUse> link(String userId, String nonce) {
        Map<String, AttributeValue> item = get(userId, Keys.link(nonce));
        if (item == null) {
            return Optional.empty();
        }
        String portalStatus = str(item, "portalStatus");
        AttributeValue other = item.get("portalOtherConnection");
        PortalReturn portal = portalStatus == null ? null
                : new PortalReturn(portalStatus, other != null && Boolean.TRUE.equals(other.bool()));
        return Optional.of(new LinkUse(str(item, "connectionId"), time(item, "consumedAt"), portal,
                str(item, "outcome"), str(item, "outcomeReason")));
    }

    @Override
    public void recordLinkOutcome(String userId, String nonce, String outcome, String reason) {
        UpdateBuilder u = new UpdateBuilder().set("outcome", outcome);
        if (reason != null) {
            u.set("outcomeReason", reason);
        }
        u.when("attribute_exists(" + u.name(Keys.PK) + ")");
        update(u, key(userId, Keys.link(nonce))); // refused: unknown link, nothing stored
    }

    @Override
    public boolean tryLease(String owner, Instant now, Duration ttl) {
        UpdateBuilder u = new UpdateBuilder().set("owner", owner)
                .set("expiresAt", AttributeValue.fromN(Long.toString(now.plus(ttl).getEpochSecond())));
        String ownerName = u.name("owner");
        String expires = u.name("expiresAt");
        u.when("attribute_not_exists(" + ownerName + ") OR " + ownerName + " = " + u.value(AttributeValue.fromS(owner))
                + " OR " + expires + " < " + u.value(AttributeValue.fromN(Long.toString(now.getEpochSecond()))));
        return update(u, leaseKey()); // false: held by another run
    }

    @Override
    public void releaseLease(String owner) {
        try {
            dynamo.deleteItem(DeleteItemRequest.builder()
                    .tableName(table)
                    .key(leaseKey())
                    .conditionExpression("#o = :o")
                    .expressionAttributeNames(Map.of("#o", "owner"))
                    .expressionAttributeValues(Map.of(":o", AttributeValue.fromS(owner)))
                    .build());
        } catch (ConditionalCheckFailedException notOurs) {
            // expired and taken by another run: theirs now
        }
    }

    private static Map<String, AttributeValue> leaseKey() {
        return sweepKey(LEASE_SK);
    }

    /** The sweep's own items live in one partition outside every user's. */
    private static Map<String, AttributeValue> sweepKey(String sk) {
        return Map.of(Keys.PK, AttributeValue.fromS(Keys.SWEEP_PARTITION), Keys.SK, AttributeValue.fromS(sk));
    }

    private List<Map<String, AttributeValue>> queryPartition(String userId, String skPrefix) {
        QueryRequest query = QueryRequest.builder()
                .tableName(table)
                .consistentRead(true)
                .keyConditionExpression("#pk = :pk AND begins_with(#sk, :prefix)")
                .expressionAttributeNames(Map.of("#pk", Keys.PK, "#sk", Keys.SK))
                .expressionAttributeValues(Map.of(
                        ":pk", AttributeValue.fromS(Keys.userPartition(userId)),
                        ":prefix", AttributeValue.fromS(skPrefix)))
                .build();
        return dynamo.queryPaginator(query).items().stream().toList();
    }

    private Map<String, AttributeValue> get(String userId, String sk) {
        return get(key(userId, sk));
    }

    private Map<String, AttributeValue> get(Map<String, AttributeValue> key) {
        Map<String, AttributeValue> item = dynamo.getItem(GetItemRequest.builder()
                .tableName(table)
                .key(key)
                .consistentRead(true)
                .build()).item();
        return item == null || item.isEmpty() ? null : item;
    }

    private static Map<String, AttributeValue> key(String userId, String sk) {
        return Map.of(Keys.PK, AttributeValue.fromS(Keys.userPartition(userId)), Keys.SK, AttributeValue.fromS(sk));
    }

    private static ConnectionState toConnection(Map<String, AttributeValue> item) {
        return new ConnectionState(
                str(item, "userId"),
                str(item, "connectionId"),
                ConnectionStatus.valueOf(str(item, "status")),
                str(item, "brokerageId"),
                time(item, "brokenSince"),
                time(item, "fixedAt"),
                time(item, "verifyRequestedAt"),
                watermark(item, "watermark"),
                str(item, "lastEventType"),
                Source.fromWire(str(item, "source")),
                item.containsKey("lastVerifiedAt") ? observed(item) : null);
    }

    private static Observed observed(Map<String, AttributeValue> item) {
        return new Observed(str(item, "brokerageSlug"), str(item, "brokerageName"),
                item.containsKey("type") ? ConnectionType.fromWire(str(item, "type")) : null,
                time(item, "lastVerifiedAt"));
    }

    private static String str(Map<String, AttributeValue> item, String name) {
        AttributeValue v = item.get(name);
        return v == null ? null : v.s();
    }

    private static Instant time(Map<String, AttributeValue> item, String name) {
        String s = str(item, name);
        return s == null ? null : Instant.parse(s);
    }

    private static Watermark watermark(Map<String, AttributeValue> item, String name) {
        String s = str(item, name);
        return s == null ? null : Watermark.parse(s);
    }
}
