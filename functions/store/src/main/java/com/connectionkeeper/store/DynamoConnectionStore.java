package com.connectionkeeper.store;

import static com.connectionkeeper.store.Attributes.ATTEMPT_WATERMARK;
import static com.connectionkeeper.store.Attributes.BROKEN_SINCE;
import static com.connectionkeeper.store.Attributes.BROKERAGE_ID;
import static com.connectionkeeper.store.Attributes.BROKERAGE_NAME;
import static com.connectionkeeper.store.Attributes.BROKERAGE_SLUG;
import static com.connectionkeeper.store.Attributes.CONNECTION_ENTITY;
import static com.connectionkeeper.store.Attributes.CONNECTION_ID;
import static com.connectionkeeper.store.Attributes.DELETED_AT;
import static com.connectionkeeper.store.Attributes.DELETION_WATERMARK;
import static com.connectionkeeper.store.Attributes.DELIVERIES;
import static com.connectionkeeper.store.Attributes.ENTITY;
import static com.connectionkeeper.store.Attributes.EVENT_TIME;
import static com.connectionkeeper.store.Attributes.EVENT_TYPE;
import static com.connectionkeeper.store.Attributes.EXPIRES_AT;
import static com.connectionkeeper.store.Attributes.FIXED_AT;
import static com.connectionkeeper.store.Attributes.HISTORY_ENTITY;
import static com.connectionkeeper.store.Attributes.LAST_ATTEMPT_AT;
import static com.connectionkeeper.store.Attributes.LAST_ATTEMPT_BROKERAGE_ID;
import static com.connectionkeeper.store.Attributes.LAST_ATTEMPT_RESULT;
import static com.connectionkeeper.store.Attributes.LAST_ATTEMPT_TYPE;
import static com.connectionkeeper.store.Attributes.LAST_EVENT_TYPE;
import static com.connectionkeeper.store.Attributes.LAST_RECEIVED_AT;
import static com.connectionkeeper.store.Attributes.LAST_VERIFIED_AT;
import static com.connectionkeeper.store.Attributes.PAYLOAD;
import static com.connectionkeeper.store.Attributes.RECEIVED_AT;
import static com.connectionkeeper.store.Attributes.REGISTERED_AT;
import static com.connectionkeeper.store.Attributes.RESULT;
import static com.connectionkeeper.store.Attributes.RETRY_AT;
import static com.connectionkeeper.store.Attributes.SOURCE;
import static com.connectionkeeper.store.Attributes.STATUS;
import static com.connectionkeeper.store.Attributes.SWEEP_FAILURES;
import static com.connectionkeeper.store.Attributes.SWEEP_ORDER;
import static com.connectionkeeper.store.Attributes.TYPE;
import static com.connectionkeeper.store.Attributes.USER_ENTITY;
import static com.connectionkeeper.store.Attributes.USER_ID;
import static com.connectionkeeper.store.Attributes.VERIFY_REQUESTED_AT;
import static com.connectionkeeper.store.Attributes.WATERMARK;
import static com.connectionkeeper.store.Attributes.WEBHOOK_ID;

import com.connectionkeeper.core.ingest.ConnectionStore;
import com.connectionkeeper.core.model.ConnectionChange;
import com.connectionkeeper.core.model.ConnectionState;
import com.connectionkeeper.core.model.ConnectionStatus;
import com.connectionkeeper.core.model.EventType;
import com.connectionkeeper.core.model.HistoryEntry;
import com.connectionkeeper.core.model.Observed;
import com.connectionkeeper.core.model.Source;
import com.connectionkeeper.core.model.UserState;
import com.connectionkeeper.core.model.UserStatus;
import com.connectionkeeper.core.model.Watermark;
import com.connectionkeeper.core.model.WebhookEvent;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemResponse;

/**
 * The DynamoDB adapter of {@link ConnectionStore}: connection items, the user item's state (registration, deletion,
 * last connection attempt) and history items. Every write is one conditional UpdateItem (no transactions), and
 * replaying a write gives the same item.
 */
public final class DynamoConnectionStore implements ConnectionStore {
    private final DynamoTable table;
    private final Duration historyRetention;

    /** History items expire {@code historyRetention} after their first delivery (DynamoDB's TTL). */
    public DynamoConnectionStore(DynamoTable table, Duration historyRetention) {
        this.table = table;
        this.historyRetention = historyRetention;
    }

    /** SnapStart priming: {@link DynamoTable#primeRead} on this store's table. */
    public boolean primeRead() {
        return table.primeRead();
    }

    @Override
    public ConnectionWrite applyToConnection(String userId, String connectionId, ConnectionChange c) {
        UpdateBuilder u = new UpdateBuilder()
                .set(ENTITY, CONNECTION_ENTITY)
                .set(USER_ID, userId)
                .set(CONNECTION_ID, connectionId)
                .set(WATERMARK, c.watermark().encoded())
                .set(LAST_EVENT_TYPE, c.eventType())
                .set(SOURCE, c.source().wire())
                .set(BROKERAGE_ID, c.brokerageId())
                .set(FIXED_AT, c.fixedAt() == null ? null : Watermark.timeKey(c.fixedAt()));
        if (EventType.CONNECTION_ADDED.name().equals(c.eventType())) {
            // when it was added (SnapTrade's CONNECTION_ADDED): with fixedAt, when its current token was issued. Not
            // from any other write: a connection first seen otherwise (an earlier release, the sweep, an import) has
            // no known issue time until its first repair
            u.setIfAbsent(Attributes.ADDED_AT, UpdateBuilder.s(Watermark.timeKey(c.eventTime())));
        }
        // the census index's key (ByBrokerage): the brokerage once known, never blank or too long for a key; a
        // deleted connection leaves the index, so no census reads it again
        String census = Keys.censusBrokerage(c.brokerageId());
        if (c.status() == ConnectionStatus.DELETED) {
            u.remove(Attributes.CENSUS_BROKERAGE);
        } else if (census == null) {
            u.setIfAbsent(Attributes.CENSUS_BROKERAGE, UpdateBuilder.s(Keys.UNKNOWN_BROKERAGE));
        } else {
            u.set(Attributes.CENSUS_BROKERAGE, census);
        }
        if (c.status() == null) {
            u.setIfAbsent(STATUS, UpdateBuilder.s(ConnectionStatus.ACTIVE.name()));
        } else {
            u.set(STATUS, c.status().name());
        }
        if (c.status() == ConnectionStatus.BROKEN) {
            u.setIfAbsent(BROKEN_SINCE, UpdateBuilder.s(Watermark.timeKey(c.brokenAt())));
            // enters the reminder run's due index (a connection broken before reminders existed, at its next write)
            u.setIfAbsent(Attributes.REMINDER_DUE_AT, UpdateBuilder.s(Watermark.timeKey(c.brokenAt())));
        } else if (c.status() != null) {
            u.remove(BROKEN_SINCE);
            // fixed or deleted: out of the reminder run's index, and a later break starts its reminders again
            u.remove(Attributes.REMINDER_DUE_AT).remove(Attributes.REMINDER_STEP).remove(Attributes.REMINDER_FOR)
                    .remove(Attributes.REMINDED_AT);
        }
        if (c.observed() != null) {
            Observed o = c.observed();
            u.setOrRemove(BROKERAGE_SLUG, o.brokerageSlug());
            u.setOrRemove(BROKERAGE_NAME, o.brokerageName());
            u.setOrRemove(TYPE, o.type() == null ? null : o.type().wire());
            u.set(LAST_VERIFIED_AT, Watermark.timeKey(o.verifiedAt()));
        }
        switch (c.verification()) {
            case REQUEST -> u.setIfAbsent(VERIFY_REQUESTED_AT, UpdateBuilder.s(Watermark.timeKey(c.eventTime())));
            case CLEAR -> u.remove(VERIFY_REQUESTED_AT);
            case KEEP -> { }
        }
        u.whenAbsentOrNotAfter(WATERMARK, c.watermark().encoded());
        Optional<UpdateItemResponse> written = table.update(u,
                DynamoTable.key(userId, Keys.connection(connectionId)), ReturnValue.UPDATED_OLD);
        if (written.isEmpty()) {
            return new ConnectionWrite(false, false); // stale
        }
        UpdateItemResponse response = written.get();
        AttributeValue old = response.hasAttributes() ? response.attributes().get(WATERMARK) : null;
        return new ConnectionWrite(true, old == null || old.s().equals(c.watermark().encoded()));
    }

    @Override
    public boolean applyToUser(WebhookEvent e) {
        String t = Watermark.timeKey(e.eventTime());
        String w = e.watermark().encoded();
        UpdateBuilder u = new UpdateBuilder().set(ENTITY, USER_ENTITY).set(USER_ID, e.userId());
        switch (e.type()) {
            // no sweepOrder: a user enters the sweep with its secret (saveUserSecret, createUser), not before —
            // without one its check could only fail, taking a real check's place in every pass
            case USER_REGISTERED -> u.set(STATUS, UserStatus.ACTIVE.name())
                    .set(REGISTERED_AT, t)
                    .set(WATERMARK, w)
                    .whenAbsentOrNotAfter(WATERMARK, w);
            case USER_DELETED -> {
                return applyUserDeletion(e.userId(), e.watermark(), e.eventTime(), Source.WEBHOOK);
            }
            case CONNECTION_ATTEMPTED, CONNECTION_FAILED -> u.set(LAST_ATTEMPT_TYPE, e.type().name())
                    .set(LAST_ATTEMPT_AT, t)
                    .set(ATTEMPT_WATERMARK, w)
                    .whenAbsentOrNotAfter(ATTEMPT_WATERMARK, w)
                    .setOrRemove(LAST_ATTEMPT_RESULT, e.attemptResult())
                    .setOrRemove(LAST_ATTEMPT_BROKERAGE_ID, e.brokerageId());
            default -> throw new IllegalArgumentException("not a user event: " + e.type());
        }
        return table.update(u, DynamoTable.key(e.userId(), Keys.USER_SK)); // false: stale
    }

    @Override
    public boolean applyUserDeletion(String userId, Watermark watermark, Instant deletedAt, Source source) {
        String w = watermark.encoded();
        UpdateBuilder u = new UpdateBuilder().set(ENTITY, USER_ENTITY).set(USER_ID, userId)
                .set(STATUS, UserStatus.DELETED.name())
                .set(DELETED_AT, Watermark.timeKey(deletedAt))
                .set(WATERMARK, w)
                .set(DELETION_WATERMARK, w)
                .set(SOURCE, source.wire())
                .remove(SWEEP_ORDER).remove(Attributes.DUE_AT).remove(RETRY_AT).remove(SWEEP_FAILURES)
                .whenAbsentOrNotAfter(WATERMARK, w);
        return table.update(u, DynamoTable.key(userId, Keys.USER_SK)); // false: stale
    }

    @Override
    public Optional<UserState> user(String userId) {
        return Optional.ofNullable(table.get(userId, Keys.USER_SK)).map(item -> Items.user(userId, item));
    }

    @Override
    public Optional<ConnectionState> connection(String userId, String connectionId) {
        return Optional.ofNullable(table.get(userId, Keys.connection(connectionId))).map(Items::connection);
    }

    @Override
    public List<ConnectionState> connections(String userId) {
        return table.queryPartition(userId, Keys.CONNECTION_PREFIX).stream().map(Items::connection).toList();
    }

    @Override
    public boolean recordHistory(HistoryEntry d) {
        UpdateBuilder u = new UpdateBuilder()
                .set(ENTITY, HISTORY_ENTITY)
                .set(USER_ID, d.userId())
                .set(CONNECTION_ID, d.connectionId())
                .set(WEBHOOK_ID, d.webhookId())
                .set(EVENT_TYPE, d.eventType())
                .set(EVENT_TIME, Watermark.timeKey(d.eventTime()))
                .set(SOURCE, d.source().wire())
                .setIfAbsent(RECEIVED_AT, UpdateBuilder.s(Watermark.timeKey(d.receivedAt())))
                .set(LAST_RECEIVED_AT, Watermark.timeKey(d.receivedAt()))
                .setIfAbsent(RESULT, UpdateBuilder.s(d.result().wire()))
                .setIfAbsent(PAYLOAD, UpdateBuilder.s(d.recordedJson()))
                .setIfAbsent(EXPIRES_AT, AttributeValue.fromN(
                        Long.toString(d.receivedAt().plus(historyRetention).getEpochSecond())))
                .add(DELIVERIES, AttributeValue.fromN("1"));
        UpdateItemResponse response = table.write(u, historyKey(d), ReturnValue.UPDATED_OLD);
        return !response.hasAttributes() || !response.attributes().containsKey(DELIVERIES);
    }

    /** The key of the history item of this delivery (and of its redeliveries). */
    static Map<String, AttributeValue> historyKey(HistoryEntry d) {
        return DynamoTable.key(d.userId(), Keys.history(d.connectionId(), d.eventTime(), d.webhookId(), d.eventType()));
    }

    @Override
    public List<HistoryEntry> history(String userId, String connectionId) {
        return table.queryPartition(userId, Keys.historyPrefix(connectionId)).stream()
                .map(item -> Items.history(userId, item))
                .toList();
    }
}
