package com.connectionkeeper.core.lifecycle;

import com.connectionkeeper.core.log.JsonLog;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Publishes the lifecycle events of a batch of recorded changes (a stream batch) and says which changes must be
 * retried: exactly those with an event still unpublished, and those that could not be read. Changes that make no
 * event publish nothing. A retry delivers the batch again from the first failed change on, so the events published
 * from changes after it are {@linkplain PublishedMarks remembered}, and an event remembered as published is not
 * published again: a change that succeeded is published once.
 */
public final class Announcer {
    private final EventPublisher publisher;
    private final PublishedMarks marks;

    /** Without marks: a retry publishes again what succeeded after the failed change (same ids). */
    public Announcer(EventPublisher publisher) {
        this(publisher, PublishedMarks.NONE);
    }

    public Announcer(EventPublisher publisher, PublishedMarks marks) {
        this.publisher = publisher;
        this.marks = marks;
    }

    /**
     * A recorded change, by a key of the caller's (the stream record's sequence number), and its events; one that
     * could not be read has none and is retried.
     */
    public record Change(String key, List<? extends LifecycleEvent> events, boolean readable) {
        public Change {
            events = List.copyOf(events);
        }

        public Change(String key, List<? extends LifecycleEvent> events) {
            this(key, events, true);
        }

        /** A change whose record could not be read: retried, nothing published for it. */
        public static Change unreadable(String key) {
            return new Change(key, List.of(), false);
        }
    }

    /**
     * What a batch did: the events published now (in batch order; each counted once, where it is published), events
     * skipped as already published, and the keys of the changes to retry, in batch order.
     */
    public record Outcome(List<LifecycleEvent> publishedEvents, int alreadyPublished, List<String> failedKeys) {
        public Outcome {
            publishedEvents = List.copyOf(publishedEvents);
            failedKeys = List.copyOf(failedKeys);
        }

        /** How many events were published now. */
        public int published() {
            return publishedEvents.size();
        }
    }

    public Outcome announce(List<Change> changes) {
        List<LifecycleEvent> events = new ArrayList<>();
        for (Change change : changes) {
            events.addAll(change.events());
        }
        Set<String> done = events.isEmpty() ? Set.of() : alreadyPublished(events);
        List<LifecycleEvent> toPublish = new ArrayList<>(events.size());
        for (LifecycleEvent e : events) {
            if (!done.contains(e.id())) {
                toPublish.add(e);
            }
        }
        Set<String> failed = toPublish.isEmpty() ? Set.of() : new HashSet<>(publisher.publish(toPublish));
        List<String> retry = new ArrayList<>();
        List<String> redelivered = new ArrayList<>();
        List<LifecycleEvent> published = new ArrayList<>();
        for (Change change : changes) {
            boolean anyFailed = !change.readable();
            List<String> out = new ArrayList<>();
            for (LifecycleEvent e : change.events()) {
                if (failed.contains(e.id())) {
                    anyFailed = true;
                } else if (!done.contains(e.id())) {
                    published.add(e);
                    out.add(e.id());
                }
            }
            if (anyFailed) {
                retry.add(change.key());
            }
            if (!retry.isEmpty()) {
                redelivered.addAll(out); // at or after the first failed change: the retry delivers it again
            }
        }
        if (!redelivered.isEmpty()) {
            try {
                marks.remember(redelivered);
            } catch (RuntimeException e) {
                JsonLog.warn("published_marks_unwritten", "events", redelivered.size(), "error",
                        e.getClass().getSimpleName(), "message", e.getMessage());
            }
        }
        return new Outcome(published, events.size() - toPublish.size(), retry);
    }

    private Set<String> alreadyPublished(List<LifecycleEvent> events) {
        List<String> ids = new ArrayList<>(events.size());
        for (LifecycleEvent e : events) {
            ids.add(e.id());
        }
        try {
            return marks.published(ids);
        } catch (RuntimeException e) {
            JsonLog.warn("published_marks_unread", "events", ids.size(), "error", e.getClass().getSimpleName(),
                    "message", e.getMessage());
            return Set.of();
        }
    }
}
