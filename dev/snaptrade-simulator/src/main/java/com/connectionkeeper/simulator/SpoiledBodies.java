package com.connectionkeeper.simulator;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** The 200 bodies of the MALFORMED_JSON and WRONG_SHAPE faults, per endpoint. */
final class SpoiledBodies {
    private SpoiledBodies() {
    }

    /** Cut off mid-string: no JSON parser accepts it. */
    static String malformed() {
        return "{\"id\": \"truncated";
    }

    /**
     * Well-formed JSON the SDK cannot map: for connections, a brokerage without {@code aws_s3_square_logo_url} and
     * {@code open_url} (the SDK's NullPointerException); elsewhere an object where a string is expected (its
     * IllegalArgumentException, or Gson's JsonSyntaxException for the list of user ids).
     */
    static String wrongShape(Endpoint endpoint) {
        return switch (endpoint) {
            case LIST_AUTHORIZATIONS -> "[" + authorizationWithoutLogoKeys() + "]";
            case DETAIL_AUTHORIZATION -> authorizationWithoutLogoKeys();
            case DISABLE_AUTHORIZATION -> "{\"detail\":{}}";
            case LOGIN -> "\"not an object\"";
            case REGISTER_USER, RESET_USER_SECRET -> "{\"userId\":{}}";
            case LIST_USERS -> "[{}]";
            case DELETE_USER -> "{\"status\":{}}";
        };
    }

    private static String authorizationWithoutLogoKeys() {
        Instant now = Instant.now();
        Brokerage brokerage = Brokerage.of(PortalSessions.DEFAULT_BROKER);
        ObjectNode node = AuthorizationJson.of(new SimulatedConnection(UUID.randomUUID().toString(), "user",
                brokerage.slug(), brokerage.id(), "read", false, null, now, now, "account"));
        ((ObjectNode) node.get("brokerage")).remove(List.of("aws_s3_square_logo_url", "open_url"));
        return Json.write(node);
    }
}
