package com.connectionkeeper.core.secrets;

import java.util.Map;
import java.util.Objects;

/**
 * What a sealed secret is bound to: the table it is stored in and the user it belongs to. As KMS encryption context
 * (and as the local sealer's additional authenticated data) it is the map {@link #asMap()}; the deployment's key
 * policy allows decryption only with its own table's name in it.
 *
 * @param table  the DynamoDB table the sealed secret is stored in
 * @param userId the SnapTrade user id the secret belongs to
 */
public record SealContext(String table, String userId) {
    /** The context's keys, as they appear in KMS encryption context and in IAM conditions. */
    public static final String PURPOSE_KEY = "purpose";
    public static final String TABLE_KEY = "table";
    public static final String USER_KEY = "userId";
    /** The value of {@link #PURPOSE_KEY}: a sealed user secret of Connection Keeper, nothing else. */
    public static final String PURPOSE = "connection-keeper/user-secret";

    public SealContext {
        requireText(table, "table");
        requireText(userId, "userId");
    }

    /** The encryption context: purpose, table and user id. */
    public Map<String, String> asMap() {
        return Map.of(PURPOSE_KEY, PURPOSE, TABLE_KEY, table, USER_KEY, userId);
    }

    private static void requireText(String value, String name) {
        if (Objects.requireNonNull(value, name).isEmpty()) {
            throw new IllegalArgumentException(name + " must not be empty");
        }
    }
}
