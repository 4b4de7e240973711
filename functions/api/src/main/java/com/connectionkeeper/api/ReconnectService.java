package com.connectionkeeper.api;

import com.connectionkeeper.accounts.AccountStore.IssuedLink;
import com.connectionkeeper.accounts.AccountStore.LinkUse;
import com.connectionkeeper.accounts.AccountStore.LiveLink;
import com.connectionkeeper.accounts.AccountStore.PortalReturn;
import com.connectionkeeper.accounts.AccountStore;
import com.connectionkeeper.accounts.ReturnState;
import com.connectionkeeper.api.token.StateCheck;
import com.connectionkeeper.core.ingest.ConnectionStore;
import com.connectionkeeper.core.log.JsonLog;
import com.connectionkeeper.core.model.ConnectionState;
import com.connectionkeeper.core.model.ConnectionStatus;
import com.connectionkeeper.core.model.HistoryEntry;
import com.connectionkeeper.core.model.IngestResult;
import com.connectionkeeper.core.model.Source;
import com.connectionkeeper.core.reconcile.Observations;
import com.connectionkeeper.core.reconcile.Reconciler;
import com.connectionkeeper.core.secrets.SecretStore;
import com.connectionkeeper.core.snaptrade.BrokerageConnection;
import com.connectionkeeper.core.snaptrade.ConnectionType;
import com.connectionkeeper.core.snaptrade.LoginLink;
import com.connectionkeeper.core.snaptrade.ReconnectRequest;
import com.connectionkeeper.core.snaptrade.SnapTradeException;
import com.connectionkeeper.core.snaptrade.SnapTradeGateway;
import com.connectionkeeper.core.snaptrade.UserCredentials;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Reconnect links and the return from SnapTrade's Connection Portal. A link puts the user into reconnect mode for
 * that one connection with its own access type, and carries a signed, one-use {@code state} to our landing; there
 * the connection is checked with SnapTrade at once, so the fix is known before SnapTrade's webhook arrives. Answers in
 * results ({@link Link}, {@link Landing}) and {@link ServiceException}s: {@link Api} makes them HTTP.
 */
final class ReconnectService {
    /** SnapTrade's login links are valid about five minutes. */
    static final Duration LINK_VALIDITY = Duration.ofMinutes(5);
    /**
     * A stored link is returned again only while at least this much of its life is left: time for the app to hand it
     * to the user and for the user to open the portal.
     */
    static final Duration REUSE_MARGIN = Duration.ofSeconds(60);
    static final Set<String> PORTAL_STATUSES = Set.of("SUCCESS", "ERROR", "ABANDONED");

    private final ConnectionStore store;
    private final SecretStore secrets;
    private final AccountStore accounts;
    private final SnapTradeGateway snaptrade;
    private final ApiSettings settings;
    private final Reconciler reconciler;
    private final Clock clock;

    ReconnectService(ConnectionStore store, SecretStore secrets, AccountStore accounts, SnapTradeGateway snaptrade,
                     ApiSettings settings, Clock clock) {
        this.store = store;
        this.secrets = secrets;
        this.accounts = accounts;
        this.snaptrade = snaptrade;
        this.settings = settings;
        this.reconciler = new Reconciler(store, clock);
        this.clock = clock;
    }

    /** What the app may ask of a link. */
    record LinkOptions(Optional<String> redirectUrl, Optional<Boolean> immediateRedirect,
                       Optional<Boolean> darkMode, boolean force) {
    }

    /**
     * A reconnect link the app hands to the user; {@code linkId}: the link's id, which the landing's signed redirect
     * to the app carries back as {@code link}.
     */
    record Link(String redirectUri, String sessionId, Instant expiresAt, String connectionId, String type,
                String linkId) {
    }

    /** POST /users/{userId}/connections/{connectionId}/reconnect-link. */
    Link issue(String userId, String connectionId, LinkOptions options, String requestId, String host) {
        ConnectionState connection = store.connection(userId, connectionId).orElseThrow(
                () -> ServiceException.notFound("user '" + userId + "' has no connection '" + connectionId + "'"));
        if (connection.status() == ConnectionStatus.DELETED) {
            throw ServiceException.gone("this connection was deleted; create a new connection");
        }
        if (connection.status() != ConnectionStatus.BROKEN && !options.force()) {
            throw ServiceException.conflict("connection '" + connectionId + "' is not broken (status "
                    + connection.status() + "); pass \"force\": true for a reconnect link anyway");
        }
        String returnUrl = options.redirectUrl().orElse("");
        if (!returnUrl.isEmpty() && !settings.allowList().allows(returnUrl)) {
            throw ServiceException.invalidInput(
                    "redirectUrl is not on the allow-list of return URLs (ReturnUrlAllowList)");
        }
        SecretStore.HeldSecret held = usableSecret(userId);
        UserCredentials credentials = held.credentials();
        Instant now = clock.instant();
        String fingerprint = Json.MAPPER.createObjectNode().put("redirectUrl", returnUrl)
                .put("immediateRedirect", options.immediateRedirect().orElse(null))
                .put("darkMode", options.darkMode().orElse(null)).toString();
        ConnectionType known = connection.observed() == null ? null : connection.observed().type();
        Optional<LiveLink> live = accounts.liveLink(userId, connectionId, fingerprint);
        if (live.isPresent() && live.get().options().equals(fingerprint)
                && (known == null || known.wire().equals(live.get().type()))
                && !live.get().expiresAt().minus(REUSE_MARGIN).isBefore(now)) {
            JsonLog.metrics("INFO", "reconnect_link_reused", settings.metrics().links(), "requestId", requestId,
                    "userId", userId, "connectionId", connectionId, "result", "reused", ApiMetrics.LINKS, 1);
            return new Link(live.get().redirectUri(), live.get().sessionId(), live.get().expiresAt(), connectionId,
                    live.get().type(), live.get().nonce());
        }
        Optional<Instant> limitedUntil = accounts.takeLinkSlot(userId, now, settings.linkWindow(),
                settings.linksPerWindow());
        if (limitedUntil.isPresent()) {
            long window = settings.linkWindow().getSeconds();
            long retryAfter = Math.max(1, (Duration.between(now, limitedUntil.get()).toMillis() + 999) / 1000);
            JsonLog.metrics("WARN", "reconnect_link_limited", settings.metrics().links(), "requestId", requestId,
                    "userId", userId, "connectionId", connectionId, "retryAfter", retryAfter, "result", "limited",
                    ApiMetrics.LINKS, 1);
            throw ServiceException.rateLimited("user '" + userId + "' has asked for " + settings.linksPerWindow()
                    + " new reconnect links in the last window (RECONNECT_LINKS_PER_WINDOW per "
                    + window + " s); retry after the Retry-After seconds", Duration.ofSeconds(retryAfter));
        }
        ConnectionType type = typeOf(connection, held);
        String nonce = ReturnState.randomNonce();
        Instant stateExpires = now.plus(settings.stateTtl());
        String state = settings.keys().stateCodec().sign(new ReturnState(userId, connectionId, returnUrl, nonce,
                stateExpires));
        String landing = settings.landingUrl(host) + "?state=" + URLEncoder.encode(state, StandardCharsets.UTF_8);
        LoginLink link = withCredentials(held, () -> snaptrade.reconnectLink(credentials, new ReconnectRequest(
                connectionId, type, landing, options.immediateRedirect().orElse(null),
                options.darkMode().orElse(null))));
        accounts.recordLink(new IssuedLink(userId, connectionId, nonce, now, stateExpires));
        Instant linkExpires = now.plus(LINK_VALIDITY);
        accounts.keepLiveLink(userId, new LiveLink(connectionId, fingerprint, type.wire(), link.redirectUri(),
                link.sessionId(), linkExpires, nonce));
        store.recordHistory(new HistoryEntry(userId, connectionId, requestId, "RECONNECT_LINK_ISSUED", now, now,
                IngestResult.IGNORED, "{\"type\":\"" + type.wire() + "\",\"force\":" + options.force() + "}",
                Source.API));
        JsonLog.metrics("INFO", "reconnect_link_issued", settings.metrics().links(), "requestId", requestId,
                "userId", userId, "connectionId", connectionId, "type", type.wire(), "result", "issued",
                ApiMetrics.LINKS, 1);
        return new Link(link.redirectUri(), link.sessionId(), linkExpires, connectionId, type.wire(), nonce);
    }

    /**
     * What the portal brought the browser back to our landing with: our signed {@code state}, the portal's
     * {@code status} and {@code connection_id} (null when absent).
     */
    record PortalQuery(String state, String status, String connectionId) {
    }

    /** What the return landing established for the browser. */
    sealed interface Landing {
        /** The link cannot be used: nothing was done. */
        record Refused(Refusal why) implements Landing {
        }

        /** The outcome, for the user to read: the app gave no return URL. */
        record Shown(Outcome outcome) implements Landing {
        }

        /**
         * The outcome, for the app at its return URL, established at {@code at} (epoch seconds) for the link
         * {@code linkId} and signed ({@link com.connectionkeeper.api.token.ReturnOutcomeSigner}).
         */
        record ToApp(String returnUrl, Outcome outcome, String connectionId, String userId, String linkId, long at,
                     String signature) implements Landing {
        }
    }

    /** Why a return is refused. */
    enum Refusal {
        /** The state is not ours, is damaged or has expired. */
        INVALID_STATE,
        /** The app's return URL in the state is no longer on the allow-list. */
        RETURN_URL_NOT_ALLOWED,
        /** A genuine state whose link is not kept (unknown nonce, another connection). */
        UNKNOWN_LINK,
        /** A genuine state whose link was never used and is past its validity. */
        EXPIRED
    }

    /** GET /reconnect/return: the browser back from the portal. */
    Landing land(PortalQuery query, String requestId) {
        Instant now = clock.instant();
        StateCheck verified = settings.keys().verify(query.state(), now);
        if (!(verified instanceof StateCheck.Valid valid)) {
            JsonLog.warn("reconnect_return_refused", "requestId", requestId, "reason",
                    ((StateCheck.Invalid) verified).reason().name());
            return new Landing.Refused(Refusal.INVALID_STATE);
        }
        ReturnState state = valid.state();
        if (state.hasReturnUrl() && !settings.allowList().allows(state.returnUrl())) {
            return new Landing.Refused(Refusal.RETURN_URL_NOT_ALLOWED);
        }
        String portal = Optional.ofNullable(query.status()).map(s -> s.toUpperCase(Locale.ROOT))
                .filter(PORTAL_STATUSES::contains).orElse("ERROR");
        String returnedConnection = query.connectionId();
        PortalReturn said = new PortalReturn(portal, "SUCCESS".equals(portal) && returnedConnection != null
                && !returnedConnection.equals(state.connectionId()));
        // What the portal said is stored in the very write that uses the link up: a replay (even one racing this
        // request) answers from it, never from its own query, which the user may have edited.
        if (!accounts.consumeLink(state.userId(), state.connectionId(), state.nonce(), now, said)) {
            return replay(state, requestId);
        }
        // The link is used up: from here on nothing may end in an error asking for a retry (it would be refused as
        // used). Whatever fails, the browser goes where the app asked, with the best outcome known.
        Outcome outcome;
        try {
            outcome = said.otherConnection() ? new Outcome("ERROR", "DIFFERENT_CONNECTION")
                    : "SUCCESS".equals(portal) ? confirm(state, now)
                    : new Outcome(portal, null);
        } catch (RuntimeException e) {
            incomplete(state, requestId, "confirm", e);
            outcome = new Outcome(portal, "NOT_VERIFIED");
        }
        try {
            accounts.recordLinkOutcome(state.userId(), state.nonce(), outcome.status(), outcome.reason());
        } catch (RuntimeException e) {
            incomplete(state, requestId, "record_outcome", e);
        }
        Map<String, String> recorded = new LinkedHashMap<>();
        recorded.put("portalStatus", portal);
        recorded.put("outcome", outcome.status());
        if (outcome.reason() != null) {
            recorded.put("reason", outcome.reason());
        }
        try {
            store.recordHistory(new HistoryEntry(state.userId(), state.connectionId(), "return-" + state.nonce(),
                    "RECONNECT_RETURNED", now, now, IngestResult.IGNORED,
                    Json.MAPPER.valueToTree(recorded).toString(), Source.PORTAL));
        } catch (RuntimeException e) {
            incomplete(state, requestId, "record_return", e);
        }
        JsonLog.metrics("INFO", "reconnect_return", settings.metrics().landings(), "requestId", requestId,
                "userId", state.userId(), "connectionId", state.connectionId(), "portalStatus", portal,
                "outcome", outcome.status() == null ? "unknown" : outcome.status(), "reason", outcome.reason(),
                ApiMetrics.LANDINGS, 1);
        return answer(state, outcome, now);
    }

    /**
     * A genuine, unexpired state whose link cannot be used now: a reload (or the browser's back button) of a used
     * link gets the answer the first return got — the recorded outcome, or, when none is recorded (yet: the first
     * return may still be under way), what the portal said as stored when the link was used up, with
     * {@code NOT_VERIFIED} — without asking SnapTrade and without a write. Nothing of the replaying request's own
     * query is used: anyone holding the link can edit it. A link not kept (unknown nonce, another connection) or past
     * its validity is refused.
     */
    private Landing replay(ReturnState state, String requestId) {
        Optional<LinkUse> link;
        try {
            link = accounts.link(state.userId(), state.nonce());
        } catch (RuntimeException e) {
            // consumeLink refused a state we signed: the link was used (or just expired). Send the browser on, with
            // nothing known: no success claimed.
            incomplete(state, requestId, "read_link", e);
            return answer(state, UNKNOWN, clock.instant());
        }
        if (link.isEmpty() || !link.get().connectionId().equals(state.connectionId())) {
            JsonLog.warn("reconnect_return_refused", "requestId", requestId, "userId", state.userId(),
                    "connectionId", state.connectionId(), "reason", "UNKNOWN_LINK");
            return new Landing.Refused(Refusal.UNKNOWN_LINK);
        }
        if (link.get().consumedAt() == null) {
            JsonLog.warn("reconnect_return_refused", "requestId", requestId, "userId", state.userId(),
                    "connectionId", state.connectionId(), "reason", "EXPIRED");
            return new Landing.Refused(Refusal.EXPIRED);
        }
        Outcome outcome = link.get().outcome() != null ? new Outcome(link.get().outcome(), link.get().outcomeReason())
                : unrecorded(link.get().portal());
        JsonLog.info("reconnect_return_replayed", "requestId", requestId, "userId", state.userId(),
                "connectionId", state.connectionId(), "outcome", outcome.status(), "reason", outcome.reason());
        return answer(state, outcome, link.get().consumedAt()); // signed as of the first return: the same URL
    }

    /** A step after the link was used up failed: logged (an operator's problem, the browser goes on). */
    private static void incomplete(ReturnState state, String requestId, String step, RuntimeException e) {
        JsonLog.error("reconnect_return_incomplete", "requestId", requestId, "userId", state.userId(),
                "connectionId", state.connectionId(), "step", step, "error", e.getClass().getName());
    }

    /**
     * The browser's way on: to the app's return URL with the outcome established at {@code at}, signed, or the
     * outcome page when the app gave no URL.
     */
    private Landing answer(ReturnState state, Outcome outcome, Instant at) {
        if (!state.hasReturnUrl()) {
            return new Landing.Shown(outcome);
        }
        long epoch = at.getEpochSecond();
        return new Landing.ToApp(state.returnUrl(), outcome, state.connectionId(), state.userId(), state.nonce(),
                epoch, settings.keys().outcomeSigner().sign(outcome.status(), state.connectionId(), outcome.reason(),
                        state.userId(), state.nonce(), epoch));
    }

    /** The landing's answer to the app: SUCCESS, ERROR or ABANDONED, and why when it is not what the portal said. */
    record Outcome(String status, String reason) {
    }

    /** Nothing is known of the link's use (it cannot be read, or an earlier release used it up): no success claimed. */
    static final Outcome UNKNOWN = new Outcome("ERROR", "NOT_VERIFIED");

    /**
     * A used link without a recorded outcome: what the portal said, as stored when the link was used up, not
     * verified — but a SUCCESS for another connection is the first return's ERROR, DIFFERENT_CONNECTION (known
     * without SnapTrade).
     */
    static Outcome unrecorded(PortalReturn portal) {
        if (portal == null) {
            return UNKNOWN;
        }
        return portal.otherConnection() ? new Outcome("ERROR", "DIFFERENT_CONNECTION")
                : new Outcome(portal.status(), "NOT_VERIFIED");
    }

    /** The portal said SUCCESS: ask SnapTrade and record what it says (source {@code portal}). */
    private Outcome confirm(ReturnState state, Instant now) {
        Optional<UserCredentials> credentials = secrets.credentials(state.userId());
        if (credentials.isEmpty()) {
            return new Outcome("SUCCESS", "NOT_VERIFIED");
        }
        BrokerageConnection detail;
        try {
            detail = snaptrade.connection(credentials.get(), state.connectionId());
        } catch (SnapTradeException e) {
            JsonLog.warn("reconnect_return_unverified", "userId", state.userId(), "connectionId",
                    state.connectionId(), "kind", e.kind().name());
            return new Outcome("SUCCESS", "NOT_VERIFIED");
        }
        try {
            ConnectionStatus before = store.connection(state.userId(), state.connectionId())
                    .map(ConnectionState::status).orElse(null);
            reconciler.apply(state.userId(), Observations.observeOne(before, detail, now,
                    "portal-" + state.nonce(), Source.PORTAL), "portal-" + state.nonce(), now);
        } catch (RuntimeException e) {
            // SnapTrade has answered: its word is the outcome; the webhook or the sweep will write it here
            incomplete(state, null, "record_connection", e);
        }
        return detail.disabled() ? new Outcome("ERROR", "STILL_BROKEN") : new Outcome("SUCCESS", null);
    }

    /** The user's secret, unless SnapTrade rejected it (then 422) or there is none (409). */
    private SecretStore.HeldSecret usableSecret(String userId) {
        return secrets.heldSecret(userId).filter(h -> h.problem() == null).orElseThrow(() -> {
            boolean rejected = accounts.account(userId).map(a -> a.problem() != null).orElse(false);
            return rejected
                    ? ServiceException.refusedBySnapTrade("SnapTrade rejected the stored secret of user '" + userId
                            + "'; rotate it with POST /users/{userId}/secret/reset, or import the current one with "
                            + "PUT /users/{userId}/secret")
                    : ServiceException.conflict("no secret stored for user '" + userId
                            + "'; import it with PUT /users/{userId}/secret");
        });
    }

    /** The connection's own access type: what SnapTrade last said, else ask SnapTrade now. */
    private ConnectionType typeOf(ConnectionState connection, SecretStore.HeldSecret held) {
        UserCredentials credentials = held.credentials();
        if (connection.observed() != null && connection.observed().type() != null) {
            return connection.observed().type();
        }
        try {
            ConnectionType said = withCredentials(held,
                    () -> snaptrade.connection(credentials, connection.connectionId())).type();
            if (said == null) {
                JsonLog.warn("reconnect_type_unknown", "userId", credentials.userId(), "connectionId",
                        connection.connectionId(), "assumed", ConnectionType.READ.wire());
                return ConnectionType.READ;
            }
            return said;
        } catch (SnapTradeException e) {
            if (e.kind() == SnapTradeException.Kind.NOT_FOUND) {
                throw ServiceException.notFound("SnapTrade has no connection '" + connection.connectionId() + "'");
            }
            throw e;
        }
    }

    /** Runs a SnapTrade call with the user's secret; a rejected secret flags the user out of the sweep. */
    private <T> T withCredentials(SecretStore.HeldSecret held, Supplier<T> call) {
        try {
            return call.get();
        } catch (SnapTradeException e) {
            if (e.kind() == SnapTradeException.Kind.CREDENTIALS_REJECTED) {
                secrets.flagUser(held.credentials().userId(), "CREDENTIALS_REJECTED", clock.instant(),
                        held.version());
            }
            throw e;
        }
    }
}
