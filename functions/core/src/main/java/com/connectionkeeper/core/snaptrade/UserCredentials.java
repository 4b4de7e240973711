package com.connectionkeeper.core.snaptrade;

import java.util.Objects;

/** A SnapTrade user id with its secret. {@link #toString()} never shows the secret. */
public record UserCredentials(String userId, String userSecret) {
    public UserCredentials {
        Objects.requireNonNull(userId, "userId");
        Objects.requireNonNull(userSecret, "userSecret");
    }

    @Override
    public String toString() {
        return "UserCredentials[userId=" + userId + ", userSecret=***]";
    }
}
