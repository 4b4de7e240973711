package com.connectionkeeper.simulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.connectionkeeper.testkit.Integration;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The spec check itself: it accepts the simulator's bodies and can fail on wrong ones. */
@Integration
class OpenApiContractTest {
    private static final SimulatedConnection CONNECTION = new SimulatedConnection(
            "5f6b2e2c-9d8a-4c41-9a55-0b3c3f0e2a11", "u1", "ALPACA", Brokerage.of("ALPACA").id(), "trade", true,
            Instant.parse("2024-01-02T03:04:05.123456Z"), Instant.parse("2024-01-01T00:00:00Z"),
            Instant.parse("2024-01-02T03:04:05.123456Z"), "acct");

    @Test
    void aSimulatedAuthorizationMatchesTheSpec() throws IOException {
        ObjectNode body = AuthorizationJson.of(CONNECTION);
        assertEquals(List.of(), OpenApiContract.load().errors(Endpoint.DETAIL_AUTHORIZATION, 200, Json.write(body)));
    }

    @Test
    void wrongTypesAreRejected() throws IOException {
        ObjectNode body = AuthorizationJson.of(CONNECTION);
        body.put("disabled", "yes");
        ((ObjectNode) body.get("brokerage")).put("enabled", 1);
        List<String> errors = OpenApiContract.load().errors(Endpoint.DETAIL_AUTHORIZATION, 200, Json.write(body));
        assertEquals(2, errors.size(), errors::toString);
        assertTrue(errors.get(0).contains("disabled") || errors.get(1).contains("disabled"), errors::toString);
    }

    @Test
    void nullIsRejectedWhereTheSpecDoesNotAllowItAndAcceptedWhereItDoes() throws IOException {
        ObjectNode body = AuthorizationJson.of(CONNECTION);
        ((ObjectNode) body.get("brokerage")).putNull("slug");
        List<String> errors = OpenApiContract.load().errors(Endpoint.DETAIL_AUTHORIZATION, 200, Json.write(body));
        assertEquals(1, errors.size(), errors::toString);
        assertTrue(errors.get(0).contains("slug"), errors::toString);
    }

    @Test
    void aListOfUsersMustBeAnArrayOfStrings() throws IOException {
        OpenApiContract spec = OpenApiContract.load();
        assertEquals(List.of(), spec.errors(Endpoint.LIST_USERS, 200, "[\"u1\",\"u2\"]"));
        assertEquals(1, spec.errors(Endpoint.LIST_USERS, 200, "[\"u1\",2]").size());
        assertEquals(1, spec.errors(Endpoint.LIST_USERS, 200, "{\"users\":[]}").size());
    }

    @Test
    void errorBodiesMustHaveSnapTradesShape() throws IOException {
        OpenApiContract spec = OpenApiContract.load();
        assertEquals(List.of(), spec.errors(Endpoint.LIST_AUTHORIZATIONS, 401, SnapTradeApiResponse.badUser().body()));
        assertEquals(List.of(), spec.errors(Endpoint.REGISTER_USER, 500, SnapTradeApiResponse.serverError(500).body()));
        assertEquals(1, spec.errors(Endpoint.LIST_AUTHORIZATIONS, 401,
                "{\"detail\":\"x\",\"status_code\":401,\"code\":1076}").size());
        assertEquals(3, spec.errors(Endpoint.LIST_AUTHORIZATIONS, 401, "{\"detail\":\"x\",\"code\":1076}").size());
        assertEquals(1, spec.errors(Endpoint.LOGIN, 404, SnapTradeApiResponse.serverError(500).body()).size());
    }

    @Test
    void malformedJsonIsRejected() throws IOException {
        assertEquals(1, OpenApiContract.load().errors(Endpoint.LOGIN, 200, "{\"redirectURI\": \"x").size());
    }
}
