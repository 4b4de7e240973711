package com.connectionkeeper.core.lifecycle;

import java.util.List;

/** Where lifecycle events go (the app's EventBridge bus in production). */
public interface EventPublisher {
    /**
     * Publishes the events in order per {@link LifecycleEvent#subject}: an event goes out only once every earlier
     * event of its subject is published, so a consumer never sees a connection's fix before its break. What fails is
     * retried as far as the publisher's bounds allow; an event that still fails holds back the later events of its
     * subject. Returns the ids of the events not published, failed or held back (empty when all were). Never throws
     * for a failed publish.
     */
    List<String> publish(List<? extends LifecycleEvent> events);
}
