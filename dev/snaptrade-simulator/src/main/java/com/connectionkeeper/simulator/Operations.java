package com.connectionkeeper.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import java.util.Map;
import java.util.Optional;

/** What each SnapTrade endpoint does once a call is authenticated and not faulted. */
final class Operations {
    private final SimulatorState state;
    private final WebhookSender webhooks;
    private final PortalSessions portal;
    private final TokenExpiries expiries;

    Operations(SimulatorState state, WebhookSender webhooks, PortalSessions portal, TokenExpiries expiries) {
        this.state = state;
        this.webhooks = webhooks;
        this.portal = portal;
        this.expiries = expiries;
    }

    /** Answers the call, once the token expiries due by the clock have run. */
    SnapTradeApiResponse call(Endpoint.Match match, Map<String, String> query, JsonNode body) {
        expiries.catchUp();
        return switch (match.endpoint()) {
            case LIST_USERS -> listUsers();
            case REGISTER_USER -> registerUser(body);
            case DELETE_USER -> deleteUser(query.get("userId"));
            case RESET_USER_SECRET -> resetUserSecret(body);
            case LIST_AUTHORIZATIONS, DETAIL_AUTHORIZATION, DISABLE_AUTHORIZATION, LOGIN ->
                    state.authenticates(query.get("userId"), query.get("userSecret"))
                            ? userCall(match, query.get("userId"), body) : SnapTradeApiResponse.badUser();
        };
    }

    private SnapTradeApiResponse userCall(Endpoint.Match match, String userId, JsonNode body) {
        return switch (match.endpoint()) {
            case LIST_AUTHORIZATIONS -> listAuthorizations(userId);
            case DETAIL_AUTHORIZATION -> owned(userId, match.pathParam())
                    .map(c -> SnapTradeApiResponse.ok(AuthorizationJson.of(c))).orElseGet(SnapTradeApiResponse::notFound);
            case DISABLE_AUTHORIZATION -> owned(userId, match.pathParam())
                    .map(this::disable).orElseGet(SnapTradeApiResponse::notFound);
            case LOGIN -> login(userId, body);
            default -> throw new IllegalArgumentException(match.endpoint() + " is not a user call");
        };
    }

    private SnapTradeApiResponse listUsers() {
        ArrayNode ids = Json.MAPPER.createArrayNode();
        state.users().forEach(ids::add);
        return SnapTradeApiResponse.ok(ids);
    }

    private SnapTradeApiResponse registerUser(JsonNode body) {
        String userId = text(body, "userId");
        if (userId == null || userId.isBlank()) {
            return SnapTradeApiResponse.error(400, "userId is required", "1011");
        }
        Optional<String> secret = state.registerUser(userId);
        if (secret.isEmpty()) {
            return SnapTradeApiResponse.error(400, "User with the given userId already exists", "1010");
        }
        webhooks.send(SimulatedWebhookEvent.user("USER_REGISTERED", userId));
        return SnapTradeApiResponse.ok(Json.object().put("userId", userId).put("userSecret", secret.get()));
    }

    /**
     * Rotates a user's secret: the body names the user and its current secret (as SnapTrade's, a reset needs the
     * secret: "if you call this endpoint and fail to save the new secret, you'll no longer be able to access any data
     * for this user"); the old secret stops working at once.
     */
    private SnapTradeApiResponse resetUserSecret(JsonNode body) {
        String userId = text(body, "userId");
        String secret = text(body, "userSecret");
        if (!state.authenticates(userId, secret)) {
            return SnapTradeApiResponse.badUser();
        }
        return SnapTradeApiResponse.ok(Json.object().put("userId", userId).put("userSecret", state.resetSecret(userId)));
    }

    private SnapTradeApiResponse deleteUser(String userId) {
        if (userId == null || !state.deleteUser(userId)) {
            return SnapTradeApiResponse.notFound();
        }
        webhooks.send(SimulatedWebhookEvent.user("USER_DELETED", userId));
        return SnapTradeApiResponse.ok(Json.object().put("status", "deleted")
                .put("detail", "User queued for deletion; please wait for webhook for confirmation.")
                .put("userId", userId));
    }

    private SnapTradeApiResponse listAuthorizations(String userId) {
        ArrayNode list = Json.MAPPER.createArrayNode();
        state.connections(userId).forEach(c -> list.add(AuthorizationJson.of(c)));
        return SnapTradeApiResponse.ok(list);
    }

    private SnapTradeApiResponse disable(SimulatedConnection connection) {
        Optional<SimulatedConnection> broken = state.breakConnection(connection.id());
        if (broken.isEmpty()) {
            return SnapTradeApiResponse.error(402, "This connection is already disabled.", "3011");
        }
        webhooks.send(SimulatedWebhookEvent.connection("CONNECTION_BROKEN", broken.get()));
        return SnapTradeApiResponse.ok(Json.object().put("detail", "Connection " + connection.id() + " has been disabled"));
    }

    private SnapTradeApiResponse login(String userId, JsonNode body) {
        String reconnect = text(body, "reconnect");
        String type = Optional.ofNullable(text(body, "connectionType")).orElse("read");
        if (!"read".equals(type) && !"trade".equals(type)) {
            return SnapTradeApiResponse.error(400, "connectionType must be read or trade", "1011");
        }
        if (reconnect != null && owned(userId, reconnect).isEmpty()) {
            return SnapTradeApiResponse.notFound();
        }
        PortalSession session = portal.open(userId, reconnect, type, text(body, "broker"),
                text(body, "customRedirect"));
        return SnapTradeApiResponse.ok(Json.object().put("redirectURI", portal.url(session)).put("sessionId", session.id()));
    }

    private Optional<SimulatedConnection> owned(String userId, String connectionId) {
        return state.connection(connectionId).filter(c -> c.userId().equals(userId));
    }

    private static String text(JsonNode body, String field) {
        JsonNode value = body == null ? null : body.get(field);
        return value == null || value.isNull() ? null : value.asText();
    }
}
