package com.connectionkeeper.store;

import static com.connectionkeeper.store.Attributes.DELETED_AT;
import static com.connectionkeeper.store.Attributes.ENTITY;
import static com.connectionkeeper.store.Attributes.FLAG_CHECKS;
import static com.connectionkeeper.store.Attributes.LAST_CHECKED_AT;
import static com.connectionkeeper.store.Attributes.PROBLEM;
import static com.connectionkeeper.store.Attributes.REGISTERED_AT;
import static com.connectionkeeper.store.Attributes.REGISTERING_SINCE;
import static com.connectionkeeper.store.Attributes.REGISTRATION_ATTEMPT;
import static com.connectionkeeper.store.Attributes.REGISTRATION_LEASE_UNTIL;
import static com.connectionkeeper.store.Attributes.RETRY_AT;
import static com.connectionkeeper.store.Attributes.STATUS;
import static com.connectionkeeper.store.Attributes.SWEEP_FAILURES;
import static com.connectionkeeper.store.Attributes.SWEEP_ORDER;
import static com.connectionkeeper.store.Attributes.USER_ENTITY;
import static com.connectionkeeper.store.Attributes.USER_ID;
import static com.connectionkeeper.store.Attributes.USER_SECRET;
import static com.connectionkeeper.store.Attributes.WATERMARK;
import static com.connectionkeeper.store.Items.deleted;
import static com.connectionkeeper.store.Items.notDeleted;
import static com.connectionkeeper.store.Items.str;

import com.connectionkeeper.core.model.RetryBackoff;
import com.connectionkeeper.core.model.UserStatus;
import com.connectionkeeper.core.model.Watermark;
import com.connectionkeeper.core.secrets.SecretStore;
import com.connectionkeeper.core.snaptrade.UserCredentials;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * The DynamoDB adapter of {@link SecretStore}: the user item's secret, and its flag when SnapTrade rejected it (with
 * the flagged user's recheck time). Saving or accepting a secret puts the user in the sweep order; a flag takes it
 * out. A deleted user's item is never given a secret nor flagged.
 */
public final class DynamoSecretStore implements SecretStore {
    private final DynamoTable table;

    public DynamoSecretStore(DynamoTable table) {
        this.table = table;
    }

    @Override
    public boolean saveUserSecret(String userId, String userSecret) {
        UpdateBuilder u = new UpdateBuilder().set(ENTITY, USER_ENTITY).set(USER_ID, userId)
                .set(USER_SECRET, userSecret)
                .setIfAbsent(SWEEP_ORDER, UpdateBuilder.s(Keys.sweepOrder(null, userId)))
                .remove(PROBLEM).remove(RETRY_AT).remove(SWEEP_FAILURES).remove(FLAG_CHECKS);
        u.when(notDeleted(u));
        return table.update(u, DynamoTable.key(userId, Keys.USER_SK));
    }

    @Override
    public Optional<HeldSecret> heldSecret(String userId) {
        Map<String, AttributeValue> item = table.get(userId, Keys.USER_SK);
        if (item == null || str(item, USER_SECRET) == null || deleted(item)) {
            return Optional.empty();
        }
        return Optional.of(new HeldSecret(new UserCredentials(userId, str(item, USER_SECRET)), str(item, PROBLEM)));
    }

    @Override
    public boolean clearFlag(String userId, String secretUsed) {
        UpdateBuilder u = new UpdateBuilder().remove(PROBLEM).remove(FLAG_CHECKS).remove(RETRY_AT)
                .remove(SWEEP_FAILURES)
                .setIfAbsent(SWEEP_ORDER, UpdateBuilder.s(Keys.sweepOrder(null, userId)));
        u.when(u.name(USER_SECRET) + " = " + u.value(AttributeValue.fromS(secretUsed)) + " AND " + notDeleted(u));
        return table.update(u, DynamoTable.key(userId, Keys.USER_SK));
    }

    @Override
    public Optional<UserCredentials> credentials(String userId) {
        Map<String, AttributeValue> item = table.get(userId, Keys.USER_SK);
        if (item == null || str(item, USER_SECRET) == null || item.containsKey(PROBLEM)) {
            return Optional.empty();
        }
        return Optional.of(new UserCredentials(userId, str(item, USER_SECRET)));
    }

    @Override
    public void flagUser(String userId, String problem, Instant at, String secretUsed) {
        // one conditional write on the count read just before, so the flag and its recheck time land together
        for (int attempt = 0; attempt < 5; attempt++) {
            Map<String, AttributeValue> item = table.get(userId, Keys.USER_SK);
            if (item == null || !secretUsed.equals(str(item, USER_SECRET)) || deleted(item)) {
                return; // nothing to recheck: no secret, another secret by now, or deleted
            }
            String before = item.containsKey(FLAG_CHECKS) ? item.get(FLAG_CHECKS).n() : null;
            int flags = before == null ? 1 : Integer.parseInt(before) + 1;
            UpdateBuilder u = new UpdateBuilder().set(PROBLEM, problem)
                    .set(FLAG_CHECKS, AttributeValue.fromN(Integer.toString(flags)))
                    .set(LAST_CHECKED_AT, Watermark.timeKey(at))
                    .set(RETRY_AT, Keys.retryAt(at.plus(RetryBackoff.FLAGGED_RECHECK.delayAfter(flags)), userId))
                    .remove(SWEEP_ORDER).remove(SWEEP_FAILURES);
            String count = u.name(FLAG_CHECKS);
            u.when(u.name(USER_SECRET) + " = " + u.value(AttributeValue.fromS(secretUsed)) + " AND "
                    + notDeleted(u) + " AND "
                    + (before == null ? "attribute_not_exists(" + count + ")"
                    : count + " = " + u.value(AttributeValue.fromN(before))));
            if (table.update(u, DynamoTable.key(userId, Keys.USER_SK))) {
                return;
            }
        }
        throw new IllegalStateException("user " + userId + " changed under five attempts to flag it");
    }

    @Override
    public void forgetSecret(String userId) {
        UpdateBuilder u = new UpdateBuilder().remove(USER_SECRET);
        u.when("attribute_exists(" + u.name(Keys.PK) + ")");
        table.update(u, DynamoTable.key(userId, Keys.USER_SK)); // refused: unknown user, nothing stored
    }

    @Override
    public boolean createUser(String userId, String userSecret, Instant at, String requestId) {
        Watermark registration = Watermark.of(at, 0, requestId);
        UpdateBuilder fresh = new UpdateBuilder().set(ENTITY, USER_ENTITY).set(USER_ID, userId)
                .set(STATUS, UserStatus.ACTIVE.name())
                .set(REGISTERED_AT, Watermark.timeKey(at))
                .set(WATERMARK, registration.encoded())
                .set(USER_SECRET, userSecret)
                .set(SWEEP_ORDER, Keys.sweepOrder(null, userId))
                .remove(DELETED_AT).remove(PROBLEM).remove(RETRY_AT).remove(SWEEP_FAILURES).remove(FLAG_CHECKS)
                .remove(REGISTERING_SINCE).remove(REGISTRATION_ATTEMPT).remove(REGISTRATION_LEASE_UNTIL);
        String status = fresh.name(STATUS);
        fresh.when("attribute_not_exists(" + status + ") OR " + status + " = "
                + fresh.value(AttributeValue.fromS(UserStatus.DELETED.name())));
        if (table.update(fresh, DynamoTable.key(userId, Keys.USER_SK))) {
            return true;
        }
        // Registered already without a secret: SnapTrade's USER_REGISTERED webhook for this very registration may
        // have arrived first. Keep its (newer) registration, add the secret.
        UpdateBuilder known = new UpdateBuilder().set(USER_SECRET, userSecret)
                .setIfAbsent(SWEEP_ORDER, UpdateBuilder.s(Keys.sweepOrder(null, userId)))
                .remove(PROBLEM).remove(RETRY_AT).remove(SWEEP_FAILURES).remove(FLAG_CHECKS)
                .remove(REGISTERING_SINCE).remove(REGISTRATION_ATTEMPT).remove(REGISTRATION_LEASE_UNTIL);
        known.when("attribute_not_exists(" + known.name(USER_SECRET) + ") AND " + known.name(STATUS) + " <> "
                + known.value(AttributeValue.fromS(UserStatus.DELETED.name())));
        return table.update(known, DynamoTable.key(userId, Keys.USER_SK));
    }
}
