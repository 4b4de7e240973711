package com.connectionkeeper.snaptrade;

import com.connectionkeeper.core.snaptrade.BrokerageConnection;
import com.connectionkeeper.core.snaptrade.ConnectionType;
import com.connectionkeeper.core.snaptrade.LoginLink;
import com.snaptrade.client.model.Brokerage;
import com.snaptrade.client.model.BrokerageAuthorization;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Map;
import java.util.Objects;

/** SDK answers into domain types; a missing required field throws, which the runner reports as a bad response. */
final class ConnectionMapper {
    private ConnectionMapper() {
    }

    @SuppressWarnings("deprecation") // updated_date: deprecated in the SDK, still sent by SnapTrade
    static BrokerageConnection connection(BrokerageAuthorization authorization) {
        Objects.requireNonNull(authorization, "authorization");
        Objects.requireNonNull(authorization.getId(), "authorization id");
        Brokerage brokerage = authorization.getBrokerage();
        return new BrokerageConnection(
                authorization.getId().toString(),
                brokerage == null || brokerage.getId() == null ? null : brokerage.getId().toString(),
                brokerage == null ? null : brokerage.getSlug(),
                brokerage == null ? null : displayName(brokerage),
                authorization.getName(),
                authorization.getType() == null ? null : ConnectionType.fromWire(authorization.getType()),
                Boolean.TRUE.equals(authorization.getDisabled()),
                instant(authorization.getDisabledDate()),
                instant(authorization.getCreatedDate()),
                instant(authorization.getUpdatedDate()));
    }

    /** The login endpoint's answer: a JSON object with {@code redirectURI} and {@code sessionId}. */
    static LoginLink loginLink(Object answer) {
        if (!(answer instanceof Map<?, ?> fields) || !(fields.get("redirectURI") instanceof String uri)
                || uri.isBlank()) {
            throw new IllegalArgumentException("login answer without redirectURI");
        }
        Object sessionId = fields.get("sessionId");
        return new LoginLink(uri, sessionId == null ? null : sessionId.toString());
    }

    private static String displayName(Brokerage brokerage) {
        return brokerage.getDisplayName() != null ? brokerage.getDisplayName() : brokerage.getName();
    }

    private static Instant instant(OffsetDateTime time) {
        return time == null ? null : time.toInstant();
    }
}
