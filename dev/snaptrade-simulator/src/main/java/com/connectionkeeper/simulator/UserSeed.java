package com.connectionkeeper.simulator;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * A user to create in bulk with {@link SimulatorControl#seedAll} or {@link SimulatorControl#seedAllSilently}, with the
 * connections it starts with.
 *
 * @param userId      the new user's id
 * @param connections its connections, in order
 */
public record UserSeed(String userId, List<Connection> connections) {
    public UserSeed {
        if (userId == null || userId.isBlank()) {
            throw new IllegalArgumentException("userId must not be blank");
        }
        connections = List.copyOf(connections);
    }

    /** A user with one read connection to each brokerage named. */
    public static UserSeed of(String userId, String... brokerageSlugs) {
        return new UserSeed(userId, Arrays.stream(brokerageSlugs).map(slug -> new Connection(slug, "read")).toList());
    }

    /** {@code type}, when it is "read" or "trade". */
    static String requireType(String type) {
        if (!"read".equals(type) && !"trade".equals(type)) {
            throw new IllegalArgumentException("type must be read or trade, not " + type);
        }
        return type;
    }

    /**
     * A working connection to create.
     *
     * @param brokerageSlug the brokerage, any case
     * @param type          "read" or "trade"
     */
    public record Connection(String brokerageSlug, String type) {
        public Connection {
            Objects.requireNonNull(brokerageSlug, "brokerageSlug");
            requireType(type);
        }
    }
}
