package com.connectionkeeper.simulator;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.UUID;

/** A connection as SnapTrade's BrokerageAuthorization JSON, brokerage included with every key the SDK reads. */
final class AuthorizationJson {
    private static final String TRADITIONAL_ID =
            UUID.nameUUIDFromBytes("brokerage-type:traditional".getBytes(StandardCharsets.UTF_8)).toString();

    private AuthorizationJson() {
    }

    static ObjectNode of(SimulatedConnection c) {
        ObjectNode node = Json.object()
                .put("id", c.id())
                .put("created_date", Json.time(c.createdDate()))
                .put("updated_date", Json.time(c.updatedDate()));
        node.set("brokerage", brokerage(Brokerage.of(c.brokerageSlug())));
        node.put("name", "Connection-" + c.id().substring(0, 8))
                .put("type", c.type())
                .put("disabled", c.disabled())
                .put("disabled_date", Json.time(c.disabledDate()))
                .put("is_eligible_for_payout", false);
        node.putObject("meta");
        return node;
    }

    private static ObjectNode brokerage(Brokerage b) {
        String logo = "https://snaptrade-simulator.invalid/logos/" + b.slug().toLowerCase(Locale.ROOT);
        ObjectNode node = Json.object()
                .put("id", b.id())
                .put("slug", b.slug())
                .put("name", b.name())
                .put("display_name", b.name())
                .put("description", b.name() + " (simulated)")
                .put("aws_s3_logo_url", logo + ".png")
                .putNull("aws_s3_square_logo_url")
                .put("url", "https://snaptrade-simulator.invalid/brokerages/" + b.slug().toLowerCase(Locale.ROOT))
                .put("enabled", true)
                .put("maintenance_mode", false)
                .put("allows_trading", true)
                .putNull("allows_fractional_units")
                .put("has_reporting", true)
                .put("is_real_time_connection", true);
        node.putObject("brokerage_type").put("id", TRADITIONAL_ID).put("name", "Traditional Brokerage");
        node.putArray("exchanges");
        node.putNull("open_url");
        return node;
    }
}
