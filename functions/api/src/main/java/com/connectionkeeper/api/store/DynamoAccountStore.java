package com.connectionkeeper.api.store;

import static com.connectionkeeper.store.Attributes.ATTEMPT_WATERMARK;
import static com.connectionkeeper.store.Attributes.CONNECTION_ID;
import static com.connectionkeeper.store.Attributes.CONSUMED_AT;
import static com.connectionkeeper.store.Attributes.DELETED_AT;
import static com.connectionkeeper.store.Attributes.ENTITY;
import static com.connectionkeeper.store.Attributes.EXPIRES_AT;
import static com.connectionkeeper.store.Attributes.FLAG_CHECKS;
import static com.connectionkeeper.store.Attributes.ISSUED_AT;
import static com.connectionkeeper.store.Attributes.LAST_CHECKED_AT;
import static com.connectionkeeper.store.Attributes.LAST_LINK_ISSUED_AT;
import static com.connectionkeeper.store.Attributes.LAST_VERIFIED_AT;
import static com.connectionkeeper.store.Attributes.LINK_ENTITY;
import static com.connectionkeeper.store.Attributes.LINK_EXPIRES_AT;
import static com.connectionkeeper.store.Attributes.LINK_RATE_ENTITY;
import static com.connectionkeeper.store.Attributes.LIVE_LINK_ENTITY;
import static com.connectionkeeper.store.Attributes.MINTED;
import static com.connectionkeeper.store.Attributes.NONCE;
import static com.connectionkeeper.store.Attributes.OPTIONS;
import static com.connectionkeeper.store.Attributes.OUTCOME;
import static com.connectionkeeper.store.Attributes.OUTCOME_REASON;
import static com.connectionkeeper.store.Attributes.PLAINTEXT_SECRET;
import static com.connectionkeeper.store.Attributes.PORTAL_OTHER_CONNECTION;
import static com.connectionkeeper.store.Attributes.PORTAL_STATUS;
import static com.connectionkeeper.store.Attributes.PROBLEM;
import static com.connectionkeeper.store.Attributes.REDIRECT_URI;
import static com.connectionkeeper.store.Attributes.REGISTERED_AT;
import static com.connectionkeeper.store.Attributes.REGISTERING_SINCE;
import static com.connectionkeeper.store.Attributes.REGISTRATION_ATTEMPT;
import static com.connectionkeeper.store.Attributes.REGISTRATION_LEASE_UNTIL;
import static com.connectionkeeper.store.Attributes.RETRY_AT;
import static com.connectionkeeper.store.Attributes.SEALED_SECRET;
import static com.connectionkeeper.store.Attributes.SESSION_ID;
import static com.connectionkeeper.store.Attributes.STATUS;
import static com.connectionkeeper.store.Attributes.SWEEP_FAILURES;
import static com.connectionkeeper.store.Attributes.SWEEP_ORDER;
import static com.connectionkeeper.store.Attributes.TYPE;
import static com.connectionkeeper.store.Attributes.USER_ENTITY;
import static com.connectionkeeper.store.Attributes.USER_ID;
import static com.connectionkeeper.store.Attributes.VALID_UNTIL;
import static com.connectionkeeper.store.Attributes.WATERMARK;
import static com.connectionkeeper.store.Attributes.WINDOW_START;
import static com.connectionkeeper.store.Items.deleted;
import static com.connectionkeeper.store.Items.str;
import static com.connectionkeeper.store.Items.time;

import com.connectionkeeper.accounts.AccountStore;
import com.connectionkeeper.core.model.UserStatus;
import com.connectionkeeper.core.model.Watermark;
import com.connectionkeeper.store.DynamoTable;
import com.connectionkeeper.store.Items;
import com.connectionkeeper.store.Keys;
import com.connectionkeeper.store.UpdateBuilder;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;

/**
 * The DynamoDB adapter of {@link AccountStore}, the API's alone: the user item's registration (the attempt's lease
 * and intent, then the user created with its secret), reconnect links usable once, the latest login link per
 * connection, and the users' link-mint counters. Items and attributes as the store module spells them
 * ({@link Keys}, {@link com.connectionkeeper.store.Attributes}); every write is one conditional request.
 */
public final class DynamoAccountStore implements AccountStore {
    private final DynamoTable table;

    public DynamoAccountStore(DynamoTable table) {
        this.table = table;
    }

    @Override
    public Optional<Account> account(String userId) {
        Map<String, AttributeValue> item = table.get(userId, Keys.USER_SK);
        if (item == null) {
            return Optional.empty();
        }
        String status = str(item, STATUS);
        return Optional.of(new Account(userId, status == null ? null : UserStatus.valueOf(status),
                Items.holdsSecret(item), str(item, PROBLEM), time(item, LAST_VERIFIED_AT),
                time(item, REGISTERING_SINCE)));
    }

    @Override
    public RegistrationStart beginRegistration(String userId, Instant at, String attemptId, Instant leaseUntil) {
        UpdateBuilder u = new UpdateBuilder().set(ENTITY, USER_ENTITY).set(USER_ID, userId)
                .setIfAbsent(REGISTERING_SINCE, UpdateBuilder.s(Watermark.timeKey(at)))
                .set(REGISTRATION_ATTEMPT, attemptId)
                .set(REGISTRATION_LEASE_UNTIL, Watermark.timeKey(leaseUntil));
        String status = u.name(STATUS);
        String lease = u.name(REGISTRATION_LEASE_UNTIL);
        u.when("((" + Items.holdsNoSecret(u) + ") OR " + status + " = "
                + u.value(AttributeValue.fromS(UserStatus.DELETED.name())) + ") AND (attribute_not_exists(" + lease
                + ") OR " + lease + " < " + u.value(AttributeValue.fromS(Watermark.timeKey(at))) + ")");
        if (table.update(u, userKey(userId))) {
            return RegistrationStart.STARTED;
        }
        Map<String, AttributeValue> item = table.get(userId, Keys.USER_SK);
        boolean exists = item != null && Items.holdsSecret(item) && !deleted(item);
        return exists ? RegistrationStart.EXISTS : RegistrationStart.IN_PROGRESS;
    }

    @Override
    public void endRegistration(String userId, String attemptId, boolean definite) {
        // definite, and the item holds nothing but this attempt (it was created by it): nothing is left behind
        if (definite && table.deleteIf(userKey(userId),
                "#a = :a AND attribute_not_exists(#s) AND attribute_not_exists(#sec) AND attribute_not_exists(#pt)"
                        + " AND attribute_not_exists(#aw) AND attribute_not_exists(#lc)",
                Map.of("#a", REGISTRATION_ATTEMPT, "#s", STATUS, "#sec", SEALED_SECRET, "#pt", PLAINTEXT_SECRET,
                        "#aw", ATTEMPT_WATERMARK, "#lc", LAST_CHECKED_AT),
                Map.of(":a", AttributeValue.fromS(attemptId)))) {
            return;
        }
        // else a user known otherwise too (webhooks, sweep): only this attempt's marks go
        UpdateBuilder u = new UpdateBuilder().remove(REGISTRATION_ATTEMPT).remove(REGISTRATION_LEASE_UNTIL);
        if (definite) {
            u.remove(REGISTERING_SINCE);
        }
        u.when(u.name(REGISTRATION_ATTEMPT) + " = " + u.value(AttributeValue.fromS(attemptId))
                + " AND " + Items.holdsNoSecret(u));
        table.update(u, userKey(userId)); // refused: another attempt holds it now, or the user is stored
    }

    @Override
    public void recordLink(IssuedLink link) {
        table.write(new UpdateBuilder().set(ENTITY, LINK_ENTITY).set(USER_ID, link.userId())
                .set(CONNECTION_ID, link.connectionId())
                .set(ISSUED_AT, Watermark.timeKey(link.issuedAt()))
                .set(VALID_UNTIL, Watermark.timeKey(link.expiresAt()))
                .set(EXPIRES_AT, AttributeValue.fromN(Long.toString(link.expiresAt().getEpochSecond() + 86_400))),
                linkKey(link.userId(), link.nonce()), ReturnValue.NONE);
        // the connection remembers its newest link, so its next reminder can say whether one was issued since
        String issued = Watermark.timeKey(link.issuedAt());
        UpdateBuilder stamp = new UpdateBuilder().set(LAST_LINK_ISSUED_AT, issued);
        stamp.when("attribute_exists(" + stamp.name(Keys.PK) + ") AND (attribute_not_exists("
                + stamp.name(LAST_LINK_ISSUED_AT) + ") OR " + stamp.name(LAST_LINK_ISSUED_AT) + " < "
                + stamp.value(AttributeValue.fromS(issued)) + ")");
        table.update(stamp, DynamoTable.key(link.userId(), Keys.connection(link.connectionId())));
    }

    @Override
    public boolean consumeLink(String userId, String connectionId, String nonce, Instant at, PortalReturn portal) {
        UpdateBuilder u = new UpdateBuilder().set(CONSUMED_AT, Watermark.timeKey(at))
                .set(PORTAL_STATUS, portal.status());
        if (portal.otherConnection()) {
            u.set(PORTAL_OTHER_CONNECTION, AttributeValue.fromBool(true));
        }
        u.when("attribute_exists(" + u.name(Keys.PK) + ") AND attribute_not_exists(" + u.name(CONSUMED_AT) + ") AND "
                + u.name(CONNECTION_ID) + " = " + u.value(AttributeValue.fromS(connectionId)) + " AND "
                + u.name(VALID_UNTIL) + " > " + u.value(AttributeValue.fromS(Watermark.timeKey(at))));
        return table.update(u, linkKey(userId, nonce)); // false: used, unknown, another connection, or expired
    }

    @Override
    public Optional<LiveLink> liveLink(String userId, String connectionId, String options) {
        Map<String, AttributeValue> item = table.get(userId, Keys.liveLink(connectionId, options));
        if (item == null) {
            return Optional.empty();
        }
        LiveLink live = new LiveLink(str(item, CONNECTION_ID), str(item, OPTIONS), str(item, TYPE),
                str(item, REDIRECT_URI), str(item, SESSION_ID), time(item, LINK_EXPIRES_AT), str(item, NONCE));
        Map<String, AttributeValue> state = table.get(linkKey(userId, live.nonce()));
        return state == null || state.containsKey(CONSUMED_AT) ? Optional.empty() : Optional.of(live);
    }

    @Override
    public void keepLiveLink(String userId, LiveLink link) {
        table.write(new UpdateBuilder().set(ENTITY, LIVE_LINK_ENTITY).set(USER_ID, userId)
                .set(CONNECTION_ID, link.connectionId())
                .set(OPTIONS, link.options())
                .set(TYPE, link.type())
                .set(REDIRECT_URI, link.redirectUri())
                .set(SESSION_ID, link.sessionId())
                .set(LINK_EXPIRES_AT, Watermark.timeKey(link.expiresAt()))
                .set(NONCE, link.nonce())
                .set(EXPIRES_AT, AttributeValue.fromN(Long.toString(link.expiresAt().getEpochSecond() + 1))),
                DynamoTable.key(userId, Keys.liveLink(link.connectionId(), link.options())), ReturnValue.NONE);
    }

    @Override
    public Optional<Instant> takeLinkSlot(String userId, Instant now, Duration window, int limit) {
        Map<String, AttributeValue> key = DynamoTable.key(userId, Keys.LINK_RATE_SK);
        AttributeValue cutoff = AttributeValue.fromN(Long.toString(now.minus(window).getEpochSecond()));
        for (int attempt = 0; attempt < 2; attempt++) {
            UpdateBuilder next = new UpdateBuilder().add(MINTED, AttributeValue.fromN("1"));
            next.when(next.name(WINDOW_START) + " > " + next.value(cutoff) + " AND " + next.name(MINTED) + " < "
                    + next.value(AttributeValue.fromN(Integer.toString(limit))));
            if (table.update(next, key)) {
                return Optional.empty();
            }
            UpdateBuilder open = new UpdateBuilder().set(ENTITY, LINK_RATE_ENTITY).set(USER_ID, userId)
                    .set(WINDOW_START, AttributeValue.fromN(Long.toString(now.getEpochSecond())))
                    .set(MINTED, AttributeValue.fromN("1"))
                    .set(EXPIRES_AT, AttributeValue.fromN(Long.toString(now.plus(window).getEpochSecond())));
            String start = open.name(WINDOW_START);
            open.when("attribute_not_exists(" + start + ") OR " + start + " <= " + open.value(cutoff));
            if (limit > 0 && table.update(open, key)) {
                return Optional.empty();
            }
            // the window is full, or another request opened a new one first: count in that one (once more)
        }
        Map<String, AttributeValue> item = table.get(key);
        long start = item == null || !item.containsKey(WINDOW_START) ? now.getEpochSecond()
                : Long.parseLong(item.get(WINDOW_START).n());
        return Optional.of(Instant.ofEpochSecond(start).plus(window));
    }

    @Override
    public Optional<LinkUse> link(String userId, String nonce) {
        Map<String, AttributeValue> item = table.get(linkKey(userId, nonce));
        if (item == null) {
            return Optional.empty();
        }
        String portalStatus = str(item, PORTAL_STATUS);
        AttributeValue other = item.get(PORTAL_OTHER_CONNECTION);
        PortalReturn portal = portalStatus == null ? null
                : new PortalReturn(portalStatus, other != null && Boolean.TRUE.equals(other.bool()));
        return Optional.of(new LinkUse(str(item, CONNECTION_ID), time(item, CONSUMED_AT), portal,
                str(item, OUTCOME), str(item, OUTCOME_REASON)));
    }

    @Override
    public void recordLinkOutcome(String userId, String nonce, String outcome, String reason) {
        UpdateBuilder u = new UpdateBuilder().set(OUTCOME, outcome);
        if (reason != null) {
            u.set(OUTCOME_REASON, reason);
        }
        u.when("attribute_exists(" + u.name(Keys.PK) + ")");
        table.update(u, linkKey(userId, nonce)); // refused: unknown link, nothing stored
    }

    private static Map<String, AttributeValue> userKey(String userId) {
        return DynamoTable.key(userId, Keys.USER_SK);
    }

    private static Map<String, AttributeValue> linkKey(String userId, String nonce) {
        return DynamoTable.key(userId, Keys.link(nonce));
    }
}
