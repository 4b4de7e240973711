package com.connectionkeeper.simulator;

import java.util.List;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.UUID;

/**
 * Test-side control of the simulated SnapTrade, in process (no HTTP): seeds users and connections, one by one or in
 * bulk, and changes them as SnapTrade would (each change sends its webhook). Unknown users or connections throw
 * {@link NoSuchElementException}. Reads first run the token expiries due by the clock.
 */
public final class SimulatorControl {
    private final SimulatorState state;
    private final WebhookSender webhooks;
    private final TokenExpiries expiries;

    SimulatorControl(SimulatorState state, WebhookSender webhooks, TokenExpiries expiries) {
        this.state = state;
        this.webhooks = webhooks;
        this.expiries = expiries;
    }

    /** Registers a user (USER_REGISTERED) and returns its secret; {@link IllegalStateException} if it exists. */
    public String seedUser(String userId) {
        String secret = state.registerUser(userId)
                .orElseThrow(() -> new IllegalStateException("user " + userId + " already exists"));
        webhooks.send(SimulatedWebhookEvent.user("USER_REGISTERED", userId));
        return secret;
    }

    /**
     * Creates every user with its connections, as {@link #seedUser} and {@link #addConnection} would one by one
     * (USER_REGISTERED, then CONNECTION_ADDED for each connection), and returns them as created. All or none:
     * {@link IllegalStateException} naming a user that exists or is given twice.
     */
    public List<SeededUser> seedAll(List<UserSeed> users) {
        List<SeededUser> seeded = state.seedAll(users);
        for (SeededUser user : seeded) {
            webhooks.send(SimulatedWebhookEvent.user("USER_REGISTERED", user.userId()));
            user.connections().forEach(c -> webhooks.send(SimulatedWebhookEvent.connection("CONNECTION_ADDED", c)));
        }
        return seeded;
    }

    /**
     * As {@link #seedAll}, without any webhook: the users and connections are there as if they existed before the
     * webhook listener did (the fast way to set up 100,000 users for a benchmark).
     */
    public List<SeededUser> seedAllSilently(List<UserSeed> users) {
        return state.seedAll(users);
    }

    /** Deletes a user and its connections (USER_DELETED). */
    public void deleteUser(String userId) {
        if (!state.deleteUser(userId)) {
            throw new NoSuchElementException("no user " + userId);
        }
        webhooks.send(SimulatedWebhookEvent.user("USER_DELETED", userId));
    }

    /** Adds a working connection to a brokerage (CONNECTION_ADDED) and returns its id; type "read" or "trade". */
    public String addConnection(String userId, String brokerageSlug, String type) {
        return addConnection(userId, brokerageSlug, type, "account-" + UUID.randomUUID());
    }

    /** As {@link #addConnection(String, String, String)}, naming the brokerage login (see the portal's account). */
    public String addConnection(String userId, String brokerageSlug, String type, String account) {
        SimulatedConnection added = state.addConnection(userId, brokerageSlug, type, account);
        webhooks.send(SimulatedWebhookEvent.connection("CONNECTION_ADDED", added));
        return added.id();
    }

    /** Breaks a connection (CONNECTION_BROKEN); no-op if already broken. */
    public void breakConnection(String connectionId) {
        state.breakConnection(connectionId)
                .ifPresent(c -> webhooks.send(SimulatedWebhookEvent.connection("CONNECTION_BROKEN", c)));
    }

    /** Repairs a broken connection (CONNECTION_FIXED); no-op if it works. */
    public void fixConnection(String connectionId) {
        state.fixConnection(connectionId)
                .ifPresent(c -> webhooks.send(SimulatedWebhookEvent.connection("CONNECTION_FIXED", c)));
    }

    /** Deletes a connection (CONNECTION_DELETED). */
    public void deleteConnection(String connectionId) {
        webhooks.send(SimulatedWebhookEvent.connection("CONNECTION_DELETED", state.deleteConnection(connectionId)));
    }

    /** The user's connections as they really are, in the order they were added. */
    public List<SimulatedConnection> connections(String userId) {
        expiries.catchUp();
        return state.connections(userId);
    }

    public Optional<SimulatedConnection> connection(String connectionId) {
        expiries.catchUp();
        return state.connection(connectionId);
    }

    public Optional<String> userSecret(String userId) {
        return state.secret(userId);
    }

    public List<String> users() {
        return state.users();
    }
}
