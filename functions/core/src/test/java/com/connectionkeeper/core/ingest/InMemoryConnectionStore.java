package com.connectionkeeper.core.ingest;

import com.connectionkeeper.core.model.ConnectionChange;
import com.connectionkeeper.core.model.ConnectionRules;
import com.connectionkeeper.core.model.ConnectionState;
import com.connectionkeeper.core.model.HistoryEntry;
import com.connectionkeeper.core.model.Source;
import com.connectionkeeper.core.model.UserRules;
import com.connectionkeeper.core.model.UserState;
import com.connectionkeeper.core.model.UserStatus;
import com.connectionkeeper.core.model.Watermark;
import com.connectionkeeper.core.model.WebhookEvent;
import com.connectionkeeper.core.secrets.SecretStore;
import com.connectionkeeper.core.snaptrade.UserCredentials;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The state store as plain maps, applying exactly the pure rules: the reference the DynamoDB store is tested
 * against, and the store behind the pure property tests.
 */
public final class InMemoryConnectionStore implements ConnectionStore, SecretStore {
    private final Map<String, UserState> users = new HashMap<>();
    private final Map<String, String> secrets = new HashMap<>();
    private final Map<String, String> problems = new HashMap<>();
    private final Map<String, TreeMap<String, ConnectionState>> connections = new HashMap<>();
    private final Map<String, TreeMap<String, Recorded>> history = new HashMap<>();

    @Override
    public synchronized ConnectionWrite applyToConnection(String userId, String connectionId, ConnectionChange change) {
        TreeMap<String, ConnectionState> ofUser =
                connections.computeIfAbsent(userId, u -> new TreeMap<>(Watermark::compareCodePoints));
        ConnectionState current = ofUser.get(connectionId);
        if (!ConnectionRules.applies(current, change)) {
            return new ConnectionWrite(false, false);
        }
        ofUser.put(connectionId, ConnectionRules.apply(userId, connectionId, current, change));
        boolean firstOrReplay = current == null || current.watermark().equals(change.watermark());
        return new ConnectionWrite(true, firstOrReplay);
    }

    @Override
    public synchronized boolean applyToUser(WebhookEvent event) {
        UserState current = users.get(event.userId());
        boolean applies = switch (event.type()) {
            case CONNECTION_ATTEMPTED, CONNECTION_FAILED -> UserRules.attemptApplies(current, event);
            default -> UserRules.registrationApplies(current, event);
        };
        if (applies) {
            users.put(event.userId(), UserRules.apply(current, event));
        }
        return applies;
    }

    @Override
    public synchronized boolean applyUserDeletion(String userId, Watermark watermark, Instant deletedAt,
                                                  Source source) {
        UserState current = users.get(userId);
        if (!UserRules.registrationApplies(current, watermark)) {
            return false;
        }
        users.put(userId, UserRules.deleted(current, userId, watermark, deletedAt));
        return true;
    }

    @Override
    public synchronized Optional<UserState> user(String userId) {
        return Optional.ofNullable(users.get(userId));
    }

    @Override
    public synchronized Optional<ConnectionState> connection(String userId, String connectionId) {
        return Optional.ofNullable(connections.getOrDefault(userId, new TreeMap<>()).get(connectionId));
    }

    @Override
    public synchronized List<ConnectionState> connections(String userId) {
        return new ArrayList<>(connections.getOrDefault(userId, new TreeMap<>()).values());
    }

    @Override
    public synchronized boolean recordHistory(HistoryEntry d) {
        TreeMap<String, Recorded> entries = history.computeIfAbsent(scope(d.userId(), d.connectionId()),
                s -> new TreeMap<>(Watermark::compareCodePoints));
        Recorded earlier = entries.get(entryKey(d));
        if (earlier != null) {
            earlier.count++;
            return false;
        }
        entries.put(entryKey(d), new Recorded(d));
        return true;
    }

    @Override
    public synchronized List<HistoryEntry> history(String userId, String connectionId) {
        return history.getOrDefault(scope(userId, connectionId), new TreeMap<>()).values().stream()
                .map(r -> r.delivery)
                .toList();
    }

    @Override
    public synchronized boolean saveUserSecret(String userId, String userSecret) {
        UserState user = users.get(userId);
        if (user != null && user.status() == UserStatus.DELETED) {
            return false;
        }
        secrets.put(userId, userSecret);
        problems.remove(userId);
        return true;
    }

    @Override
    public synchronized Optional<UserCredentials> credentials(String userId) {
        return problems.containsKey(userId) ? Optional.empty()
                : Optional.ofNullable(secrets.get(userId)).map(secret -> new UserCredentials(userId, secret));
    }

    @Override
    public synchronized Optional<HeldSecret> heldSecret(String userId) {
        UserState user = users.get(userId);
        if (user != null && user.status() == UserStatus.DELETED) {
            return Optional.empty();
        }
        return Optional.ofNullable(secrets.get(userId))
                .map(secret -> new HeldSecret(new UserCredentials(userId, secret), problems.get(userId),
                        version(secret)));
    }

    @Override
    public synchronized void flagUser(String userId, String problem, Instant at, String versionUsed) {
        if (secrets.containsKey(userId) && versionUsed.equals(version(secrets.get(userId)))) {
            problems.put(userId, problem);
        }
    }

    @Override
    public synchronized boolean clearFlag(String userId, String versionUsed) {
        if (!secrets.containsKey(userId) || !versionUsed.equals(version(secrets.get(userId)))) {
            return false;
        }
        problems.remove(userId);
        return true;
    }

    /** The version of a held secret: in memory, the secret itself, marked (the Dynamo store's is its sealed form). */
    private static String version(String secret) {
        return "v1:" + secret;
    }

    /** How many times this delivery's webhook arrived (0 if never). */
    public synchronized int deliveryCount(HistoryEntry d) {
        Recorded r = history.getOrDefault(scope(d.userId(), d.connectionId()), new TreeMap<>()).get(entryKey(d));
        return r == null ? 0 : r.count;
    }

    private static String scope(String userId, String connectionId) {
        return userId + '\u0000' + (connectionId == null ? "" : "C" + connectionId);
    }

    private static String entryKey(HistoryEntry d) {
        return Watermark.timeKey(d.eventTime()) + '\u0000' + d.webhookId() + '\u0000' + d.eventType();
    }

    /** A history entry and how often it was delivered. */
    /**
     * The secret half of a registration: refused while a user that is not deleted holds a secret. (The registration
     * watermark it writes in DynamoDB is not modelled here; the store's tests cover it.)
     */
    @Override
    public synchronized boolean createUser(String userId, String userSecret, Instant at, String requestId) {
        UserState user = users.get(userId);
        boolean deleted = user != null && user.status() == UserStatus.DELETED;
        if (!deleted && secrets.containsKey(userId)) {
            return false;
        }
        secrets.put(userId, userSecret);
        problems.remove(userId);
        return true;
    }

    @Override
    public synchronized void forgetSecret(String userId) {
        secrets.remove(userId);
        problems.remove(userId);
    }

    private static final class Recorded {
        final HistoryEntry delivery;
        int count = 1;

        Recorded(HistoryEntry delivery) {
            this.delivery = delivery;
        }
    }
}
