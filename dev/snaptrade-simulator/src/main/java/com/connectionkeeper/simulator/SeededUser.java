package com.connectionkeeper.simulator;

import java.util.List;

/**
 * A user created in bulk, as created.
 *
 * @param userId      its id
 * @param userSecret  its secret, for the API
 * @param connections its connections as created, in the order of its {@link UserSeed}
 */
public record SeededUser(String userId, String userSecret, List<SimulatedConnection> connections) {
}
