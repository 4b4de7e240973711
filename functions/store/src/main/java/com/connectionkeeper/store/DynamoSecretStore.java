package com.connectionkeeper.store;

import static com.connectionkeeper.store.Attributes.DELETED_AT;
import static com.connectionkeeper.store.Attributes.ENTITY;
import static com.connectionkeeper.store.Attributes.FLAG_CHECKS;
import static com.connectionkeeper.store.Attributes.LAST_CHECKED_AT;
import static com.connectionkeeper.store.Attributes.PLAINTEXT_SECRET;
import static com.connectionkeeper.store.Attributes.PROBLEM;
import static com.connectionkeeper.store.Attributes.REGISTERED_AT;
import static com.connectionkeeper.store.Attributes.REGISTERING_SINCE;
import static com.connectionkeeper.store.Attributes.REGISTRATION_ATTEMPT;
import static com.connectionkeeper.store.Attributes.REGISTRATION_LEASE_UNTIL;
import static com.connectionkeeper.store.Attributes.RETRY_AT;
import static com.connectionkeeper.store.Attributes.SEALED_SECRET;
import static com.connectionkeeper.store.Attributes.STATUS;
import static com.connectionkeeper.store.Attributes.SWEEP_FAILURES;
import static com.connectionkeeper.store.Attributes.SWEEP_ORDER;
import static com.connectionkeeper.store.Attributes.USER_ENTITY;
import static com.connectionkeeper.store.Attributes.USER_ID;
import static com.connectionkeeper.store.Attributes.WATERMARK;
import static com.connectionkeeper.store.Items.deleted;
import static com.connectionkeeper.store.Items.notDeleted;
import static com.connectionkeeper.store.Items.str;

import com.connectionkeeper.core.model.RetryBackoff;
import com.connectionkeeper.core.model.UserStatus;
import com.connectionkeeper.core.model.Watermark;
import com.connectionkeeper.core.secrets.SealContext;
import com.connectionkeeper.core.secrets.SecretSealer;
import com.connectionkeeper.core.secrets.SecretStore;
import com.connectionkeeper.core.snaptrade.UserCredentials;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ScanRequest;

/**
 * The DynamoDB adapter of {@link SecretStore}: the user item's secret, sealed by the deployment's {@link SecretSealer}
 * for that user and this table before it is written ({@code sealedSecret}), and its flag when SnapTrade rejected it
 * (with the flagged user's recheck time). A plaintext secret is never written; one an earlier release stored
 * ({@code userSecret}) is sealed the first time it is read, and by {@link #sealPlaintext}. Saving or accepting a
 * secret puts the user in the sweep order; a flag takes it out. A deleted user's item is never given a secret nor
 * flagged.
 *
 * <p>The version of a held secret ({@link HeldSecret#version()}) is its sealed form: flags and their clearing are
 * written only while the item still holds that very form, so nothing needs opening to compare.
 */
public final class DynamoSecretStore implements SecretStore {
    private static final int ATTEMPTS = 5;

    /** What {@link #sealPlaintext} did to one user item. */
    public enum Migration {
        /** The plaintext secret was sealed in place. */
        SEALED,
        /** The user is deleted: its plaintext secret was dropped, not sealed. */
        DROPPED,
        /** Nothing plaintext (any more): sealed meanwhile, or no secret at all. */
        NOTHING
    }

    private final DynamoTable table;
    private final SecretSealer sealer;

    public DynamoSecretStore(DynamoTable table, SecretSealer sealer) {
        this.table = table;
        this.sealer = sealer;
    }

    @Override
    public boolean saveUserSecret(String userId, String userSecret) {
        UpdateBuilder u = new UpdateBuilder().set(ENTITY, USER_ENTITY).set(USER_ID, userId)
                .set(SEALED_SECRET, sealed(userId, userSecret)).remove(PLAINTEXT_SECRET)
                .setIfAbsent(SWEEP_ORDER, UpdateBuilder.s(Keys.sweepOrder(null, userId)))
                .remove(PROBLEM).remove(RETRY_AT).remove(SWEEP_FAILURES).remove(FLAG_CHECKS);
        u.when(notDeleted(u));
        return table.update(u, DynamoTable.key(userId, Keys.USER_SK));
    }

    @Override
    public Optional<HeldSecret> heldSecret(String userId) {
        return held(userId, false);
    }

    @Override
    public Optional<UserCredentials> credentials(String userId) {
        return held(userId, true).map(HeldSecret::credentials);
    }

    /**
     * The secret the item holds, opened; a plaintext one is sealed in place first. Empty when there is none, the user
     * is deleted, or ({@code unflaggedOnly}) SnapTrade rejected it.
     */
    private Optional<HeldSecret> held(String userId, boolean unflaggedOnly) {
        for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
            Map<String, AttributeValue> item = table.get(userId, Keys.USER_SK);
            if (item == null || deleted(item) || (unflaggedOnly && item.containsKey(PROBLEM))) {
                return Optional.empty();
            }
            String plaintext = str(item, PLAINTEXT_SECRET);
            if (plaintext == null) {
                AttributeValue sealedValue = item.get(SEALED_SECRET);
                if (sealedValue == null) {
                    return Optional.empty();
                }
                byte[] sealed = sealedValue.b().asByteArray();
                String secret = sealer.open(context(userId), sealed);
                return Optional.of(new HeldSecret(new UserCredentials(userId, secret), str(item, PROBLEM),
                        version(sealed)));
            }
            // plaintext: an earlier release stored it (this one never writes it), so it is the newest secret of the
            // item, also when a sealed one is there too (the earlier release ran on after this one sealed)
            byte[] sealed = sealer.seal(context(userId), plaintext);
            if (replacePlaintext(userId, plaintext, sealed)) {
                return Optional.of(new HeldSecret(new UserCredentials(userId, plaintext), str(item, PROBLEM),
                        version(sealed)));
            }
            // changed meanwhile (sealed by another reader, a new secret, a deletion): read it again
        }
        throw new IllegalStateException("user " + userId + " changed under " + ATTEMPTS
                + " attempts to read its secret");
    }

    /**
     * The one-off migration's step for one user item: a plaintext secret is sealed in place (or, for a deleted user,
     * dropped). Nothing sealed is opened, nothing else changes.
     */
    public Migration sealPlaintext(String userId) {
        for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
            Map<String, AttributeValue> item = table.get(userId, Keys.USER_SK);
            String plaintext = item == null ? null : str(item, PLAINTEXT_SECRET);
            if (plaintext == null) {
                return Migration.NOTHING;
            }
            if (deleted(item)) {
                UpdateBuilder drop = new UpdateBuilder().remove(PLAINTEXT_SECRET);
                drop.when(drop.name(PLAINTEXT_SECRET) + " = " + drop.value(AttributeValue.fromS(plaintext)));
                if (table.update(drop, DynamoTable.key(userId, Keys.USER_SK))) {
                    return Migration.DROPPED;
                }
            } else if (replacePlaintext(userId, plaintext, sealer.seal(context(userId), plaintext))) {
                return Migration.SEALED;
            }
        }
        throw new IllegalStateException("user " + userId + " changed under " + ATTEMPTS + " attempts to seal it");
    }

    /**
     * The users whose items hold a plaintext secret, found by scanning the whole table (the one-off migration: every
     * user item, whether it is in the sweep, flagged, deleted or never swept). Page by page, as consumed.
     */
    public Stream<String> usersWithPlaintextSecrets() {
        return table.scan(ScanRequest.builder()
                        .filterExpression("#e = :user AND attribute_exists(#p)")
                        .projectionExpression("#u")
                        .expressionAttributeNames(Map.of("#e", ENTITY, "#p", PLAINTEXT_SECRET, "#u", USER_ID))
                        .expressionAttributeValues(Map.of(":user", AttributeValue.fromS(USER_ENTITY))))
                .map(item -> str(item, USER_ID));
    }

    /**
     * Seals the item's plaintext secret in place (replacing a sealed one the item may also hold: the plaintext is the
     * newer), if it still holds that plaintext.
     */
    private boolean replacePlaintext(String userId, String plaintext, byte[] sealed) {
        UpdateBuilder u = new UpdateBuilder().set(SEALED_SECRET, AttributeValue.fromB(SdkBytes.fromByteArray(sealed)))
                .remove(PLAINTEXT_SECRET);
        u.when(u.name(PLAINTEXT_SECRET) + " = " + u.value(AttributeValue.fromS(plaintext)));
        return table.update(u, DynamoTable.key(userId, Keys.USER_SK));
    }

    @Override
    public boolean clearFlag(String userId, String versionUsed) {
        UpdateBuilder u = new UpdateBuilder().remove(PROBLEM).remove(FLAG_CHECKS).remove(RETRY_AT)
                .remove(SWEEP_FAILURES)
                .setIfAbsent(SWEEP_ORDER, UpdateBuilder.s(Keys.sweepOrder(null, userId)));
        u.when(holds(u, versionUsed) + " AND " + notDeleted(u));
        return table.update(u, DynamoTable.key(userId, Keys.USER_SK));
    }

    @Override
    public void flagUser(String userId, String problem, Instant at, String versionUsed) {
        // one conditional write on the count read just before, so the flag and its recheck time land together
        for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
            Map<String, AttributeValue> item = table.get(userId, Keys.USER_SK);
            if (item == null || !item.containsKey(SEALED_SECRET)
                    || !versionUsed.equals(version(item.get(SEALED_SECRET).b().asByteArray())) || deleted(item)) {
                return; // nothing to recheck: no secret, another secret by now, or deleted
            }
            String before = item.containsKey(FLAG_CHECKS) ? item.get(FLAG_CHECKS).n() : null;
            int flags = before == null ? 1 : Integer.parseInt(before) + 1;
            UpdateBuilder u = new UpdateBuilder().set(PROBLEM, problem)
                    .set(FLAG_CHECKS, AttributeValue.fromN(Integer.toString(flags)))
                    .set(LAST_CHECKED_AT, Watermark.timeKey(at))
                    .set(RETRY_AT, Keys.retryAt(at.plus(RetryBackoff.FLAGGED_RECHECK.delayAfter(flags)), userId))
                    .remove(SWEEP_ORDER).remove(Attributes.DUE_AT).remove(SWEEP_FAILURES);
            String count = u.name(FLAG_CHECKS);
            u.when(holds(u, versionUsed) + " AND " + notDeleted(u) + " AND "
                    + (before == null ? "attribute_not_exists(" + count + ")"
                    : count + " = " + u.value(AttributeValue.fromN(before))));
            if (table.update(u, DynamoTable.key(userId, Keys.USER_SK))) {
                return;
            }
        }
        throw new IllegalStateException("user " + userId + " changed under " + ATTEMPTS + " attempts to flag it");
    }

    @Override
    public void forgetSecret(String userId) {
        UpdateBuilder u = new UpdateBuilder().remove(SEALED_SECRET).remove(PLAINTEXT_SECRET).remove(Attributes.DUE_AT);
        u.when("attribute_exists(" + u.name(Keys.PK) + ")");
        table.update(u, DynamoTable.key(userId, Keys.USER_SK)); // refused: unknown user, nothing stored
    }

    @Override
    public boolean createUser(String userId, String userSecret, Instant at, String requestId) {
        Watermark registration = Watermark.of(at, 0, requestId);
        AttributeValue sealed = sealed(userId, userSecret);
        UpdateBuilder fresh = new UpdateBuilder().set(ENTITY, USER_ENTITY).set(USER_ID, userId)
                .set(STATUS, UserStatus.ACTIVE.name())
                .set(REGISTERED_AT, Watermark.timeKey(at))
                .set(WATERMARK, registration.encoded())
                .set(SEALED_SECRET, sealed).remove(PLAINTEXT_SECRET)
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
        UpdateBuilder known = new UpdateBuilder().set(SEALED_SECRET, sealed)
                .setIfAbsent(SWEEP_ORDER, UpdateBuilder.s(Keys.sweepOrder(null, userId)))
                .remove(PROBLEM).remove(RETRY_AT).remove(SWEEP_FAILURES).remove(FLAG_CHECKS)
                .remove(REGISTERING_SINCE).remove(REGISTRATION_ATTEMPT).remove(REGISTRATION_LEASE_UNTIL);
        known.when(Items.holdsNoSecret(known) + " AND " + known.name(STATUS) + " <> "
                + known.value(AttributeValue.fromS(UserStatus.DELETED.name())));
        return table.update(known, DynamoTable.key(userId, Keys.USER_SK));
    }

    private SealContext context(String userId) {
        return new SealContext(table.name(), userId);
    }

    private AttributeValue sealed(String userId, String secret) {
        return AttributeValue.fromB(SdkBytes.fromByteArray(sealer.seal(context(userId), secret)));
    }

    /** Condition: the item holds the sealed form {@code version} names. */
    private static String holds(UpdateBuilder u, String version) {
        byte[] sealed;
        try {
            sealed = Base64.getDecoder().decode(version);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("not a secret version of this store", null);
        }
        return u.name(SEALED_SECRET) + " = " + u.value(AttributeValue.fromB(SdkBytes.fromByteArray(sealed)));
    }

    private static String version(byte[] sealed) {
        return Base64.getEncoder().encodeToString(sealed);
    }
}
