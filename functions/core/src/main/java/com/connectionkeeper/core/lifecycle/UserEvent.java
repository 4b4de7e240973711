package com.connectionkeeper.core.lifecycle;

import com.connectionkeeper.core.model.Source;
import java.time.Instant;
import java.util.Objects;

/**
 * A user was deleted (its connections' own {@code Connection Deleted} events follow from their writes).
 *
 * @param at    the deletion's own time
 * @param cause who deleted it: SnapTrade's webhook or our API; null when the record does not say
 */
public record UserEvent(String id, EventKind kind, Instant time, String userId, Instant at, Source cause)
        implements LifecycleEvent {

    public UserEvent {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(time, "time");
        Objects.requireNonNull(userId, "userId");
        Objects.requireNonNull(at, "at");
    }

    @Override
    public String subject() {
        return "U\u0000" + userId;
    }
}
