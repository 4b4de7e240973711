package com.connectionkeeper.accounts;

import com.connectionkeeper.core.model.UserStatus;
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

    /**
     * What SnapTrade's portal said when the browser came back, as the landing read it: {@code status} SUCCESS, ERROR
     * or ABANDONED, and {@code otherConnection} when it said SUCCESS for a connection other than the link's. Stored
     * in the write that uses the link up, so a concurrent or later replay of the link answers from it, never from its
     * own query.
     */
    record PortalReturn(String status, boolean otherConnection) {
    }

    /**
     * A minted link as kept: the connection it was minted for, when the landing used it up (null: not yet), what the
     * portal said then (null: not used yet, or used by a release that did not store it), and the outcome the landing
     * recorded (null when it could not be recorded, or not yet), so a reload is answered the same way.
     */
    record LinkUse(String connectionId, Instant consumedAt, PortalReturn portal, String outcome,
                   String outcomeReason) {
    }

    /**
     * The latest login link SnapTrade minted for a connection, kept so the same request within its life gets it again
     * instead of a new SnapTrade login. {@code redirectUri} is a bearer login link: kept only until it expires, never
     * logged. {@code options} is the request's fingerprint (return URL, immediateRedirect, darkMode); {@code type} the
     * connection type it was minted with; {@code nonce} its state's, so a link used at the landing is not handed out.
     */
    record LiveLink(String connectionId, String options, String type, String redirectUri, String sessionId,
                    Instant expiresAt, String nonce) {
    }

    Optional<Account> account(String userId);

    /** What {@link #beginRegistration} found. */
    enum RegistrationStart {
        /** This attempt holds the registration now. */
        STARTED,
        /** A user that is not deleted has a secret here already: nothing written. */
        EXISTS,
        /** Another attempt holds the registration (its lease has not expired): nothing written. */
        IN_PROGRESS
    }

    /**
     * Takes the user's registration for one attempt ({@code attemptId}, until {@code leaseUntil}: attempts never
     * overlap) and records the intent to register it at SnapTrade, before asking SnapTrade. The intent stays from the
     * first attempt whose outcome is unknown until {@code SecretStore.createUser} stores the secret: if SnapTrade registers the
     * user but its answer or our write is lost, a retry knows that the user SnapTrade then has is ours.
     */
    RegistrationStart beginRegistration(String userId, Instant at, String attemptId, Instant leaseUntil);

    /**
     * Ends this attempt. {@code definite}: SnapTrade's answer shows it registered nobody for us (e.g. "exists",
     * refused), so the intent goes too; else (no answer) the intent stays for the next attempt. Nothing when another
     * attempt holds the registration or the user has a secret.
     */
    void endRegistration(String userId, String attemptId, boolean definite);

    /** Keeps a minted link until it expires (DynamoDB's TTL removes it). */
    void recordLink(IssuedLink link);

    /**
     * Uses the link up, recording what the portal said in the same conditional write: true exactly once, for the
     * user and connection it was minted for, before it expires; false for a replay, an unknown nonce, another
     * connection, or after expiry. Changes nothing when false.
     */
    boolean consumeLink(String userId, String connectionId, String nonce, Instant at, PortalReturn portal);

    /**
     * The latest link minted for the connection with these options, unless its state was used at the landing (then
     * empty).
     */
    Optional<LiveLink> liveLink(String userId, String connectionId, String options);

    /** Keeps the latest link minted for its connection and options (replacing the one before) until it expires. */
    void keepLiveLink(String userId, LiveLink link);

    /**
     * Takes one of the user's {@code limit} link mints per {@code window}: a fixed window that opens with the first
     * mint after the previous one closed (one conditional counter item per user). Empty when taken; else, changing
     * nothing, when the window closes (a slot is free again).
     */
    Optional<Instant> takeLinkSlot(String userId, Instant now, java.time.Duration window, int limit);

    /** The link minted with this nonce, if it is still kept. */
    Optional<LinkUse> link(String userId, String nonce);

    /** Records the landing's outcome on a used link ({@code reason} may be null); nothing for an unknown link. */
    void recordLinkOutcome(String userId, String nonce, String outcome, String reason);
}
