package com.connectionkeeper.core.ingest;

import com.connectionkeeper.core.model.ConnectionAttempt;
import com.connectionkeeper.core.model.ConnectionState;
import com.connectionkeeper.core.model.ConnectionStatus;
import com.connectionkeeper.core.model.EventType;
import com.connectionkeeper.core.model.IngestResult;
import com.connectionkeeper.core.model.Source;
import com.connectionkeeper.core.model.UserState;
import com.connectionkeeper.core.model.UserStatus;
import com.connectionkeeper.core.model.WebhookEvent;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The specification of webhook ingestion, written as plainly as possible and independently of the production code
 * (no watermark strings, no changes, no store): deliveries are replayed one by one over records.
 */
public final class Model {
    /** Timeline order: event time, then the type's tie precedence, then the webhook id by code point. */
    public static final Comparator<WebhookEvent> TIMELINE = Comparator.comparing(WebhookEvent::eventTime)
            .thenComparingInt(e -> precedence(e.type()))
            .thenComparing(WebhookEvent::webhookId, Model::codePointOrder);

    /** A connection as the spec describes it. */
    public static final class Conn {
        ConnectionStatus status;
        String brokerageId;
        Instant brokenSince;
        Instant fixedAt;
        Instant verifyRequestedAt;
        WebhookEvent newest;
        String lastEventType;
    }

    /** A user as the spec describes it. */
    public static final class User {
        UserStatus status;
        Instant registeredAt;
        Instant deletedAt;
        WebhookEvent newestStatusEvent;
        WebhookEvent newestDeletion;
        WebhookEvent newestAttempt;
    }

    public final Map<String, User> users = new HashMap<>();
    public final Map<List<String>, Conn> connections = new HashMap<>();
    public final Map<List<Object>, IngestResult> historyResults = new HashMap<>();
    private final Set<List<Object>> seen = new HashSet<>();

    public IngestResult deliver(WebhookEvent e) {
        List<Object> id = java.util.Arrays.asList(e.userId(), e.connectionId(), e.eventTime(), e.webhookId(),
                e.wireType());
        IngestResult result = effect(e);
        if (!seen.add(id)) {
            return IngestResult.DUPLICATE;
        }
        historyResults.put(id, result);
        return result;
    }

    private IngestResult effect(WebhookEvent e) {
        switch (e.type()) {
            case CONNECTION_ADDED, CONNECTION_FIXED, CONNECTION_BROKEN, CONNECTION_DELETED, CONNECTION_UPDATED -> {
                if (e.connectionId() == null) {
                    return IngestResult.IGNORED;
                }
                return connectionEvent(e);
            }
            case USER_REGISTERED, USER_DELETED -> {
                User u = users.computeIfAbsent(e.userId(), k -> new User());
                if (u.newestStatusEvent != null && TIMELINE.compare(u.newestStatusEvent, e) > 0) {
                    return IngestResult.STALE;
                }
                u.newestStatusEvent = e;
                if (e.type() == EventType.USER_REGISTERED) {
                    u.status = UserStatus.ACTIVE;
                    u.registeredAt = e.eventTime();
                } else {
                    u.status = UserStatus.DELETED;
                    u.deletedAt = e.eventTime();
                    u.newestDeletion = e;
                    connections.forEach((key, c) -> {
                        if (key.get(0).equals(e.userId()) && TIMELINE.compare(c.newest, e) <= 0) {
                            deleteByUser(c, e);
                        }
                    });
                }
                return IngestResult.APPLIED;
            }
            case CONNECTION_ATTEMPTED, CONNECTION_FAILED -> {
                User u = users.computeIfAbsent(e.userId(), k -> new User());
                if (u.newestAttempt != null && TIMELINE.compare(u.newestAttempt, e) > 0) {
                    return IngestResult.STALE;
                }
                u.newestAttempt = e;
                return IngestResult.APPLIED;
            }
            default -> {
                return IngestResult.IGNORED;
            }
        }
    }

    private IngestResult connectionEvent(WebhookEvent e) {
        List<String> key = List.of(e.userId(), e.connectionId());
        Conn c = connections.get(key);
        boolean firstSight = c == null;
        if (c != null && TIMELINE.compare(c.newest, e) > 0) {
            return IngestResult.STALE;
        }
        if (c == null) {
            c = new Conn();
            connections.put(key, c);
        }
        switch (e.type()) {
            case CONNECTION_BROKEN -> {
                if (c.status != ConnectionStatus.BROKEN) {
                    c.brokenSince = e.eventTime();
                }
                c.status = ConnectionStatus.BROKEN;
            }
            case CONNECTION_FIXED -> {
                c.status = ConnectionStatus.ACTIVE;
                c.brokenSince = null;
                c.fixedAt = e.eventTime();
            }
            case CONNECTION_ADDED -> {
                c.status = ConnectionStatus.ACTIVE;
                c.brokenSince = null;
            }
            case CONNECTION_DELETED -> {
                c.status = ConnectionStatus.DELETED;
                c.brokenSince = null;
                c.verifyRequestedAt = null;
            }
            case CONNECTION_UPDATED -> {
                if (c.status == null) {
                    c.status = ConnectionStatus.ACTIVE;
                }
                if (c.verifyRequestedAt == null) {
                    c.verifyRequestedAt = e.eventTime();
                }
            }
            default -> throw new IllegalStateException();
        }
        if (e.brokerageId() != null) {
            c.brokerageId = e.brokerageId();
        }
        c.newest = e;
        c.lastEventType = e.type().name();
        User u = users.get(e.userId());
        if (firstSight && u != null && u.newestDeletion != null && TIMELINE.compare(u.newestDeletion, e) > 0) {
            deleteByUser(c, u.newestDeletion);
            return IngestResult.STALE;
        }
        return IngestResult.APPLIED;
    }

    private static void deleteByUser(Conn c, WebhookEvent deletion) {
        c.status = ConnectionStatus.DELETED;
        c.brokenSince = null;
        c.verifyRequestedAt = null;
        c.newest = deletion;
        c.lastEventType = EventType.USER_DELETED.name();
    }

    /** The model's connections in the production shape, for comparison. */
    public List<ConnectionState> connectionStates() {
        List<ConnectionState> out = new ArrayList<>();
        connections.forEach((key, c) -> out.add(new ConnectionState(key.get(0), key.get(1), c.status, c.brokerageId,
                c.brokenSince, c.fixedAt, c.verifyRequestedAt, c.newest.watermark(), c.lastEventType,
                Source.WEBHOOK)));
        out.sort(Comparator.comparing(ConnectionState::userId).thenComparing(ConnectionState::connectionId));
        return out;
    }

    /** The model's user in the production shape (null if never seen). */
    public UserState userState(String userId) {
        User u = users.get(userId);
        if (u == null) {
            return null;
        }
        ConnectionAttempt attempt = u.newestAttempt == null ? null : new ConnectionAttempt(
                u.newestAttempt.type().name(), u.newestAttempt.attemptResult(), u.newestAttempt.brokerageId(),
                u.newestAttempt.eventTime(), u.newestAttempt.watermark());
        return new UserState(userId, u.status, u.registeredAt, u.deletedAt,
                u.newestStatusEvent == null ? null : u.newestStatusEvent.watermark(),
                u.newestDeletion == null ? null : u.newestDeletion.watermark(), attempt);
    }

    private static int precedence(EventType t) {
        return switch (t) {
            case USER_DELETED -> 6;
            case CONNECTION_DELETED -> 5;
            case CONNECTION_BROKEN -> 4;
            case CONNECTION_FIXED -> 3;
            case CONNECTION_ADDED -> 2;
            case CONNECTION_UPDATED -> 1;
            default -> 0;
        };
    }

    private static int codePointOrder(String a, String b) {
        return Objects.compare(a.codePoints().toArray(), b.codePoints().toArray(), java.util.Arrays::compare);
    }
}
