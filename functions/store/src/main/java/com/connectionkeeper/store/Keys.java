package com.connectionkeeper.store;

import com.connectionkeeper.core.model.Watermark;
import com.connectionkeeper.core.sweep.ConnectionCensus;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.Base64;

/**
 * The table's key layout, in one place. Everything of a user lives in one partition, {@code USER#<userId>}:
 * <pre>
 *   sk = USER                                              the user
 *   sk = CONN#<connectionId>                               one connection
 *   sk = HIST#C#<connectionId>#<eventTime>#<webhookId>#<eventType>   a connection's history, in event-time order
 *   sk = HIST#U#<eventTime>#<webhookId>#<eventType>                  history of events that name no connection
 * </pre>
 * Ids inside sort keys have {@code %} and {@code #} percent-escaped so that {@code #} always separates parts.
 *
 * <p>Every key fits DynamoDB's limits (partition key 2048 bytes, sort key 1024 bytes, UTF-8; the same for index
 * keys): a part that would not fit is {@linkplain #fit shortened} to a readable prefix plus a hash of the whole part.
 * A part that fits is kept exactly, so keys that DynamoDB could store before stay the same.
 */
public final class Keys {
    public static final String PK = "pk";
    static final String SK = "sk";
    public static final String USER_SK = "USER";
    static final String CONNECTION_PREFIX = "CONN#";
    static final String HISTORY_PREFIX = "HIST#";
    static final String LINK_PREFIX = "LINK#";
    static final String LIVE_LINK_PREFIX = "LIVE#";
    /** The user's counter of minted reconnect links in the current window. */
    public static final String LINK_RATE_SK = "RATE#LINKS";
    /** The sweep's lease and pass items: a partition no user id can produce (user partitions start "USER#"). */
    static final String SWEEP_PARTITION = "SWEEP";
    /** The census key of a connection whose brokerage is not known yet. */
    static final String UNKNOWN_BROKERAGE = ConnectionCensus.Census.UNKNOWN;
    /** DynamoDB's limit on an index's sort key. */
    static final int MAX_INDEX_SORT_KEY_BYTES = 1024;
    /** The partition SnapStart priming reads from and nothing ever writes to (outside every user's). */
    static final String PRIMING_PARTITION = "PRIMING";
    /** The sweep lease: one item outside every user partition. */
    static final String LEASE_SK = "LEASE";
    /** The sweep's pass in progress. */
    static final String PASS_SK = "PASS";
    /** A brokerage's incident-awareness items: breaks, members, the known count (no user id makes "BROKERAGE#"). */
    static final String BROKERAGE_PARTITION_PREFIX = "BROKERAGE#";
    /** Every brokerage's current incident, one item each: a partition no user id can produce. */
    static final String INCIDENTS_PARTITION = "INCIDENTS";
    static final String BREAK_PREFIX = "BREAK#";
    static final String MEMBER_PREFIX = "MEMBER#";
    static final String KNOWN_SK = "KNOWN";
    /** A lifecycle event remembered as published: its own partition, {@code EVENT#<event id>} (a UUID). */
    static final String PUBLISHED_PARTITION_PREFIX = "EVENT#";
    static final String PUBLISHED_SK = "PUBLISHED";
    /**
     * A client id's shared SnapTrade budget: {@code REQUESTS#<clientId>}, one item per sub-window,
     * {@code sk = W#<window number>} (no user id makes "REQUESTS#").
     */
    static final String REQUESTS_PARTITION_PREFIX = "REQUESTS#";
    static final String WINDOW_PREFIX = "W#";
    /** Every brokerage's token lifetimes: one partition, one item per brokerage id. */
    static final String LIFETIMES_PARTITION = "LIFETIMES";
    /** sweepOrder prefix of a user never verified: sorts before every timestamp. */
    static final String NEVER_VERIFIED = "!";

    /** DynamoDB's limits, in UTF-8 bytes, for a table's and an index's partition and sort key values. */
    static final int MAX_PARTITION_KEY_BYTES = 2048;
    static final int MAX_SORT_KEY_BYTES = 1024;
    /**
     * Largest connection id part kept as is: 768 = the longest escaped form of an id the webhook parser accepts
     * (256 bytes, every one a {@code %} or {@code #}), so no accepted connection id is ever shortened.
     */
    static final int MAX_CONNECTION_PART_BYTES = 768;
    /** Largest event type part kept as is (the webhook parser accepts at most 128 characters). */
    static final int MAX_TYPE_PART_BYTES = 128;
    /** What a shortened part ends with: a marker no escaped id contains, then the part's SHA-256 (base64url). */
    static final String HASH_MARKER = "%h";
    private static final int HASH_CHARS = 43;
    private static final int MIN_PREFIX_BYTES = 16;

    private Keys() {
    }

    /**
     * A brokerage id as the census index's sort key; null when there is none to record (null, blank, or longer than an
     * index key may be: a webhook's field is not trusted to fit).
     */
    static String censusBrokerage(String brokerageId) {
        return brokerageId == null || brokerageId.isBlank() || utf8Length(brokerageId) > MAX_INDEX_SORT_KEY_BYTES
                ? null : brokerageId;
    }

    static String userPartition(String userId) {
        String pk = "USER#" + userId;
        if (utf8Length(pk) > MAX_PARTITION_KEY_BYTES) {
            // the webhook parser (1024 bytes) and the API (255 characters) refuse such ids long before this
            throw new IllegalArgumentException("user id longer than a partition key allows");
        }
        return pk;
    }

    public static String connection(String connectionId) {
        return CONNECTION_PREFIX + connectionPart(connectionId);
    }

    /** A minted reconnect link, by its state token's nonce. */
    public static String link(String nonce) {
        return LINK_PREFIX + fit(escape(nonce), MAX_SORT_KEY_BYTES - LINK_PREFIX.length());
    }

    /** The latest login link minted for a connection with these options (returned again while valid). */
    public static String liveLink(String connectionId, String options) {
        try {
            byte[] digest = java.security.MessageDigest.getInstance("SHA-256")
                    .digest(options.getBytes(java.nio.charset.StandardCharsets.UTF_8));
            return LIVE_LINK_PREFIX + escape(connectionId) + "#"
                    + java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is not available", e);
        }
    }

    static String brokeragePartition(String brokerageId) {
        return BROKERAGE_PARTITION_PREFIX
                + fit(escape(brokerageId), MAX_PARTITION_KEY_BYTES - BROKERAGE_PARTITION_PREFIX.length());
    }

    /** A client id's shared SnapTrade budget. */
    static String requestsPartition(String clientId) {
        return REQUESTS_PARTITION_PREFIX
                + fit(escape(clientId), MAX_PARTITION_KEY_BYTES - REQUESTS_PARTITION_PREFIX.length());
    }

    /** A brokerage's item in {@link #LIFETIMES_PARTITION}. */
    static String lifetimes(String brokerageId) {
        return fit(escape(brokerageId), MAX_SORT_KEY_BYTES);
    }

    /** A user's place in the ByDue index: when it is next due, then its id. */
    static String dueAt(Instant at, String userId) {
        String head = Watermark.timeKey(at) + "#";
        return head + userSortPart(userId, head.length());
    }

    /** One sub-window of a client id's budget. */
    static String requestWindow(long window) {
        return WINDOW_PREFIX + window;
    }

    static String publishedPartition(String eventId) {
        return PUBLISHED_PARTITION_PREFIX
                + fit(escape(eventId), MAX_PARTITION_KEY_BYTES - PUBLISHED_PARTITION_PREFIX.length());
    }

    /** A brokerage's incident item in {@link #INCIDENTS_PARTITION}. */
    static String incident(String brokerageId) {
        return fit(escape(brokerageId), MAX_SORT_KEY_BYTES);
    }

    /** The record of a connection's break at {@code brokenSince}: break records sort by the break's time. */
    static String breakRecord(Instant brokenSince, String userId, String connectionId) {
        String head = breakBound(brokenSince) + "#";
        return head + fit(escape(userId) + "#" + escape(connectionId), MAX_SORT_KEY_BYTES - utf8Length(head));
    }

    /** Where the break records of {@code time} begin (every record of that time sorts after it). */
    static String breakBound(Instant time) {
        return BREAK_PREFIX + Watermark.timeKey(time);
    }

    /** After every break record of {@code time} ({@code $} sorts right after the {@code #} that follows the time). */
    static String breakBoundAfter(Instant time) {
        return breakBound(time) + "$";
    }

    /** A connection known at a brokerage. */
    static String member(String userId, String connectionId) {
        return MEMBER_PREFIX + fit(escape(userId) + "#" + escape(connectionId),
                MAX_SORT_KEY_BYTES - MEMBER_PREFIX.length());
    }

    static String historyPrefix(String connectionId) {
        return connectionId == null ? HISTORY_PREFIX + "U#" : HISTORY_PREFIX + "C#" + connectionPart(connectionId) + "#";
    }

    /**
     * A history item's sort key. The connection and type parts are bounded first; the webhook id part gets what is
     * left of the 1024 bytes, so the whole key is kept exactly whenever it fits, and is otherwise at most 1024 bytes.
     */
    static String history(String connectionId, Instant eventTime, String webhookId, String eventType) {
        String head = historyPrefix(connectionId) + Watermark.timeKey(eventTime) + "#";
        String type = "#" + fit(escape(eventType), MAX_TYPE_PART_BYTES);
        int room = MAX_SORT_KEY_BYTES - utf8Length(head) - utf8Length(type);
        return head + fit(escape(webhookId), room) + type;
    }

    /**
     * A user's id as part of an index sort key ({@code sweepOrder}, {@code retryAt}) after {@code usedBytes} of
     * other text: escaped, and shortened when the whole would exceed 1024 bytes. Unique per user.
     */
    static String userSortPart(String userId, int usedBytes) {
        return fit(escape(userId), MAX_SORT_KEY_BYTES - usedBytes);
    }

    /**
     * A user's place in the sweep order (index sort key {@code sweepOrder}): its last check (or
     * {@value #NEVER_VERIFIED}, before every time), then its id (escaped, and shortened with a hash when the whole
     * would exceed 1024 bytes: see {@link #fit}), so no two users share a sort key (ties at an index's page boundary
     * are not safe to rely on). Only the time is ever read back from it ({@link #checkedAt}); the user id is read from
     * the item's {@code userId}.
     */
    public static String sweepOrder(Instant checkedAt, String userId) {
        String head = (checkedAt == null ? NEVER_VERIFIED : Watermark.timeKey(checkedAt)) + "#";
        return head + userSortPart(userId, head.length());
    }

    /** The last check a {@link #sweepOrder} holds; null: never checked. */
    static Instant checkedAt(String sweepOrder) {
        return sweepOrder.startsWith(NEVER_VERIFIED) ? null
                : Instant.parse(sweepOrder.substring(0, sweepOrder.indexOf('#')));
    }

    /**
     * When a user's retry is due, then its id (index sort key {@code retryAt}: unique per user, at most an index sort
     * key's 1024 bytes).
     */
    static String retryAt(Instant at, String userId) {
        String head = Watermark.timeKey(at) + "#";
        return head + userSortPart(userId, head.length());
    }

    private static String connectionPart(String connectionId) {
        return fit(escape(connectionId), MAX_CONNECTION_PART_BYTES);
    }

    static String escape(String id) {
        return id.replace("%", "%25").replace("#", "%23");
    }

    /**
     * {@code escaped} itself when its UTF-8 form has at most {@code maxBytes}; else its longest prefix that leaves
     * room (cut between characters and never inside a {@code %XX} escape), {@link #HASH_MARKER}, and the base64url
     * SHA-256 of the whole of {@code escaped}. An escaped id never contains {@code %h} and a shortened one always
     * ends with it and its hash, so no shortened part equals a kept one or another shortened one (short of a
     * SHA-256 collision); {@code #} appears in neither.
     */
    static String fit(String escaped, int maxBytes) {
        if (utf8Length(escaped) <= maxBytes) {
            return escaped;
        }
        int room = maxBytes - HASH_MARKER.length() - HASH_CHARS;
        if (room < MIN_PREFIX_BYTES) {
            throw new IllegalArgumentException("no room for a key part: " + maxBytes + " bytes");
        }
        int end = 0;
        int bytes = 0;
        while (end < escaped.length()) {
            int cp = escaped.codePointAt(end);
            int width = escaped.charAt(end) == '%' ? 3 : utf8Length(cp);
            int chars = escaped.charAt(end) == '%' ? Math.min(3, escaped.length() - end) : Character.charCount(cp);
            if (bytes + width > room) {
                break;
            }
            bytes += width;
            end += chars;
        }
        return escaped.substring(0, end) + HASH_MARKER + sha256(escaped);
    }

    static int utf8Length(String s) {
        return s.getBytes(StandardCharsets.UTF_8).length;
    }

    private static int utf8Length(int codePoint) {
        return codePoint < 0x80 ? 1 : codePoint < 0x800 ? 2 : codePoint < 0x10000 ? 3 : 4;
    }

    private static String sha256(String text) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 unavailable", e);
        }
    }
}
