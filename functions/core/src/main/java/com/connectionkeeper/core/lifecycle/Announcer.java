package com.connectionkeeper.core.lifecycle;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Publishes the lifecycle events of a batch of recorded changes (a stream batch) and says which changes must be
 * retried: exactly those with an event still unpublished. Changes that make no event publish nothing.
 */
public final class Announcer {
    private final EventPublisher publisher;

    public Announcer(EventPublisher publisher) {
        this.publisher = publisher;
    }

    /** A recorded change, by a key of the caller's (the stream record's sequence number), and its events. */
    public record Change(String key, List<? extends LifecycleEvent> events) {
        public Change {
            events = List.copyOf(events);
        }
    }

    /** What a batch did: events published, and the keys of the changes to retry, in batch order. */
    public record Outcome(int published, List<String> failedKeys) {
    }

    public Outcome announce(List<Change> changes) {
        List<LifecycleEvent> events = new ArrayList<>();
        for (Change change : changes) {
            events.addAll(change.events());
        }
        if (events.isEmpty()) {
            return new Outcome(0, List.of());
        }
        Set<String> failed = new HashSet<>(publisher.publish(events));
        List<String> retry = new ArrayList<>();
        int published = 0;
        for (Change change : changes) {
            boolean anyFailed = false;
            for (LifecycleEvent e : change.events()) {
                if (failed.contains(e.id())) {
                    anyFailed = true;
                } else {
                    published++;
                }
            }
            if (anyFailed) {
                retry.add(change.key());
            }
        }
        return new Outcome(published, retry);
    }
}
