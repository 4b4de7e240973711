package com.connectionkeeper.snaptrade;

/** The gateway's SnapTrade operations, as named in logs; only idempotent ones are retried after a read timeout. */
enum Operation {
    LIST_CONNECTIONS("listConnections", true),
    CONNECTION("connection", true),
    RECONNECT_LINK("reconnectLink", true),
    REGISTER_USER("registerUser", false),
    DELETE_USER("deleteUser", true),
    RESET_USER_SECRET("resetUserSecret", false);

    private final String logName;
    private final boolean idempotent;

    Operation(String logName, boolean idempotent) {
        this.logName = logName;
        this.idempotent = idempotent;
    }

    String logName() {
        return logName;
    }

    /** Whether repeating a request that may have reached SnapTrade is harmless. */
    boolean idempotent() {
        return idempotent;
    }
}
