package com.connectionkeeper.api;

import com.connectionkeeper.accounts.AccountStore.IssuedLink;
import com.connectionkeeper.accounts.AccountStore.LinkUse;
import com.connectionkeeper.accounts.AccountStore.LiveLink;
import com.connectionkeeper.accounts.AccountStore.PortalReturn;
import com.connectionkeeper.accounts.AccountStore;
import com.connectionkeeper.accounts.ReturnState;
import com.connectionkeeper.accounts.ReturnUrls;
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
import com.fasterxml.jackson.databind.node.ObjectNode;
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

/**
 * Reconnect links and the return from SnapTrade's Connection Portal. A link puts the user into reconnect mode for
 * that one connection with its own access type, and carries a signed, one-use {@code state} to our landing; there
 * the connection is checked with SnapTrade at once, so the fix is known before SnapTrade's webhook arrives.
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

    /** POST /users/{userId}/connections/{connectionId}/reconnect-link. */
    ObjectNode issue(String userId, String connectionId, LinkOptions options, String requestId, String host) {
        ConnectionState connection = store.connection(userId, connectionId).orElseThrow(
                () -> ApiException.notFound("user '" + userId + "' has no connection '" + connectionId + "'"));
        if (connection.status() == ConnectionStatus.DELETED) {
            throw new ApiException(410, "this connection was deleted; create a new connection");
        }
        if (connection.status() != ConnectionStatus.BROKEN && !options.force()) {
            throw ApiException.conflict("connection '" + connectionId + "' is not broken (status "
                    + connection.status() + "); pass \"force\": true for a reconnect link anyway");
        }
        String returnUrl = options.redirectUrl().orElse("");
        if (!returnUrl.isEmpty() && !settings.allowList().allows(returnUrl)) {
            throw ApiException.badRequest("redirectUrl is not on the allow-list of return URLs (ReturnUrlAllowList)");
        }
        UserCredentials credentials = credentials(userId);
        Instant now = clock.instant();
        String fingerprint = ApiResponse.MAPPER.createObjectNode().put("redirectUrl", returnUrl)
                .put("immediateRedirect", options.immediateRedirect().orElse(null))
                .put("darkMode", options.darkMode().orElse(null)).toString();
        ConnectionType known = connection.observed() == null ? null : connection.observed().type();
        Optional<LiveLink> live = accounts.liveLink(userId, connectionId, fingerprint);
        if (live.isPresent() && live.get().options().equals(fingerprint)
                && (known == null || known.wire().equals(live.get().type()))
                && !live.get().expiresAt().minus(REUSE_MARGIN).isBefore(now)) {
            JsonLog.info("reconnect_link_reused", "requestId", requestId, "userId", userId, "connectionId",
                    connectionId);
            return linkAnswer(live.get().redirectUri(), live.get().sessionId(), live.get().expiresAt(), connectionId,
                    live.get().type(), live.get().nonce());
        }
        Optional<Instant> limitedUntil = accounts.takeLinkSlot(userId, now, settings.linkWindow(),
                settings.linksPerWindow());
        if (limitedUntil.isPresent()) {
            long window = settings.linkWindow().getSeconds();
            long retryAfter = Math.max(1, (Duration.between(now, limitedUntil.get()).toMillis() + 999) / 1000);
            JsonLog.warn("reconnect_link_limited", "requestId", requestId, "userId", userId, "connectionId",
                    connectionId, "retryAfter", retryAfter);
            throw new ApiException(429, "user '" + userId + "' has asked for " + settings.linksPerWindow()
                    + " new reconnect links in the last window (RECONNECT_LINKS_PER_WINDOW per "
                    + window + " s); retry after the Retry-After seconds", Map.of("retry-after",
                    Long.toString(retryAfter)));
        }
        ConnectionType type = typeOf(connection, credentials);
        String nonce = ReturnState.randomNonce();
        Instant stateExpires = now.plus(settings.stateTtl());
        String state = settings.stateCodec().sign(new ReturnState(userId, connectionId, returnUrl, nonce,
                stateExpires));
        String landing = settings.landingUrl(host) + "?state=" + URLEncoder.encode(state, StandardCharsets.UTF_8);
        LoginLink link = withCredentials(credentials, () -> snaptrade.reconnectLink(credentials, new ReconnectRequest(
                connectionId, type, landing, options.immediateRedirect().orElse(null),
                options.darkMode().orElse(null))));
        accounts.recordLink(new IssuedLink(userId, connectionId, nonce, now, stateExpires));
        Instant linkExpires = now.plus(LINK_VALIDITY);
        accounts.keepLiveLink(userId, new LiveLink(connectionId, fingerprint, type.wire(), link.redirectUri(),
                link.sessionId(), linkExpires, nonce));
        store.recordHistory(new HistoryEntry(userId, connectionId, requestId, "RECONNECT_LINK_ISSUED", now, now,
                IngestResult.IGNORED, "{\"type\":\"" + type.wire() + "\",\"force\":" + options.force() + "}",
                Source.API));
        return linkAnswer(link.redirectUri(), link.sessionId(), linkExpires, connectionId, type.wire(), nonce);
    }

    /** {@code linkId}: the link's id, which the landing's signed redirect to the app carries back as {@code link}. */
    private static ObjectNode linkAnswer(String redirectUri, String sessionId, Instant expiresAt,
                                         String connectionId, String type, String linkId) {
        return ApiResponse.MAPPER.createObjectNode()
                .put("redirectURI", redirectUri)
                .put("sessionId", sessionId)
                .put("expiresAt", expiresAt.toString())
                .put("connectionId", connectionId)
                .put("type", type)
                .put("linkId", linkId);
    }

    /** GET /reconnect/return: the browser back from the portal. */
    ApiResponse land(ApiRequest original) {
        Optional<ApiRequest> readable = portalQueryAfterState(original);
        if (readable.isEmpty()) {
            JsonLog.warn("reconnect_return_refused", "requestId", original.requestId(), "reason", "MALFORMED_QUERY");
            return LandingPage.refused("The address of this page is malformed.");
        }
        ApiRequest request = readable.get();
        Instant now = clock.instant();
        StateCheck verified = settings.stateCodec().verify(request.queryParam("state"), now);
        if (!(verified instanceof StateCheck.Valid valid)) {
            JsonLog.warn("reconnect_return_refused", "requestId", request.requestId(), "reason",
                    ((StateCheck.Invalid) verified).reason().name());
            return LandingPage.refused("This reconnect link is not valid or has expired.");
        }
        ReturnState state = valid.state();
        if (state.hasReturnUrl() && !settings.allowList().allows(state.returnUrl())) {
            return LandingPage.refused("This reconnect link's return address is no longer allowed.");
        }
        String portal = Optional.ofNullable(request.queryParam("status")).map(s -> s.toUpperCase(Locale.ROOT))
                .filter(PORTAL_STATUSES::contains).orElse("ERROR");
        String returnedConnection = request.queryParam("connection_id");
        PortalReturn said = new PortalReturn(portal, "SUCCESS".equals(portal) && returnedConnection != null
                && !returnedConnection.equals(state.connectionId()));
        // What the portal said is stored in the very write that uses the link up: a replay (even one racing this
        // request) answers from it, never from its own query, which the user may have edited.
        if (!accounts.consumeLink(state.userId(), state.connectionId(), state.nonce(), now, said)) {
            return replay(state, request.requestId());
        }
        // The link is used up: from here on nothing may end in an error asking for a retry (it would be refused as
        // used). Whatever fails, the browser goes where the app asked, with the best outcome known.
        Outcome outcome;
        try {
            outcome = said.otherConnection() ? new Outcome("ERROR", "DIFFERENT_CONNECTION")
                    : "SUCCESS".equals(portal) ? confirm(state, now)
                    : new Outcome(portal, null);
        } catch (RuntimeException e) {
            incomplete(state, request.requestId(), "confirm", e);
            outcome = new Outcome(portal, "NOT_VERIFIED");
        }
        try {
            accounts.recordLinkOutcome(state.userId(), state.nonce(), outcome.status(), outcome.reason());
        } catch (RuntimeException e) {
            incomplete(state, request.requestId(), "record_outcome", e);
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
                    ApiResponse.MAPPER.valueToTree(recorded).toString(), Source.PORTAL));
        } catch (RuntimeException e) {
            incomplete(state, request.requestId(), "record_return", e);
        }
        JsonLog.info("reconnect_return", "requestId", request.requestId(), "userId", state.userId(),
                "connectionId", state.connectionId(), "portalStatus", portal, "outcome", outcome.status(),
                "reason", outcome.reason());
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
    private ApiResponse replay(ReturnState state, String requestId) {
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
            return LandingPage.refused("This reconnect link is not known here.");
        }
        if (link.get().consumedAt() == null) {
            JsonLog.warn("reconnect_return_refused", "requestId", requestId, "userId", state.userId(),
                    "connectionId", state.connectionId(), "reason", "EXPIRED");
            return LandingPage.refused("This reconnect link is not valid or has expired.");
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
     * The browser's way on: to the app's return URL with the outcome established at {@code at}, signed
     * ({@link ReturnOutcomeSigner}), or the outcome page when the app gave no URL.
     */
    private ApiResponse answer(ReturnState state, Outcome outcome, Instant at) {
        if (!state.hasReturnUrl()) {
            return LandingPage.outcome(outcome.status(), outcome.reason());
        }
        Map<String, String> params = new LinkedHashMap<>();
        params.put("status", outcome.status());
        params.put("connectionId", state.connectionId());
        if (outcome.reason() != null) {
            params.put("reason", outcome.reason());
        }
        params.put("userId", state.userId());
        params.put("link", state.nonce());
        params.put("at", Long.toString(at.getEpochSecond()));
        params.put("signature", settings.outcomeSigner().sign(outcome.status(), state.connectionId(),
                outcome.reason(), state.userId(), state.nonce(), at.getEpochSecond()));
        return ApiResponse.redirect(ReturnUrls.withOutcome(state.returnUrl(), params));
    }

    /**
     * Our landing URL already carries {@code ?state=…}; SnapTrade is documented to append its own parameters, and
     * should it append them with a second {@code ?} they arrive inside {@code state}
     * ({@code state=TOKEN?status=SUCCESS}): split them off rather than refuse every return. A token never holds '?'.
     * Empty when those parameters are not decodable (a stray '%', invalid UTF-8): anonymous input, refused with 400.
     */
    static Optional<ApiRequest> portalQueryAfterState(ApiRequest request) {
        String state = request.queryParam("state");
        int q = state == null ? -1 : state.indexOf('?');
        if (q < 0) {
            return Optional.of(request);
        }
        Map<String, String> query = new LinkedHashMap<>(request.query());
        query.put("state", state.substring(0, q));
        for (String pair : state.substring(q + 1).split("&")) {
            int eq = pair.indexOf('=');
            Optional<String> name = PercentDecoding.queryComponent(eq < 0 ? pair : pair.substring(0, eq));
            Optional<String> value = eq < 0 ? Optional.of("") : PercentDecoding.queryComponent(pair.substring(eq + 1));
            if (name.isEmpty() || value.isEmpty()) {
                return Optional.empty();
            }
            if (!name.get().isEmpty()) {
                query.putIfAbsent(name.get(), value.get());
            }
        }
        return Optional.of(new ApiRequest(request.method(), request.path(), query, request.body(), request.caller(),
                request.requestId(), request.host()));
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

    private UserCredentials credentials(String userId) {
        return secrets.credentials(userId).orElseThrow(() -> {
            boolean rejected = accounts.account(userId).map(a -> a.problem() != null).orElse(false);
            return rejected
                    ? new ApiException(422, "SnapTrade rejected the stored secret of user '" + userId
                            + "'; rotate it with POST /users/{userId}/secret/reset, or import the current one with "
                            + "PUT /users/{userId}/secret")
                    : ApiException.conflict("no secret stored for user '" + userId
                            + "'; import it with PUT /users/{userId}/secret");
        });
    }

    /** The connection's own access type: what SnapTrade last said, else ask SnapTrade now. */
    private ConnectionType typeOf(ConnectionState connection, UserCredentials credentials) {
        if (connection.observed() != null && connection.observed().type() != null) {
            return connection.observed().type();
        }
        try {
            ConnectionType said = withCredentials(credentials,
                    () -> snaptrade.connection(credentials, connection.connectionId())).type();
            if (said == null) {
                JsonLog.warn("reconnect_type_unknown", "userId", credentials.userId(), "connectionId",
                        connection.connectionId(), "assumed", ConnectionType.READ.wire());
                return ConnectionType.READ;
            }
            return said;
        } catch (SnapTradeException e) {
            if (e.kind() == SnapTradeException.Kind.NOT_FOUND) {
                throw ApiException.notFound("SnapTrade has no connection '" + connection.connectionId() + "'");
            }
            throw e;
        }
    }

    /** Runs a SnapTrade call with the user's secret; a rejected secret flags the user out of the sweep. */
    private <T> T withCredentials(UserCredentials credentials, java.util.function.Supplier<T> call) {
        try {
            return call.get();
        } catch (SnapTradeException e) {
            if (e.kind() == SnapTradeException.Kind.CREDENTIALS_REJECTED) {
                secrets.flagUser(credentials.userId(), "CREDENTIALS_REJECTED", clock.instant(),
                        credentials.userSecret());
            }
            throw e;
        }
    }
}
