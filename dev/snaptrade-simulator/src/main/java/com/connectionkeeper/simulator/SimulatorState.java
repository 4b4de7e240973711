package com.connectionkeeper.simulator;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.UUID;

/** Users and connections; every change returns the connection as it is afterwards. All methods are atomic. */
final class SimulatorState {
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Clock clock;
    private final Map<String, String> secrets = new LinkedHashMap<>();
    private final Map<String, SimulatedConnection> connections = new LinkedHashMap<>();

    SimulatorState(Clock clock) {
        this.clock = clock;
    }

    /**
     * Registers {@code userId} and returns its new secret; empty when it already exists. Every secret starts with
     * {@link SnapTradeSimulator#SECRET_MARK}, so a test can search captured output for any secret ever issued.
     */
    synchronized Optional<String> registerUser(String userId) {
        if (secrets.containsKey(userId)) {
            return Optional.empty();
        }
        String secret = newSecret();
        secrets.put(userId, secret);
        return Optional.of(secret);
    }

    private static String newSecret() {
        byte[] bytes = new byte[18];
        RANDOM.nextBytes(bytes);
        return SnapTradeSimulator.SECRET_MARK + HexFormat.of().formatHex(bytes);
    }

    /** Gives an existing user a new secret (the old one stops working) and returns it. */
    synchronized String resetSecret(String userId) {
        if (!secrets.containsKey(userId)) {
            throw new NoSuchElementException("no user " + userId);
        }
        String secret = newSecret();
        secrets.put(userId, secret);
        return secret;
    }

    /** Removes the user and its connections; false when unknown. */
    synchronized boolean deleteUser(String userId) {
        if (secrets.remove(userId) == null) {
            return false;
        }
        connections.values().removeIf(c -> c.userId().equals(userId));
        return true;
    }

    synchronized boolean userExists(String userId) {
        return secrets.containsKey(userId);
    }

    /** True when {@code userId} exists and {@code secret} is its secret. */
    synchronized boolean authenticates(String userId, String secret) {
        return userId != null && secret != null && secret.equals(secrets.get(userId));
    }

    synchronized Optional<String> secret(String userId) {
        return Optional.ofNullable(secrets.get(userId));
    }

    synchronized List<String> users() {
        return List.copyOf(secrets.keySet());
    }

    synchronized SimulatedConnection addConnection(String userId, String brokerageSlug, String type, String account) {
        if (!secrets.containsKey(userId)) {
            throw new NoSuchElementException("no user " + userId);
        }
        if (!"read".equals(type) && !"trade".equals(type)) {
            throw new IllegalArgumentException("type must be read or trade, not " + type);
        }
        Brokerage brokerage = Brokerage.of(brokerageSlug);
        Instant now = clock.instant();
        SimulatedConnection connection = new SimulatedConnection(UUID.randomUUID().toString(), userId,
                brokerage.slug(), brokerage.id(), type, false, null, now, now, account);
        connections.put(connection.id(), connection);
        return connection;
    }

    /** Marks the connection broken; empty when it already was. */
    synchronized Optional<SimulatedConnection> breakConnection(String id) {
        SimulatedConnection c = require(id);
        if (c.disabled()) {
            return Optional.empty();
        }
        Instant now = clock.instant();
        return Optional.of(put(new SimulatedConnection(c.id(), c.userId(), c.brokerageSlug(), c.brokerageId(),
                c.type(), true, now, c.createdDate(), now, c.account())));
    }

    /** Marks the connection working again; empty when it was not broken. */
    synchronized Optional<SimulatedConnection> fixConnection(String id) {
        SimulatedConnection c = require(id);
        if (!c.disabled()) {
            return Optional.empty();
        }
        return Optional.of(put(new SimulatedConnection(c.id(), c.userId(), c.brokerageSlug(), c.brokerageId(),
                c.type(), false, null, c.createdDate(), clock.instant(), c.account())));
    }

    /**
     * Repairs a connection as a reconnect through the portal does: it works again, with the type the login asked for
     * (a trade connection reconnected as "read" comes back read-only). Returns the connection before and after.
     */
    synchronized Repair repair(String id, String type) {
        SimulatedConnection c = require(id);
        SimulatedConnection after = put(new SimulatedConnection(c.id(), c.userId(), c.brokerageSlug(),
                c.brokerageId(), type, false, null, c.createdDate(), clock.instant(), c.account()));
        return new Repair(c, after);
    }

    synchronized SimulatedConnection deleteConnection(String id) {
        SimulatedConnection c = require(id);
        connections.remove(id);
        return c;
    }

    synchronized Optional<SimulatedConnection> connection(String id) {
        return Optional.ofNullable(connections.get(id));
    }

    synchronized List<SimulatedConnection> connections(String userId) {
        List<SimulatedConnection> result = new ArrayList<>();
        for (SimulatedConnection c : connections.values()) {
            if (c.userId().equals(userId)) {
                result.add(c);
            }
        }
        return result;
    }

    private SimulatedConnection require(String id) {
        SimulatedConnection c = connections.get(id);
        if (c == null) {
            throw new NoSuchElementException("no connection " + id);
        }
        return c;
    }

    private SimulatedConnection put(SimulatedConnection c) {
        connections.put(c.id(), c);
        return c;
    }

    /** A connection before and after a portal repair. */
    record Repair(SimulatedConnection before, SimulatedConnection after) {
    }
}
