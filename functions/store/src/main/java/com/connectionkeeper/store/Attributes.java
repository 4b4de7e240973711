package com.connectionkeeper.store;

/**
 * The table's attribute names and entity kinds, in one place: every adapter spells an item's attributes through
 * these. Items are shared between ports: the user item ({@code sk = USER}) carries the user's state (webhooks), its
 * secret and flag (secrets), its place in the sweep (sweep queue) and its registration (API accounts).
 */
public final class Attributes {
    /** What kind of item this is: one of the {@code *_ENTITY} values below. */
    public static final String ENTITY = "entity";
    public static final String CONNECTION_ENTITY = "CONNECTION";
    public static final String USER_ENTITY = "USER";
    public static final String HISTORY_ENTITY = "HISTORY";
    public static final String LINK_ENTITY = "LINK";
    public static final String LIVE_LINK_ENTITY = "LIVE_LINK";
    public static final String LINK_RATE_ENTITY = "LINK_RATE";

    // ---- on several items ----
    public static final String USER_ID = "userId";
    public static final String CONNECTION_ID = "connectionId";
    /** The newest event applied to a connection or user (string order = timeline order). */
    public static final String WATERMARK = "watermark";
    /** A connection's or user's status. */
    public static final String STATUS = "status";
    public static final String SOURCE = "source";
    /** A connection's type (Observed), or the type a live link was minted with. */
    public static final String TYPE = "type";
    /** When the sweep last verified a connection (Observed) or a user at SnapTrade. */
    public static final String LAST_VERIFIED_AT = "lastVerifiedAt";
    /** DynamoDB's TTL (epoch seconds), or the sweep lease's expiry. */
    public static final String EXPIRES_AT = "expiresAt";

    // ---- connection ----
    public static final String LAST_EVENT_TYPE = "lastEventType";
    public static final String BROKERAGE_ID = "brokerageId";
    /** A connection's brokerage as the census index's sort key ({@link Keys#censusBrokerage}). */
    public static final String CENSUS_BROKERAGE = "censusBrokerage";
    public static final String FIXED_AT = "fixedAt";
    /**
     * When we first wrote the connection (its first event or observation): with {@link #FIXED_AT}, when its current
     * token was issued, for the lifetime history.
     */
    public static final String ADDED_AT = "addedAt";
    public static final String BROKEN_SINCE = "brokenSince";
    public static final String BROKERAGE_SLUG = "brokerageSlug";
    public static final String BROKERAGE_NAME = "brokerageName";
    public static final String VERIFY_REQUESTED_AT = "verifyRequestedAt";

    // ---- user: state ----
    public static final String REGISTERED_AT = "registeredAt";
    public static final String DELETED_AT = "deletedAt";
    public static final String DELETION_WATERMARK = "deletionWatermark";
    public static final String LAST_ATTEMPT_TYPE = "lastAttemptType";
    public static final String LAST_ATTEMPT_AT = "lastAttemptAt";
    public static final String LAST_ATTEMPT_RESULT = "lastAttemptResult";
    public static final String LAST_ATTEMPT_BROKERAGE_ID = "lastAttemptBrokerageId";
    public static final String ATTEMPT_WATERMARK = "attemptWatermark";

    // ---- user: secret ----
    /**
     * The user's SnapTrade secret as sealed by the deployment's {@code SecretSealer} (binary): the only form written.
     */
    public static final String SEALED_SECRET = "sealedSecret";
    /**
     * The secret in plaintext, as releases before sealing stored it: never written any more, sealed on first use and by
     * the one-off migration (README "Upgrading").
     */
    public static final String PLAINTEXT_SECRET = "userSecret";
    /** What SnapTrade said was wrong with the secret (the user is flagged, out of the sweep). */
    public static final String PROBLEM = "problem";
    public static final String FLAG_CHECKS = "flagChecks";

    // ---- user: sweep ----
    public static final String SWEEP_ORDER = "sweepOrder";
    public static final String RETRY_AT = "retryAt";
    public static final String SWEEP_FAILURES = "sweepFailures";
    public static final String LAST_CHECKED_AT = "lastCheckedAt";
    /** When the user is next due for a check, as "<time>#<userId>" (index ByDue): the likely-to-break-first order. */
    public static final String DUE_AT = "dueAt";

    // ---- user: registration ----
    public static final String REGISTERING_SINCE = "registeringSince";
    public static final String REGISTRATION_ATTEMPT = "registrationAttempt";
    public static final String REGISTRATION_LEASE_UNTIL = "registrationLeaseUntil";

    // ---- history ----
    public static final String WEBHOOK_ID = "webhookId";
    public static final String EVENT_TYPE = "eventType";
    public static final String EVENT_TIME = "eventTime";
    public static final String RECEIVED_AT = "receivedAt";
    public static final String LAST_RECEIVED_AT = "lastReceivedAt";
    public static final String RESULT = "result";
    public static final String PAYLOAD = "payload";
    public static final String DELIVERIES = "deliveries";

    // ---- sweep lease and pass ----
    public static final String OWNER = "owner";
    // reminders, on a broken connection: the last step sent, for which break, when
    public static final String REMINDER_STEP = "reminderStep";
    public static final String REMINDER_FOR = "reminderFor";
    public static final String REMINDED_AT = "remindedAt";
    /** On a broken connection: when its next reminder step may be due (the ByReminderDue index's sort key). */
    public static final String REMINDER_DUE_AT = "reminderDueAt";
    /** On a connection: when the last reconnect link for it was issued (a reminder says whether one was since). */
    public static final String LAST_LINK_ISSUED_AT = "lastLinkIssuedAt";

    public static final String STARTED_AT = "startedAt";
    public static final String BROKEN_AFTER = "brokenAfter";
    public static final String FLAGGED_AFTER = "flaggedAfter";

    // ---- reconnect link ----
    public static final String ISSUED_AT = "issuedAt";
    public static final String VALID_UNTIL = "validUntil";
    public static final String CONSUMED_AT = "consumedAt";
    public static final String PORTAL_STATUS = "portalStatus";
    public static final String PORTAL_OTHER_CONNECTION = "portalOtherConnection";
    public static final String OUTCOME = "outcome";
    public static final String OUTCOME_REASON = "outcomeReason";

    // ---- live link ----
    public static final String OPTIONS = "options";
    public static final String REDIRECT_URI = "redirectUri";
    public static final String SESSION_ID = "sessionId";
    public static final String LINK_EXPIRES_AT = "linkExpiresAt";
    public static final String NONCE = "nonce";

    // ---- incident awareness: per brokerage, breaks, members, the known count; incidents in one partition ----
    public static final String BREAK_ENTITY = "BROKERAGE_BREAK";
    public static final String MEMBER_ENTITY = "BROKERAGE_MEMBER";
    public static final String KNOWN_ENTITY = "BROKERAGE_KNOWN";
    public static final String INCIDENT_ENTITY = "INCIDENT";
    /** On a break record: when its connection was fixed or deleted. */
    public static final String RESOLVED_AT = "resolvedAt";
    public static final String KNOWN_CONNECTIONS = "knownConnections";
    public static final String COUNTED_AT = "countedAt";
    public static final String SINCE = "since";
    public static final String UNTIL = "until";
    public static final String WINDOW_SECONDS = "windowSeconds";
    public static final String OPENED_AT = "openedAt";
    public static final String BREAKS = "breaks";
    public static final String ENDED_AT = "endedAt";
    public static final String END_REASON = "endReason";
    public static final String TOTAL = "total";
    public static final String STILL_BROKEN = "stillBroken";

    // ---- token lifetimes per brokerage: one item each, one numeric attribute per histogram bucket ----
    public static final String LIFETIMES_ENTITY = "LIFETIMES";
    /** A bucket's count is {@code b<bucket>}. */
    public static final String BUCKET_PREFIX = "b";

    // ---- the shared SnapTrade budget: one counter per client id and sub-window ----
    public static final String REQUEST_WINDOW_ENTITY = "REQUEST_WINDOW";
    /** Slots taken in the sub-window from the shared pool, and from the pool kept for interactive calls. */
    public static final String TAKEN = "taken";
    public static final String RESERVED_TAKEN = "reservedTaken";
    /** Present when the sub-window is closed (a 429, or SnapTrade said almost nothing remains): why. */
    public static final String CLOSED = "closed";

    // ---- lifecycle events remembered as published (after a failed record of their batch) ----
    public static final String PUBLISHED_ENTITY = "PUBLISHED_EVENT";
    public static final String EVENT_ID = "eventId";

    // ---- link rate ----
    public static final String WINDOW_START = "windowStart";
    public static final String MINTED = "minted";

    private Attributes() {
    }
}
