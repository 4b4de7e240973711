package com.connectionkeeper.simulator;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * Connection Portal links and what completing one does: a reconnect repairs that same connection (CONNECTION_FIXED),
 * a normal session adds a connection (CONNECTION_ADDED). Each link works once, until it expires.
 */
final class PortalSessions {
    /** The user's choice on the portal page. */
    enum Outcome {
        SUCCESS,
        /** Reconnect mode only: the user logs into another brokerage account than the connection's. */
        DIFFERENT_ACCOUNT,
        ERROR,
        ABANDONED
    }

    /** What the portal form sent. */
    record Choice(Outcome outcome, String brokerage, String account, String statusCode, String errorCode) {
    }

    static final String DEFAULT_BROKER = "ALPACA";
    static final String MISMATCH_ERROR_CODE = "RECONNECT_ACCOUNT_MISMATCH";

    private final SimulatorConfig config;
    private final SimulatorState state;
    private final WebhookSender webhooks;
    private final Supplier<String> origin;
    private final Map<String, PortalSession> sessions = new HashMap<>();

    PortalSessions(SimulatorConfig config, SimulatorState state, WebhookSender webhooks, Supplier<String> origin) {
        this.config = config;
        this.state = state;
        this.webhooks = webhooks;
        this.origin = origin;
    }

    synchronized PortalSession open(String userId, String reconnect, String connectionType, String broker,
                                    String customRedirect) {
        PortalSession session = new PortalSession(UUID.randomUUID().toString(), userId, reconnect, connectionType,
                broker, customRedirect, config.clock().instant().plus(config.portalSessionTtl()));
        sessions.put(session.id(), session);
        return session;
    }

    /** The portal URL of a session (what the login answers as {@code redirectURI}). */
    String url(PortalSession session) {
        return origin.get() + "/portal/" + session.id() + "?clientId=" + encode(config.clientId())
                + "&connectionPortalVersion=v4&sessionId=" + session.id();
    }

    /** The session while it is unused and unexpired. */
    synchronized Optional<PortalSession> usable(String id) {
        PortalSession session = sessions.get(id);
        if (session != null && config.clock().instant().isAfter(session.expires())) {
            sessions.remove(id);
            return Optional.empty();
        }
        return Optional.ofNullable(session);
    }

    /** Uses up the session and applies the choice; returns the query string for the customRedirect. */
    String complete(PortalSession session, Choice choice) {
        synchronized (this) {
            if (sessions.remove(session.id()) == null) {
                throw new IllegalStateException("session " + session.id() + " was already used");
            }
        }
        return switch (choice.outcome()) {
            case ABANDONED -> "status=ABANDONED";
            case ERROR -> error(valueOr(choice.statusCode(), "500"), valueOr(choice.errorCode(), "1000"));
            case DIFFERENT_ACCOUNT, SUCCESS -> session.reconnect() == null ? add(session, choice)
                    : reconnect(session, choice.outcome());
        };
    }

    private String add(PortalSession session, Choice choice) {
        if (!state.userExists(session.userId())) {
            return error("404", "1011");
        }
        String brokerage = valueOr(choice.brokerage(), valueOr(session.broker(), DEFAULT_BROKER));
        String account = valueOr(choice.account(), "account-" + UUID.randomUUID());
        SimulatedConnection added = state.addConnection(session.userId(), brokerage, session.connectionType(), account);
        webhooks.send(SimulatedWebhookEvent.connection("CONNECTION_ADDED", added));
        return success(added.id());
    }

    private String reconnect(PortalSession session, Outcome outcome) {
        Optional<SimulatedConnection> target = state.connection(session.reconnect())
                .filter(c -> c.userId().equals(session.userId()));
        if (target.isEmpty()) {
            return error("404", "1011");
        }
        if (outcome == Outcome.DIFFERENT_ACCOUNT) {
            return error("400", MISMATCH_ERROR_CODE);
        }
        SimulatorState.Repair repair = state.repair(session.reconnect(), session.connectionType());
        if (repair.before().disabled()) {
            webhooks.send(SimulatedWebhookEvent.connection("CONNECTION_FIXED", repair.after()));
        } else if (!repair.before().type().equals(repair.after().type())) {
            webhooks.send(SimulatedWebhookEvent.connection("CONNECTION_UPDATED", repair.after()));
        }
        return success(repair.after().id());
    }

    private static String success(String connectionId) {
        return "status=SUCCESS&connection_id=" + encode(connectionId);
    }

    private static String error(String statusCode, String errorCode) {
        return "status=ERROR&status_code=" + encode(statusCode) + "&error_code=" + encode(errorCode);
    }

    private static String valueOr(String value, String fallback) {
        return value == null || value.isBlank() ? fallback : value.strip();
    }

    private static String encode(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8);
    }
}
