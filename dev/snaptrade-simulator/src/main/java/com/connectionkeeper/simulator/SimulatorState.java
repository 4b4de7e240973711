package com.connectionkeeper.simulator;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.UUID;
import java.util.random.RandomGenerator;

/**
 * Users and connections; every change returns the connection as it is afterwards. All methods are atomic. A
 * connection added or repaired gets a token lifetime drawn from its brokerage's distribution; the expiries wait in a
 * queue ordered by instant, so finding the next one never scans the connections.
 */
final class SimulatorState {
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Clock clock;
    private final TokenLifetimes lifetimes;
    private final RandomGenerator lifetimeRandom;
    private final Map<String, String> secrets = new LinkedHashMap<>();
    private final Map<String, SimulatedConnection> connections = new HashMap<>();
    private final Map<String, Set<String>> connectionsByUser = new HashMap<>();
    /** Token expiries by instant, then by when they were drawn; an entry whose token was replaced or broke is skipped. */
    private final PriorityQueue<Due> expiries =
            new PriorityQueue<>(Comparator.comparing(Due::at).thenComparingLong(Due::sequence));
    private long drawn;

    /** A state where no token expires. */
    SimulatorState(Clock clock) {
        this(clock, TokenLifetimes.none(), new SplittableRandom(0));
    }

    SimulatorState(Clock clock, TokenLifetimes lifetimes, RandomGenerator lifetimeRandom) {
        this.clock = clock;
        this.lifetimes = lifetimes;
        this.lifetimeRandom = lifetimeRandom;
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
        Set<String> ids = connectionsByUser.remove(userId);
        if (ids != null) {
            ids.forEach(connections::remove);
        }
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
        UserSeed.requireType(type);
        Brokerage brokerage = Brokerage.of(brokerageSlug);
        Instant now = clock.instant();
        String id = UUID.randomUUID().toString();
        SimulatedConnection connection = new SimulatedConnection(id, userId, brokerage.slug(), brokerage.id(), type,
                false, null, now, now, account, tokenExpiry(id, brokerage.slug(), now));
        connectionsByUser.computeIfAbsent(userId, u -> new LinkedHashSet<>()).add(id);
        return put(connection);
    }

    /**
     * Registers every user with its connections (all or none: {@link IllegalStateException} naming a user that exists
     * or is given twice) and returns them as created, in order.
     */
    synchronized List<SeededUser> seedAll(List<UserSeed> seeds) {
        Set<String> seen = new HashSet<>();
        for (UserSeed seed : seeds) {
            if (secrets.containsKey(seed.userId())) {
                throw new IllegalStateException("user " + seed.userId() + " already exists");
            }
            if (!seen.add(seed.userId())) {
                throw new IllegalStateException("user " + seed.userId() + " is given twice");
            }
        }
        List<SeededUser> seeded = new ArrayList<>(seeds.size());
        for (UserSeed seed : seeds) {
            String secret = registerUser(seed.userId()).orElseThrow();
            List<SimulatedConnection> added = new ArrayList<>(seed.connections().size());
            for (UserSeed.Connection c : seed.connections()) {
                added.add(addConnection(seed.userId(), c.brokerageSlug(), c.type(), "account-" + UUID.randomUUID()));
            }
            seeded.add(new SeededUser(seed.userId(), secret, List.copyOf(added)));
        }
        return seeded;
    }

    /** Marks the connection broken; empty when it already was. */
    synchronized Optional<SimulatedConnection> breakConnection(String id) {
        SimulatedConnection c = require(id);
        if (c.disabled()) {
            return Optional.empty();
        }
        return Optional.of(put(c.brokenAt(clock.instant())));
    }

    /** Marks the connection working again, with a new token; empty when it was not broken. */
    synchronized Optional<SimulatedConnection> fixConnection(String id) {
        SimulatedConnection c = require(id);
        if (!c.disabled()) {
            return Optional.empty();
        }
        return Optional.of(renew(c, c.type()));
    }

    /**
     * Repairs a connection as a reconnect through the portal does: it works again, with a new token and the type the
     * login asked for (a trade connection reconnected as "read" comes back read-only). Returns the connection before
     * and after.
     */
    synchronized Repair repair(String id, String type) {
        SimulatedConnection c = require(id);
        return new Repair(c, renew(c, type));
    }

    /**
     * Breaks the working connection whose token expires first, if that is at or before {@code upTo}, at its expiry
     * instant, and returns it; empty when no token expires by then.
     */
    synchronized Optional<SimulatedConnection> expireNext(Instant upTo) {
        Optional<Due> next = nextDue();
        if (next.isEmpty() || next.get().at().isAfter(upTo)) {
            return Optional.empty();
        }
        expiries.poll();
        return Optional.of(put(connections.get(next.get().connectionId()).brokenAt(next.get().at())));
    }

    /** When the next token expires, or empty when none will. */
    synchronized Optional<Instant> nextExpiry() {
        return nextDue().map(Due::at);
    }

    /** The queue's first entry whose token still stands (dropping those whose token was replaced or broke). */
    private Optional<Due> nextDue() {
        while (!expiries.isEmpty()) {
            Due due = expiries.peek();
            SimulatedConnection c = connections.get(due.connectionId());
            if (c != null && !c.disabled() && due.at().equals(c.tokenExpiresAt())) {
                return Optional.of(due);
            }
            expiries.poll();
        }
        return Optional.empty();
    }

    private SimulatedConnection renew(SimulatedConnection c, String type) {
        Instant now = clock.instant();
        return put(c.workingAt(now, type, tokenExpiry(c.id(), c.brokerageSlug(), now)));
    }

    /** Draws a token lifetime for the brokerage and queues its expiry; null when the token never expires. */
    private Instant tokenExpiry(String connectionId, String brokerageSlug, Instant now) {
        Optional<Instant> at = lifetimes.forBrokerage(brokerageSlug).draw(lifetimeRandom).map(now::plus);
        at.ifPresent(instant -> expiries.add(new Due(instant, drawn++, connectionId)));
        return at.orElse(null);
    }

    synchronized SimulatedConnection deleteConnection(String id) {
        SimulatedConnection c = require(id);
        connections.remove(id);
        connectionsByUser.get(c.userId()).remove(id);
        return c;
    }

    synchronized Optional<SimulatedConnection> connection(String id) {
        return Optional.ofNullable(connections.get(id));
    }

    synchronized List<SimulatedConnection> connections(String userId) {
        List<SimulatedConnection> result = new ArrayList<>();
        for (String id : connectionsByUser.getOrDefault(userId, Set.of())) {
            result.add(connections.get(id));
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

    /** A token expiry waiting in the queue; {@code sequence} orders expiries at the same instant as drawn. */
    private record Due(Instant at, long sequence, String connectionId) {
    }
}
