package com.connectionkeeper.core.domain;

import java.time.Instant;
import java.util.Optional;

/**
 * What the HTTP API keeps besides connection state: users it registers or imports (with their SnapTrade secret,
 * never handed out again), and the reconnect links it mints, each usable once at the return landing.
 */
public interface AccountStore {

    /** A user as the API sees it. The secret itself never leaves the store except as {@code UserCredentials}. */
    record Account(String userId, UserStatus status, boolean hasSecret, String problem, Instant lastVerifiedAt,
                   Instant registeringSince) {

        /** Deleted (by us or a USER_DELETED webhook). */
        public boolean deleted() {
            return status == UserStatus.DELETED;
        }
    }

    /** A minted reconnect link: its state token's nonce, for whom and which connection, until when it may return. */
    record IssuedLink(String userId, String connectionId, String nonce, Instant issuedAt, Instant expiresAt) {
    }

    Optional<Account> account(String userId);

    /**
     * Creates a user registered through the API, with its secret, unless one exists that is not deleted (a user known
     * from webhooks only, without a registration, is created). The registration ({@code at}, {@code requestId}) is
     * written as the user's watermark, so an older USER_DELETED of an earlier user with the same id stays stale.
     * False if it exists.
     */
    boolean createUser(String userId, String userSecret, Instant at, String requestId);

    /**
     * Records the intent to register the user at SnapTrade, before asking SnapTrade (kept from the first attempt
     * until {@link #createUser} stores the secret): if SnapTrade registers the user but its answer or our write is
     * lost, a retry knows that the user SnapTrade then has is ours, without its secret. False, nothing written, when
     * a user that is not deleted has a secret here already.
     */
    boolean beginRegistration(String userId, Instant at);

    /** Drops the user's secret (after its deletion); nothing else changes. */
    void forgetSecret(String userId);

    /** Keeps a minted link until it expires (DynamoDB's TTL removes it). */
    void recordLink(IssuedLink link);

    /**
     * Uses the link up: true exactly once, for the user and connection it was minted for, before it expires;
     * false for a replay, an unknown nonce, another connection, or after expiry. Changes nothing when false.
     */
    boolean consumeLink(String userId, String connectionId, String nonce, Instant at);
}
