package com.connectionkeeper.simulator;

import java.util.List;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.UUID;

/**
 * Test-side control of the simulated SnapTrade: seeds users and connections and changes them as SnapTrade would
 * (each change sends its webhook). Unknown users or connections throw {@link NoSuchElementException}.
 */
public final class SimulatorControl {
    private final SimulatorState state;
    private final WebhookSender webhooks;

    SimulatorControl(SimulatorState state, WebhookSender webhooks) {
        this.state = state;
        this.webhooks = webhooks;
    }

    /** Registers a user (USER_REGISTERED) and returns its secret; {@link IllegalStateException} if it exists. */
    public String seedUser(String userId) {
        String secret = state.registerUser(userId)
                .orElseThrow(() -> new IllegalStateException("user " + userId + " already exists"));
        webhooks.send(SimulatedWebhookEvent.user("USER_REGISTERED", userId));
        return secret;
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

    /** The user's connections as they really are. */
    public List<SimulatedConnection> connections(String userId) {
        return state.connections(userId);
    }

    public Optional<SimulatedConnection> connection(String connectionId) {
        return state.connection(connectionId);
    }

    public Optional<String> userSecret(String userId) {
        return state.secret(userId);
    }

    public List<String> users() {
        return state.users();
    }
}
