package com.connectionkeeper.core.lifecycle;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.connectionkeeper.core.model.Source;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Which changes the announcer retries and which published events it remembers: exactly those a retry (the batch again
 * from its first failed change) would deliver again, so a change that succeeded is published once.
 */
class AnnouncerTest {
    private static final Instant T = Instant.parse("2026-03-01T10:00:00Z");

    /** Publishes to a list; fails the ids in {@link #failing}. */
    private static final class Bus implements EventPublisher {
        final List<String> published = new ArrayList<>();
        final Set<String> failing = new HashSet<>();

        @Override
        public List<String> publish(List<? extends LifecycleEvent> events) {
            List<String> failed = new ArrayList<>();
            for (LifecycleEvent e : events) {
                if (failing.contains(e.id())) {
                    failed.add(e.id());
                } else {
                    published.add(e.id());
                }
            }
            return failed;
        }
    }

    /** Marks in a set; reading or writing them can be made to fail. */
    private static final class Marks implements PublishedMarks {
        final Set<String> ids = new LinkedHashSet<>();
        boolean down;

        @Override
        public Set<String> published(Collection<String> asked) {
            if (down) {
                throw new IllegalStateException("table unreachable");
            }
            Set<String> found = new HashSet<>(asked);
            found.retainAll(ids);
            return found;
        }

        @Override
        public void remember(Collection<String> remembered) {
            if (down) {
                throw new IllegalStateException("table unreachable");
            }
            ids.addAll(remembered);
        }
    }

    private static Announcer.Change change(String key) {
        return new Announcer.Change(key, List.of(new UserEvent("ev-" + key, EventKind.USER_DELETED, T, "user-" + key,
                T, Source.API)));
    }

    private static List<Announcer.Change> batch(String... keys) {
        List<Announcer.Change> changes = new ArrayList<>();
        for (String key : keys) {
            changes.add(key.startsWith("?") ? Announcer.Change.unreadable(key) : key.startsWith("-")
                    ? new Announcer.Change(key, List.of()) : change(key));
        }
        return changes;
    }

    @Test
    void afterAFailedChangeTheSucceededOnesAreRememberedAndTheRetryPublishesOnlyTheRest() {
        Bus bus = new Bus();
        Marks marks = new Marks();
        Announcer announcer = new Announcer(bus, marks);
        bus.failing.add("ev-3");
        Announcer.Outcome first = announcer.announce(batch("1", "2", "3", "-4", "5", "6"));
        assertEquals(List.of("3"), first.failedKeys());
        assertEquals(4, first.published());
        assertEquals(Set.of("ev-5", "ev-6"), marks.ids, "only what the retry delivers again");

        bus.failing.clear();
        bus.published.clear();
        Announcer.Outcome retry = announcer.announce(batch("3", "-4", "5", "6"));
        assertEquals(List.of(), retry.failedKeys());
        assertEquals(List.of("ev-3"), bus.published);
        assertEquals(1, retry.published());
        assertEquals(2, retry.alreadyPublished());
    }

    /** A change with two events, one failing: the retry delivers the change again, so the other is remembered. */
    @Test
    void theEventsOfAFailedChangeThatWentOutAreRememberedToo() {
        Bus bus = new Bus();
        Marks marks = new Marks();
        Announcer.Change two = new Announcer.Change("k", List.of(
                new UserEvent("ev-a", EventKind.USER_DELETED, T, "user-a", T, Source.API),
                new UserEvent("ev-b", EventKind.USER_DELETED, T, "user-b", T, Source.API)));
        bus.failing.add("ev-b");
        assertEquals(List.of("k"), new Announcer(bus, marks).announce(List.of(two)).failedKeys());
        assertEquals(Set.of("ev-a"), marks.ids);
    }

    @Test
    void anUnreadableChangeCountsAsTheFirstFailure() {
        Bus bus = new Bus();
        Marks marks = new Marks();
        Announcer.Outcome outcome = new Announcer(bus, marks).announce(batch("1", "?2", "3"));
        assertEquals(List.of("?2"), outcome.failedKeys());
        assertEquals(List.of("ev-1", "ev-3"), bus.published);
        assertEquals(Set.of("ev-3"), marks.ids);
    }

    @Test
    void aBatchWithoutFailuresRemembersNothing() {
        Marks marks = new Marks();
        Bus bus = new Bus();
        assertEquals(List.of(), new Announcer(bus, marks).announce(batch("1", "2", "3")).failedKeys());
        assertEquals(Set.of(), marks.ids);
        assertEquals(List.of("ev-1", "ev-2", "ev-3"), bus.published);
    }

    @Test
    void unreachableMarksNeverStopAPublish() {
        Bus bus = new Bus();
        Marks marks = new Marks();
        marks.down = true;
        bus.failing.add("ev-1");
        Announcer.Outcome outcome = new Announcer(bus, marks).announce(batch("1", "2"));
        assertEquals(List.of("1"), outcome.failedKeys());
        assertEquals(List.of("ev-2"), bus.published, "published; the retry will publish it again, same id");
        bus.failing.clear();
        bus.published.clear();
        assertEquals(List.of(), new Announcer(bus, marks).announce(batch("1", "2")).failedKeys());
        assertEquals(List.of("ev-1", "ev-2"), bus.published, "at least once");
    }
}
