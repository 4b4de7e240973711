package com.connectionkeeper.core.lifecycle;

import java.util.List;

/** Where lifecycle events go (the app's EventBridge bus in production). */
public interface EventPublisher {
    /**
     * Publishes the events, in order, retrying what fails as far as the publisher's own bounds allow; returns the
     * ids of the events that are still not published (empty when all were). Never throws for a failed publish.
     */
    List<String> publish(List<? extends LifecycleEvent> events);
}
