package com.connectionkeeper.lifecycle;

import com.amazonaws.services.lambda.runtime.events.DynamodbEvent.DynamodbStreamRecord;
import com.amazonaws.services.lambda.runtime.events.models.dynamodb.StreamRecord;
import com.connectionkeeper.core.lifecycle.Lifecycle;
import com.connectionkeeper.core.lifecycle.LifecycleEvent;
import com.connectionkeeper.core.model.ConnectionState;
import com.connectionkeeper.core.model.Source;
import com.connectionkeeper.core.model.UserState;
import com.connectionkeeper.core.model.Watermark;
import com.connectionkeeper.store.Attributes;
import com.connectionkeeper.store.Items;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * A stream record in domain terms: the connection or user item's state before and after the write, handed to
 * {@link Lifecycle}: a status change, a user's deletion, a reminder step the reminder run recorded, or a brokerage's
 * incident suspected or ended. Other items (history, links, rate counters, the sweep's lease, break records) make
 * no event.
 */
final class StreamChanges {
    private StreamChanges() {
    }

    /** The events one record makes (none, or one). Throws when an image cannot be read. */
    static List<LifecycleEvent> events(DynamodbStreamRecord record) {
        StreamRecord change = record.getDynamodb();
        if (change == null) {
            throw new IllegalArgumentException("stream record without its dynamodb part");
        }
        Map<String, AttributeValue> before = StreamImages.image(change.getOldImage());
        Map<String, AttributeValue> after = StreamImages.image(change.getNewImage());
        Map<String, AttributeValue> known = after != null ? after : before;
        if (known == null) {
            return List.of(); // KEYS_ONLY or an empty record: nothing to tell
        }
        String entity = Items.str(known, Attributes.ENTITY);
        Instant time = time(change, known);
        Optional<? extends LifecycleEvent> event;
        if (Attributes.CONNECTION_ENTITY.equals(entity)) {
            ConnectionState was = connection(before);
            ConnectionState is = connection(after);
            event = Lifecycle.connection(was, is, time);
            if (event.isEmpty()) { // the same status: perhaps the reminder run recorded a step
                event = Lifecycle.reminder(was, before == null ? null : Items.reminderMark(before), is,
                        after == null ? null : Items.reminderMark(after), time);
            }
        } else if (Attributes.USER_ENTITY.equals(entity)) {
            String userId = Items.str(known, Attributes.USER_ID);
            String source = after == null ? null : Items.str(after, Attributes.SOURCE);
            event = Lifecycle.user(user(userId, before), user(userId, after),
                    source == null ? null : Source.fromWire(source), time);
        } else if (Attributes.INCIDENT_ENTITY.equals(entity)) {
            event = Lifecycle.incident(before == null ? null : Items.incident(before),
                    after == null ? null : Items.incident(after), time);
        } else {
            event = Optional.empty();
        }
        return event.<List<LifecycleEvent>>map(List::of).orElse(List.of());
    }

    /**
     * The newest reconnect link of the connection the record changed, as of the change (null: none, or not a
     * connection): whether a repair came after a link (metric RepairedWithinDayOfLink).
     */
    static Instant linkIssuedAt(DynamodbStreamRecord record) {
        StreamRecord change = record.getDynamodb();
        Map<String, AttributeValue> after = change == null ? null : StreamImages.image(change.getNewImage());
        return after == null || !Attributes.CONNECTION_ENTITY.equals(Items.str(after, Attributes.ENTITY)) ? null
                : Items.time(after, Attributes.LAST_LINK_ISSUED_AT);
    }

    private static ConnectionState connection(Map<String, AttributeValue> image) {
        return image == null ? null : Items.connection(image);
    }

    private static UserState user(String userId, Map<String, AttributeValue> image) {
        return image == null ? null : Items.user(userId, image);
    }

    /**
     * When the write was recorded: the record's approximate creation time (the same on every delivery of the
     * record); without one, the time of the item's watermark, so a replay still gives the same event.
     */
    private static Instant time(StreamRecord change, Map<String, AttributeValue> known) {
        if (change.getApproximateCreationDateTime() != null) {
            return change.getApproximateCreationDateTime().toInstant();
        }
        String watermark = Items.str(known, Attributes.WATERMARK);
        Instant t = watermark == null ? null : Watermark.parse(watermark).time();
        return t == null ? Instant.EPOCH : t;
    }
}
