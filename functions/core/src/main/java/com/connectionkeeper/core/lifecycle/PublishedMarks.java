package com.connectionkeeper.core.lifecycle;

import java.util.Collection;
import java.util.Set;

/**
 * Which events were already published, by id: remembered for the events a retry would deliver again (those after a
 * failed record of the same batch, which Lambda retries from the failed record on), so that a record that succeeded
 * is not published a second time. Best effort by design: when the marks cannot be read or written, events are
 * published again with the same id (at least once, never lost).
 */
public interface PublishedMarks {
    /** No marks: every delivery publishes (consumers de-duplicate on the id). */
    PublishedMarks NONE = new PublishedMarks() {
        @Override
        public Set<String> published(Collection<String> ids) {
            return Set.of();
        }

        @Override
        public void remember(Collection<String> ids) {
        }
    };

    /** Those of {@code ids} remembered as published. */
    Set<String> published(Collection<String> ids);

    /** Remembers {@code ids} as published (for longer than a stream record can be retried). */
    void remember(Collection<String> ids);
}
