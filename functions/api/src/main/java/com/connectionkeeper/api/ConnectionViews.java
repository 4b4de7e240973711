package com.connectionkeeper.api;

import com.connectionkeeper.core.model.ConnectionState;
import com.connectionkeeper.core.model.Observed;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.List;

/** The JSON the app reads about a user's connections: everything it needs to decide on a reconnect, no secret. */
final class ConnectionViews {
    private ConnectionViews() {
    }

    static ObjectNode of(String userId, Instant userLastVerifiedAt, List<ConnectionState> connections) {
        ObjectNode out = Json.MAPPER.createObjectNode().put("userId", userId);
        time(out, "lastVerifiedAt", userLastVerifiedAt);
        ArrayNode list = out.putArray("connections");
        connections.forEach(c -> list.add(of(c)));
        return out;
    }

    static ObjectNode of(ConnectionState c) {
        Observed seen = c.observed();
        ObjectNode o = Json.MAPPER.createObjectNode().put("connectionId", c.connectionId());
        ObjectNode brokerage = o.putObject("brokerage");
        text(brokerage, "id", c.brokerageId());
        text(brokerage, "slug", seen == null ? null : seen.brokerageSlug());
        text(brokerage, "name", seen == null ? null : seen.brokerageName());
        text(o, "type", seen == null || seen.type() == null ? null : seen.type().wire());
        o.put("status", c.status().name());
        o.put("needsReconnect", c.needsReconnect());
        time(o, "brokenSince", c.brokenSince());
        time(o, "fixedAt", c.fixedAt());
        time(o, "lastVerifiedAt", seen == null ? null : seen.verifiedAt());
        o.put("source", c.source().wire());
        o.put("lastEventType", c.lastEventType());
        return o;
    }

    private static void text(ObjectNode o, String name, String value) {
        if (value == null) {
            o.putNull(name);
        } else {
            o.put(name, value);
        }
    }

    private static void time(ObjectNode o, String name, Instant value) {
        text(o, name, value == null ? null : value.toString());
    }
}
