package com.connectionkeeper.store;

import static com.connectionkeeper.store.Attributes.ATTEMPT_WATERMARK;
import static com.connectionkeeper.store.Attributes.BROKEN_SINCE;
import static com.connectionkeeper.store.Attributes.BROKERAGE_ID;
import static com.connectionkeeper.store.Attributes.BROKERAGE_NAME;
import static com.connectionkeeper.store.Attributes.BROKERAGE_SLUG;
import static com.connectionkeeper.store.Attributes.CONNECTION_ID;
import static com.connectionkeeper.store.Attributes.DELETED_AT;
import static com.connectionkeeper.store.Attributes.DELETION_WATERMARK;
import static com.connectionkeeper.store.Attributes.EVENT_TIME;
import static com.connectionkeeper.store.Attributes.EVENT_TYPE;
import static com.connectionkeeper.store.Attributes.FIXED_AT;
import static com.connectionkeeper.store.Attributes.LAST_ATTEMPT_AT;
import static com.connectionkeeper.store.Attributes.LAST_ATTEMPT_BROKERAGE_ID;
import static com.connectionkeeper.store.Attributes.LAST_ATTEMPT_RESULT;
import static com.connectionkeeper.store.Attributes.LAST_ATTEMPT_TYPE;
import static com.connectionkeeper.store.Attributes.LAST_EVENT_TYPE;
import static com.connectionkeeper.store.Attributes.LAST_VERIFIED_AT;
import static com.connectionkeeper.store.Attributes.PAYLOAD;
import static com.connectionkeeper.store.Attributes.RECEIVED_AT;
import static com.connectionkeeper.store.Attributes.REGISTERED_AT;
import static com.connectionkeeper.store.Attributes.RESULT;
import static com.connectionkeeper.store.Attributes.SOURCE;
import static com.connectionkeeper.store.Attributes.STATUS;
import static com.connectionkeeper.store.Attributes.TYPE;
import static com.connectionkeeper.store.Attributes.USER_ID;
import static com.connectionkeeper.store.Attributes.VERIFY_REQUESTED_AT;
import static com.connectionkeeper.store.Attributes.WATERMARK;
import static com.connectionkeeper.store.Attributes.WEBHOOK_ID;

import com.connectionkeeper.core.lifecycle.ConnectionEvent;
import com.connectionkeeper.core.lifecycle.Incident;
import com.connectionkeeper.core.lifecycle.ReminderMark;
import com.connectionkeeper.core.model.ConnectionAttempt;
import com.connectionkeeper.core.model.ConnectionState;
import com.connectionkeeper.core.model.ConnectionStatus;
import com.connectionkeeper.core.model.HistoryEntry;
import com.connectionkeeper.core.model.IngestResult;
import com.connectionkeeper.core.model.Observed;
import com.connectionkeeper.core.model.Source;
import com.connectionkeeper.core.model.UserState;
import com.connectionkeeper.core.model.UserStatus;
import com.connectionkeeper.core.model.Watermark;
import com.connectionkeeper.core.snaptrade.ConnectionType;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Items as the core's records, in one place: an attribute read as text, time or watermark; the user item's
 * deletion (as a fact of an item read, and as a write's condition); connection, user and history items mapped to
 * {@link ConnectionState}, {@link UserState} and {@link HistoryEntry}.
 */
public final class Items {
    private Items() {
    }

    /** The attribute's text; null when the item has none. */
    public static String str(Map<String, AttributeValue> item, String name) {
        AttributeValue v = item.get(name);
        return v == null ? null : v.s();
    }

    /** The attribute as a time (written with {@link Watermark#timeKey}); null when the item has none. */
    public static Instant time(Map<String, AttributeValue> item, String name) {
        String s = str(item, name);
        return s == null ? null : Instant.parse(s);
    }

    static Watermark watermark(Map<String, AttributeValue> item, String name) {
        String s = str(item, name);
        return s == null ? null : Watermark.parse(s);
    }

    /** The user item is of a deleted user. */
    public static boolean deleted(Map<String, AttributeValue> item) {
        return UserStatus.DELETED.name().equals(str(item, STATUS));
    }

    /** The user item holds a secret, sealed or (from an earlier release) plaintext. */
    public static boolean holdsSecret(Map<String, AttributeValue> item) {
        return item.containsKey(Attributes.SEALED_SECRET) || item.containsKey(Attributes.PLAINTEXT_SECRET);
    }

    /** Condition: the user item holds a secret, sealed or plaintext. */
    public static String holdsSecret(UpdateBuilder u) {
        return "(attribute_exists(" + u.name(Attributes.SEALED_SECRET) + ") OR attribute_exists("
                + u.name(Attributes.PLAINTEXT_SECRET) + "))";
    }

    /** Condition: the user item holds no secret at all. */
    public static String holdsNoSecret(UpdateBuilder u) {
        return "attribute_not_exists(" + u.name(Attributes.SEALED_SECRET) + ") AND attribute_not_exists("
                + u.name(Attributes.PLAINTEXT_SECRET) + ")";
    }

    /** Condition: the user is not deleted (no status yet, or another one). */
    static String notDeleted(UpdateBuilder u) {
        String status = u.name(STATUS);
        return "(attribute_not_exists(" + status + ") OR " + status + " <> "
                + u.value(AttributeValue.fromS(UserStatus.DELETED.name())) + ")";
    }

    /** A user item as the user's state (webhooks' registration, deletion and last connection attempt). */
    public static UserState user(String userId, Map<String, AttributeValue> item) {
        ConnectionAttempt attempt = item.containsKey(ATTEMPT_WATERMARK)
                ? new ConnectionAttempt(str(item, LAST_ATTEMPT_TYPE), str(item, LAST_ATTEMPT_RESULT),
                        str(item, LAST_ATTEMPT_BROKERAGE_ID), time(item, LAST_ATTEMPT_AT),
                        watermark(item, ATTEMPT_WATERMARK))
                : null;
        String status = str(item, STATUS);
        return new UserState(userId, status == null ? null : UserStatus.valueOf(status),
                time(item, REGISTERED_AT), time(item, DELETED_AT), watermark(item, WATERMARK),
                watermark(item, DELETION_WATERMARK), attempt);
    }

    /** A connection item. */
    public static ConnectionState connection(Map<String, AttributeValue> item) {
        return new ConnectionState(
                str(item, USER_ID),
                str(item, CONNECTION_ID),
                ConnectionStatus.valueOf(str(item, STATUS)),
                str(item, BROKERAGE_ID),
                time(item, BROKEN_SINCE),
                time(item, FIXED_AT),
                time(item, VERIFY_REQUESTED_AT),
                watermark(item, WATERMARK),
                str(item, LAST_EVENT_TYPE),
                Source.fromWire(str(item, SOURCE)),
                item.containsKey(LAST_VERIFIED_AT) ? observed(item) : null);
    }

    private static Observed observed(Map<String, AttributeValue> item) {
        return new Observed(str(item, BROKERAGE_SLUG), str(item, BROKERAGE_NAME),
                item.containsKey(TYPE) ? ConnectionType.fromWire(str(item, TYPE)) : null,
                time(item, LAST_VERIFIED_AT));
    }

    /** A connection item's reminder record and last link time ({@link ReminderMark#none} when it has had none). */
    public static ReminderMark reminderMark(Map<String, AttributeValue> item) {
        Instant link = time(item, Attributes.LAST_LINK_ISSUED_AT);
        AttributeValue step = item.get(Attributes.REMINDER_STEP);
        if (step == null || step.n() == null) {
            return ReminderMark.none(link);
        }
        return new ReminderMark(Integer.parseInt(step.n()), time(item, Attributes.REMINDER_FOR),
                time(item, Attributes.REMINDED_AT), link);
    }

    /** A brokerage's incident item (as written by {@link DynamoIncidentStore}). */
    public static Incident incident(Map<String, AttributeValue> item) {
        String reason = str(item, Attributes.END_REASON);
        return new Incident(
                new ConnectionEvent.Brokerage(str(item, BROKERAGE_ID), str(item, BROKERAGE_SLUG),
                        str(item, BROKERAGE_NAME)),
                time(item, Attributes.SINCE), time(item, Attributes.UNTIL),
                Duration.ofSeconds(number(item, Attributes.WINDOW_SECONDS)), time(item, Attributes.OPENED_AT),
                (int) number(item, Attributes.BREAKS), (int) number(item, Attributes.KNOWN_CONNECTIONS),
                Incident.Status.valueOf(str(item, STATUS)), time(item, Attributes.ENDED_AT),
                reason == null ? null : Incident.EndReason.fromWire(reason),
                (int) number(item, Attributes.TOTAL), (int) number(item, Attributes.STILL_BROKEN));
    }

    /** The attribute as a number; 0 when the item has none. */
    static long number(Map<String, AttributeValue> item, String name) {
        AttributeValue v = item.get(name);
        return v == null || v.n() == null ? 0 : Long.parseLong(v.n());
    }

    /** A history item of the user's partition. */
    static HistoryEntry history(String userId, Map<String, AttributeValue> item) {
        return new HistoryEntry(userId, str(item, CONNECTION_ID), str(item, WEBHOOK_ID),
                str(item, EVENT_TYPE), time(item, EVENT_TIME), time(item, RECEIVED_AT),
                IngestResult.fromWire(str(item, RESULT)), str(item, PAYLOAD),
                Source.fromWire(str(item, SOURCE)));
    }
}
