package com.connectionkeeper.core.lifecycle;

import java.time.Instant;
import java.util.Objects;

/**
 * Many connections at one brokerage broke within a short window ({@code Brokerage Incident Suspected}), or that
 * incident is over ({@code Brokerage Incident Ended}). The {@link Incident} holds what both events report; its
 * {@link Incident#id()} is the same in both, and in the {@code Connection Broken} events marked with it.
 */
public record IncidentEvent(String id, EventKind kind, Instant time, Incident incident) implements LifecycleEvent {

    public IncidentEvent {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(time, "time");
        Objects.requireNonNull(incident, "incident");
    }

    /** No user: an incident is about a brokerage. */
    @Override
    public String userId() {
        return null;
    }

    @Override
    public String subject() {
        return "B\u0000" + incident.brokerageId();
    }
}
