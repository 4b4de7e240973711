package com.connectionkeeper.core.store;

import com.connectionkeeper.core.domain.Watermark;
import java.time.Instant;

/**
 * The table's key layout, in one place. Everything of a user lives in one partition, {@code USER#<userId>}:
 * <pre>
 *   sk = USER                                              the user
 *   sk = CONN#<connectionId>                               one connection
 *   sk = HIST#C#<connectionId>#<eventTime>#<webhookId>#<eventType>   a connection's history, in event-time order
 *   sk = HIST#U#<eventTime>#<webhookId>#<eventType>                  history of events that name no connection
 * </pre>
 * Ids inside sort keys have {@code %} and {@code #} percent-escaped so that {@code #} always separates parts.
 */
final class Keys {
    static final String PK = "pk";
    static final String SK = "sk";
    static final String USER_SK = "USER";
    static final String CONNECTION_PREFIX = "CONN#";
    static final String HISTORY_PREFIX = "HIST#";
    static final String LINK_PREFIX = "LINK#";
    static final String LIVE_LINK_PREFIX = "LIVE#";
    /** The user's counter of minted reconnect links in the current window. */
    static final String LINK_RATE_SK = "RATE#LINKS";
    /** The sweep's lease and pass items: a partition no user id can produce (user partitions start "USER#"). */
    static final String SWEEP_PARTITION = "SWEEP";

    private Keys() {
    }

    static String userPartition(String userId) {
        return "USER#" + userId;
    }

    static String connection(String connectionId) {
        return CONNECTION_PREFIX + escape(connectionId);
    }

    /** A minted reconnect link, by its state token's nonce. */
    static String link(String nonce) {
        return LINK_PREFIX + escape(nonce);
    }

    /** The latest login link minted for a connection with these options (returned again while valid). */
    static String liveLink(String connectionId, String options) {
        try {
            byte[] digest = java.security.MessageDigest.getInstance("SHA-256")
                    .digest(options.getBytes(java.nio.charset.StandardCharsets.UTF_8));
            return LIVE_LINK_PREFIX + escape(connectionId) + "#"
                    + java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is not available", e);
        }
    }

    static String historyPrefix(String connectionId) {
        return connectionId == null ? HISTORY_PREFIX + "U#" : HISTORY_PREFIX + "C#" + escape(connectionId) + "#";
    }

    static String history(String connectionId, Instant eventTime, String webhookId, String eventType) {
        return historyPrefix(connectionId) + Watermark.timeKey(eventTime) + "#" + escape(webhookId) + "#"
                + escape(eventType);
    }

    static String escape(String id) {
        return id.replace("%", "%25").replace("#", "%23");
    }
}
