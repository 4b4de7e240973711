package com.connectionkeeper.api;

import static com.connectionkeeper.api.LocalApi.body;
import static com.connectionkeeper.api.LocalApi.error;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.connectionkeeper.accounts.AccountStore.Account;
import com.connectionkeeper.accounts.ReturnState;
import com.connectionkeeper.api.token.ReturnStateCodec;
import com.connectionkeeper.api.token.StateCheck;
import com.connectionkeeper.core.model.ConnectionState;
import com.connectionkeeper.core.model.ConnectionStatus;
import com.connectionkeeper.core.model.HistoryEntry;
import com.connectionkeeper.core.model.Source;
import com.connectionkeeper.core.model.UserStatus;
import com.connectionkeeper.simulator.Endpoint;
import com.connectionkeeper.simulator.RecordedRequest;
import com.connectionkeeper.simulator.SimulatedConnection;
import com.connectionkeeper.testkit.Integration;
import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Every route's happy path and its own errors, on dynalite and the simulator: what the caller gets, what the table
 * holds afterwards, and what SnapTrade was asked. A refusal changes nothing in the table and sends SnapTrade nothing
 * that changes state.
 */
@Integration
class ApiRoutesTest {
    private LocalApi api;

    @BeforeEach
    void start() {
        api = new LocalApi();
    }

    @AfterEach
    void stop() {
        api.close();
    }

    static JsonNode connection(JsonNode listing, String connectionId) {
        return StreamSupport.stream(listing.path("connections").spliterator(), false)
                .filter(c -> connectionId.equals(c.path("connectionId").asText())).findFirst()
                .orElseThrow(() -> new AssertionError(connectionId + " not in " + listing));
    }

    private List<String> eventTypes(String userId, String connectionId) {
        return api.connections.history(userId, connectionId).stream().map(HistoryEntry::eventType).toList();
    }

    private static void assertRecent(String isoInstant) {
        assertNotNull(isoInstant);
        Duration age = Duration.between(Instant.parse(isoInstant), Instant.now());
        assertTrue(!age.isNegative() && age.compareTo(Duration.ofMinutes(1)) < 0, isoInstant);
    }

    @Nested
    class RegisterUser {
        @Test
        void registersAtSnapTradeStoresTheSecretAndAnswers201WithoutIt() {
            APIGatewayV2HTTPResponse r = api.register("alice");

            assertEquals(201, r.getStatusCode(), r.getBody());
            assertEquals("application/json", r.getHeaders().get("content-type"));
            assertEquals(LocalApi.JSON.createObjectNode().put("userId", "alice").put("status", "ACTIVE"), body(r));
            RecordedRequest sent = api.simulator.requests().last(Endpoint.REGISTER_USER).orElseThrow();
            assertEquals("alice", sent.bodyField("userId"));
            String secret = api.secretAtSnapTrade("alice");
            assertEquals(secret, api.secrets.credentials("alice").orElseThrow().userSecret(),
                    "the secret SnapTrade issued is the one stored");
            Account account = api.accounts.account("alice").orElseThrow();
            assertEquals(UserStatus.ACTIVE, account.status());
            assertTrue(account.hasSecret());
            assertNull(account.problem());
            assertEquals(List.of("API_USER_REGISTERED"), eventTypes("alice", null));
            api.assertNoSecret(r);
        }

        @Test
        void aUserRegisteredHereAlreadyIs409AndNothingChanges() {
            assertEquals(201, api.register("alice").getStatusCode());
            var before = api.snapshot();

            APIGatewayV2HTTPResponse again = api.register("alice");

            assertEquals(409, again.getStatusCode());
            assertEquals("user 'alice' already exists", error(again));
            assertEquals(before, api.snapshot());
            assertEquals(1, api.simulator.requests().count(Endpoint.REGISTER_USER), "SnapTrade was not asked again");
            api.assertNoSecret(again);
        }

        @Test
        void aUserSnapTradeAlreadyHasIs409AndNothingIsStored() {
            String secret = api.simulator.control().seedUser("bob");

            APIGatewayV2HTTPResponse r = api.register("bob");

            assertEquals(409, r.getStatusCode());
            assertEquals("SnapTrade already has a user 'bob' (registered elsewhere): import its secret with "
                    + "PUT /users/{userId}/secret", error(r));
            assertEquals(List.of(), api.scan());
            assertEquals(secret, api.secretAtSnapTrade("bob"), "SnapTrade's user is untouched");
            api.assertNoSecret(r);
        }

        @Test
        void anImportedUserIs409Too() {
            api.importedUser("alice");
            var before = api.snapshot();

            APIGatewayV2HTTPResponse r = api.register("alice");

            assertEquals(409, r.getStatusCode());
            assertEquals("user 'alice' already exists", error(r));
            assertEquals(before, api.snapshot());
            assertEquals(0, api.simulator.requests().count(Endpoint.REGISTER_USER));
        }

        @Test
        void aDeletedUserCanBeRegisteredAgainWithANewSecret() {
            assertEquals(201, api.register("alice").getStatusCode());
            String first = api.secretAtSnapTrade("alice");
            assertEquals(200, api.delete("alice").getStatusCode());

            APIGatewayV2HTTPResponse again = api.register("alice");

            assertEquals(201, again.getStatusCode(), again.getBody());
            String second = api.secretAtSnapTrade("alice");
            assertNotEquals(first, second);
            assertEquals(second, api.secrets.credentials("alice").orElseThrow().userSecret());
            assertEquals(UserStatus.ACTIVE, api.accounts.account("alice").orElseThrow().status());
            api.assertNoSecret(again, first);
        }
    }

    @Nested
    class ImportSecret {
        @Test
        void verifiesTheSecretStoresItAndReconcilesTheConnectionsAtOnce() {
            String secret = api.simulator.control().seedUser("alice");
            String trade = api.simulator.control().addConnection("alice", "ALPACA", "trade");
            String read = api.simulator.control().addConnection("alice", "QUESTRADE", "read");
            api.simulator.control().breakConnection(trade);

            APIGatewayV2HTTPResponse r = api.importSecret("alice", secret);

            assertEquals(200, r.getStatusCode(), r.getBody());
            api.assertNoSecret(r);
            RecordedRequest listed = api.simulator.requests().last(Endpoint.LIST_AUTHORIZATIONS).orElseThrow();
            assertEquals("alice", listed.queryParam("userId"));
            assertEquals(secret, listed.queryParam("userSecret"), "verified with the secret given");
            assertEquals(secret, api.secrets.credentials("alice").orElseThrow().userSecret());

            JsonNode b = body(r);
            assertEquals("alice", b.path("userId").asText());
            assertRecent(b.path("lastVerifiedAt").asText(null));
            assertEquals(2, b.path("connections").size());
            SimulatedConnection alpaca = api.simulator.control().connection(trade).orElseThrow();
            JsonNode broken = connection(b, trade);
            assertEquals(alpaca.brokerageId(), broken.path("brokerage").path("id").asText());
            assertEquals("ALPACA", broken.path("brokerage").path("slug").asText());
            assertEquals("Alpaca", broken.path("brokerage").path("name").asText());
            assertEquals("trade", broken.path("type").asText());
            assertEquals("BROKEN", broken.path("status").asText());
            assertTrue(broken.path("needsReconnect").asBoolean());
            assertNotNull(broken.path("brokenSince").asText(null));
            assertRecent(broken.path("lastVerifiedAt").asText(null));
            assertEquals("api", broken.path("source").asText());
            assertEquals("IMPORT_OBSERVED_BROKEN", broken.path("lastEventType").asText());
            JsonNode working = connection(b, read);
            assertEquals("QUESTRADE", working.path("brokerage").path("slug").asText());
            assertEquals("read", working.path("type").asText());
            assertEquals("ACTIVE", working.path("status").asText());
            assertFalse(working.path("needsReconnect").asBoolean());
            assertTrue(working.path("brokenSince").isNull());
            assertEquals("IMPORT_OBSERVED_ACTIVE", working.path("lastEventType").asText());

            assertEquals(body(api.connections("alice")), b, "what the import answers is what the table holds");
            assertEquals(Source.API, api.connections.connection("alice", trade).orElseThrow().source());
        }

        @Test
        void aSecretSnapTradeRejectsIs422AndNothingIsStored() {
            api.simulator.control().seedUser("alice");
            api.simulator.control().addConnection("alice", "ALPACA", "trade");

            APIGatewayV2HTTPResponse r = api.importSecret("alice", "not-alices-secret-7781");

            assertEquals(422, r.getStatusCode());
            assertEquals("SnapTrade rejected this userSecret for user 'alice'; nothing was stored", error(r));
            assertEquals(List.of(), api.scan());
            api.assertNoSecret(r, "not-alices-secret-7781");
        }

        @Test
        void aRejectedSecretLeavesTheStoredOneInPlace() {
            api.importedUser("alice", "ALPACA:trade");
            String good = api.secretAtSnapTrade("alice");
            var before = api.snapshot();

            APIGatewayV2HTTPResponse r = api.importSecret("alice", "a-stale-secret-0042");

            assertEquals(422, r.getStatusCode());
            assertEquals(before, api.snapshot());
            assertEquals(good, api.secrets.credentials("alice").orElseThrow().userSecret());
            api.assertNoSecret(r, "a-stale-secret-0042");
        }

        @Test
        void aUserSnapTradeDoesNotHaveIs422() {
            APIGatewayV2HTTPResponse r = api.importSecret("ghost", "whatever-secret-1");

            assertEquals(422, r.getStatusCode());
            assertTrue(error(r).endsWith("nothing was stored"), error(r));
            assertEquals(List.of(), api.scan());
        }

        @Test
        void aDeletedUserIs409WithoutAskingSnapTrade() {
            api.importedUser("alice", "ALPACA:trade");
            String secret = api.secretAtSnapTrade("alice");
            assertEquals(200, api.delete("alice").getStatusCode());
            var before = api.snapshot();
            int listed = api.simulator.requests().count(Endpoint.LIST_AUTHORIZATIONS);

            APIGatewayV2HTTPResponse r = api.importSecret("alice", secret);

            assertEquals(409, r.getStatusCode());
            assertEquals("user 'alice' was deleted; register it again with POST /users", error(r));
            assertEquals(before, api.snapshot());
            assertEquals(listed, api.simulator.requests().count(Endpoint.LIST_AUTHORIZATIONS));
            api.assertNoSecret(r, secret);
        }

        @Test
        void importingAgainFollowsSnapTrade() {
            List<String> ids = api.importedUser("alice", "!ALPACA:trade", "QUESTRADE:read");
            api.simulator.control().fixConnection(ids.get(0));
            api.simulator.control().deleteConnection(ids.get(1));

            APIGatewayV2HTTPResponse r = api.importSecret("alice", api.secretAtSnapTrade("alice"));

            assertEquals(200, r.getStatusCode(), r.getBody());
            ConnectionState fixed = api.connections.connection("alice", ids.get(0)).orElseThrow();
            assertEquals(ConnectionStatus.ACTIVE, fixed.status());
            assertNotNull(fixed.fixedAt());
            assertEquals(ConnectionStatus.DELETED,
                    api.connections.connection("alice", ids.get(1)).orElseThrow().status());
            assertEquals("DELETED", connection(body(r), ids.get(1)).path("status").asText());
        }

        @Test
        void importingClearsACredentialsFlag() {
            List<String> ids = api.importedUser("alice", "!ALPACA:trade");
            api.secrets.flagUser("alice", "CREDENTIALS_REJECTED", java.time.Instant.now(),
                    api.secrets.heldSecret("alice").orElseThrow().version());
            assertEquals(422, api.reconnectLink("alice", ids.get(0), null).getStatusCode());

            assertEquals(200, api.importSecret("alice", api.secretAtSnapTrade("alice")).getStatusCode());

            assertNull(api.accounts.account("alice").orElseThrow().problem());
            assertEquals(200, api.reconnectLink("alice", ids.get(0), null).getStatusCode());
        }
    }

    @Nested
    class DeleteUser {
        @Test
        void deletesAtSnapTradeMarksUserAndConnectionsDeletedAndDropsTheSecret() {
            List<String> ids = api.importedUser("alice", "!ALPACA:trade", "QUESTRADE:read");
            String secret = api.secretAtSnapTrade("alice");

            APIGatewayV2HTTPResponse r = api.delete("alice");

            assertEquals(200, r.getStatusCode(), r.getBody());
            assertEquals(LocalApi.JSON.createObjectNode().put("userId", "alice").put("status", "DELETED")
                    .put("connectionsDeleted", 2), body(r));
            assertEquals("alice", api.simulator.requests().last(Endpoint.DELETE_USER).orElseThrow()
                    .queryParam("userId"));
            assertFalse(api.simulator.control().users().contains("alice"), "deleted at SnapTrade");
            assertEquals(UserStatus.DELETED, api.connections.user("alice").orElseThrow().status());
            for (String id : ids) {
                assertEquals(ConnectionStatus.DELETED, api.connections.connection("alice", id).orElseThrow().status());
            }
            assertTrue(api.secrets.credentials("alice").isEmpty());
            assertFalse(api.accounts.account("alice").orElseThrow().hasSecret());
            for (Map<String, AttributeValue> item : api.scan()) {
                assertFalse(item.toString().contains(secret), "the secret is gone from every item: " + item);
            }
            assertTrue(eventTypes("alice", null).contains("USER_DELETED"));
            api.assertNoSecret(r, secret);

            JsonNode listed = body(api.connections("alice"));
            assertEquals("DELETED", connection(listed, ids.get(0)).path("status").asText());
            assertFalse(connection(listed, ids.get(0)).path("needsReconnect").asBoolean());
        }

        @Test
        void anUnknownUserIs404AndSnapTradeIsNotAsked() {
            api.importedUser("alice", "ALPACA:trade");
            var before = api.snapshot();

            APIGatewayV2HTTPResponse r = api.delete("nobody");

            assertEquals(404, r.getStatusCode());
            assertEquals("no user 'nobody'", error(r));
            assertEquals(before, api.snapshot());
            assertEquals(0, api.simulator.requests().count(Endpoint.DELETE_USER));
        }

        @Test
        void aUserKnownOnlyFromConnectionWebhooksIsDeletedToo() {
            String secret = api.simulator.control().seedUser("webhook-only");
            String c = api.simulator.control().addConnection("webhook-only", "ALPACA", "read");
            api.deliver("CONNECTION_ADDED", c);
            assertTrue(api.accounts.account("webhook-only").isEmpty(), "no user item: only its connection");

            APIGatewayV2HTTPResponse r = api.delete("webhook-only");

            assertEquals(200, r.getStatusCode(), r.getBody());
            assertEquals(1, body(r).path("connectionsDeleted").asInt());
            assertEquals(ConnectionStatus.DELETED,
                    api.connections.connection("webhook-only", c).orElseThrow().status());
            assertEquals(1, api.simulator.requests().count(Endpoint.DELETE_USER));
            api.assertNoSecret(r, secret);
        }

        @Test
        void aUserSnapTradeNoLongerHasIsStillDeletedHere() {
            List<String> ids = api.importedUser("alice", "ALPACA:trade");
            api.simulator.control().deleteUser("alice");

            APIGatewayV2HTTPResponse r = api.delete("alice");

            assertEquals(200, r.getStatusCode(), r.getBody());
            assertEquals(1, body(r).path("connectionsDeleted").asInt());
            assertEquals(ConnectionStatus.DELETED,
                    api.connections.connection("alice", ids.get(0)).orElseThrow().status());
            assertTrue(api.secrets.credentials("alice").isEmpty());
        }

        @Test
        void deletingAgainChangesNothingAndDoesNotAskSnapTrade() {
            api.importedUser("alice", "ALPACA:trade");
            assertEquals(200, api.delete("alice").getStatusCode());
            var before = api.snapshot();

            APIGatewayV2HTTPResponse again = api.delete("alice");

            assertEquals(200, again.getStatusCode());
            assertEquals(0, body(again).path("connectionsDeleted").asInt());
            assertEquals(before, api.snapshot());
            assertEquals(1, api.simulator.requests().count(Endpoint.DELETE_USER));
        }
    }

    @Nested
    class ListConnections {
        @Test
        void readsTheTableOnlyNeverSnapTrade() {
            List<String> ids = api.importedUser("alice", "ALPACA:trade");
            api.simulator.control().breakConnection(ids.get(0)); // SnapTrade knows; no webhook has told us
            api.simulator.requests().clear();

            APIGatewayV2HTTPResponse r = api.connections("alice");

            assertEquals(200, r.getStatusCode());
            assertEquals(List.of(), api.simulator.requests().all(), "no SnapTrade call");
            JsonNode c = connection(body(r), ids.get(0));
            assertEquals("ACTIVE", c.path("status").asText(), "what the table says, not SnapTrade");
            assertEquals("trade", c.path("type").asText());
            api.assertNoSecret(r);
        }

        @Test
        void showsWhatWebhooksReported() {
            assertEquals(201, api.register("alice").getStatusCode());
            String c = api.simulator.control().addConnection("alice", "ALPACA", "trade");
            api.deliver("CONNECTION_ADDED", c);
            api.simulator.control().breakConnection(c);
            api.deliver("CONNECTION_BROKEN", c);

            JsonNode listed = connection(body(api.connections("alice")), c);

            assertEquals("BROKEN", listed.path("status").asText());
            assertTrue(listed.path("needsReconnect").asBoolean());
            assertEquals("webhook", listed.path("source").asText());
            assertEquals("CONNECTION_BROKEN", listed.path("lastEventType").asText());
            assertTrue(listed.path("type").isNull(), "webhooks do not say the type");
            assertTrue(listed.path("lastVerifiedAt").isNull());
        }

        @Test
        void aRegisteredUserWithoutConnectionsHasAnEmptyList() {
            assertEquals(201, api.register("alice").getStatusCode());

            APIGatewayV2HTTPResponse r = api.connections("alice");

            assertEquals(200, r.getStatusCode());
            assertEquals("alice", body(r).path("userId").asText());
            assertEquals(0, body(r).path("connections").size());
            assertTrue(body(r).path("lastVerifiedAt").isNull());
        }

        @Test
        void anUnknownUserIs404() {
            api.importedUser("alice", "ALPACA:trade");

            APIGatewayV2HTTPResponse r = api.connections("nobody");

            assertEquals(404, r.getStatusCode());
            assertEquals("no user 'nobody'", error(r));
        }
    }

    @Nested
    class ReconnectLink {
        @Test
        void aBrokenTradeConnectionGetsAReconnectLinkForThatConnectionKeepingTrade() {
            List<String> ids = api.importedUser("alice", "!ALPACA:trade", "QUESTRADE:read");
            String c = ids.get(0);
            Instant asked = Instant.now();

            APIGatewayV2HTTPResponse r = api.reconnectLink("alice", c, "{\"redirectUrl\":\"" + LocalApi.APP_RETURN
                    + "\",\"immediateRedirect\":true,\"darkMode\":false}");

            assertEquals(200, r.getStatusCode(), r.getBody());
            api.assertNoSecret(r);
            JsonNode link = body(r);
            assertEquals(c, link.path("connectionId").asText());
            assertEquals("trade", link.path("type").asText());
            String redirect = link.path("redirectURI").asText();
            assertTrue(redirect.startsWith("http://127.0.0.1:" + api.simulator.port() + "/portal/"), redirect);
            assertEquals(link.path("sessionId").asText(),
                    LocalApi.query(URI.create(redirect).getRawQuery()).get("sessionId"));
            Instant answered = Instant.now();
            Instant expires = Instant.parse(link.path("expiresAt").asText());
            assertTrue(!expires.isBefore(asked.plus(Duration.ofMinutes(5)))
                    && !expires.isAfter(answered.plus(Duration.ofMinutes(5))), "SnapTrade's 5 minutes: " + expires);

            assertEquals(1, api.simulator.requests().count(Endpoint.LOGIN));
            RecordedRequest login = api.simulator.requests().last(Endpoint.LOGIN).orElseThrow();
            assertEquals("alice", login.queryParam("userId"));
            assertEquals(c, login.bodyField("reconnect"), "reconnect mode for that very connection");
            assertEquals("trade", login.bodyField("connectionType"), "keeps trade access");
            assertEquals("true", login.bodyField("immediateRedirect"));
            assertEquals("false", login.bodyField("darkMode"));
            assertNull(login.bodyField("broker"));
            assertEquals(0, api.simulator.requests().count(Endpoint.DETAIL_AUTHORIZATION),
                    "the type was known from the import");

            StateCheck v = ReturnStateCodec.fromSecret(LocalApi.STATE_KEY).verify(api.lastState(), Instant.now());
            ReturnState state = ((StateCheck.Valid) v).state();
            assertEquals("alice", state.userId());
            assertEquals(c, state.connectionId());
            assertEquals(LocalApi.APP_RETURN, state.returnUrl());
            assertEquals(1, api.items("alice", "LINK#").size());
            assertEquals("LINK#" + state.nonce(), api.items("alice", "LINK#").get(0).get("sk").s());

            List<HistoryEntry> history = api.connections.history("alice", c).stream()
                    .filter(d -> d.eventType().equals("RECONNECT_LINK_ISSUED")).toList();
            assertEquals(1, history.size());
            assertEquals("{\"type\":\"trade\",\"force\":false}", history.get(0).recordedJson());
            assertEquals(Source.API, history.get(0).source());
            assertEquals(ConnectionStatus.BROKEN, api.connections.connection("alice", c).orElseThrow().status(),
                    "a link changes nothing about the connection");
        }

        @Test
        void aConnectionKnownOnlyFromWebhooksAsksSnapTradeForItsTypeAndKeepsTrade() {
            assertEquals(201, api.register("alice").getStatusCode());
            String c = api.simulator.control().addConnection("alice", "ALPACA", "trade");
            api.deliver("CONNECTION_ADDED", c);
            api.simulator.control().breakConnection(c);
            api.deliver("CONNECTION_BROKEN", c);
            assertNull(api.connections.connection("alice", c).orElseThrow().observed());

            APIGatewayV2HTTPResponse r = api.reconnectLink("alice", c, null);

            assertEquals(200, r.getStatusCode(), r.getBody());
            assertEquals("trade", body(r).path("type").asText());
            assertTrue(api.simulator.requests().last(Endpoint.DETAIL_AUTHORIZATION).orElseThrow().path()
                    .endsWith("/authorizations/" + c));
            RecordedRequest login = api.simulator.requests().last(Endpoint.LOGIN).orElseThrow();
            assertEquals(c, login.bodyField("reconnect"));
            assertEquals("trade", login.bodyField("connectionType"));
            assertNull(login.bodyField("immediateRedirect"), "not sent unless the app asks");
            assertNull(login.bodyField("darkMode"));
        }

        @Test
        void aReadConnectionIsReconnectedAsRead() {
            String c = api.importedUser("alice", "!QUESTRADE:read").get(0);

            APIGatewayV2HTTPResponse r = api.reconnectLink("alice", c, "{}");

            assertEquals(200, r.getStatusCode(), r.getBody());
            assertEquals("read", body(r).path("type").asText());
            assertEquals("read", api.simulator.requests().last(Endpoint.LOGIN).orElseThrow()
                    .bodyField("connectionType"));
        }

        @Test
        void anUnknownConnectionIs404AndSnapTradeIsNotAsked() {
            api.importedUser("alice", "!ALPACA:trade");
            var before = api.snapshot();
            String unknown = UUID.randomUUID().toString();

            APIGatewayV2HTTPResponse r = api.reconnectLink("alice", unknown, null);

            assertEquals(404, r.getStatusCode());
            assertEquals("user 'alice' has no connection '" + unknown + "'", error(r));
            assertEquals(before, api.snapshot());
            assertEquals(0, api.simulator.requests().count(Endpoint.LOGIN));
        }

        @Test
        void aDeletedConnectionIs410() {
            String c = api.importedUser("alice", "!ALPACA:trade", "QUESTRADE:read").get(0);
            api.simulator.control().deleteConnection(c);
            assertEquals(200, api.importSecret("alice", api.secretAtSnapTrade("alice")).getStatusCode());
            assertEquals(ConnectionStatus.DELETED, api.connections.connection("alice", c).orElseThrow().status());
            var before = api.snapshot();

            for (String body : new String[] {null, "{\"force\":true}"}) {
                APIGatewayV2HTTPResponse r = api.reconnectLink("alice", c, body);

                assertEquals(410, r.getStatusCode());
                assertEquals("this connection was deleted; create a new connection", error(r));
            }
            assertEquals(before, api.snapshot());
            assertEquals(0, api.simulator.requests().count(Endpoint.LOGIN));
        }

        @Test
        void aWorkingConnectionIs409UnlessForced() {
            String c = api.importedUser("alice", "ALPACA:trade").get(0);
            var before = api.snapshot();

            APIGatewayV2HTTPResponse refused = api.reconnectLink("alice", c, "{\"force\":false}");

            assertEquals(409, refused.getStatusCode());
            assertEquals("connection '" + c + "' is not broken (status ACTIVE); pass \"force\": true for a reconnect "
                    + "link anyway", error(refused));
            assertEquals(before, api.snapshot());
            assertEquals(0, api.simulator.requests().count(Endpoint.LOGIN));

            APIGatewayV2HTTPResponse forced = api.reconnectLink("alice", c, "{\"force\":true}");

            assertEquals(200, forced.getStatusCode(), forced.getBody());
            RecordedRequest login = api.simulator.requests().last(Endpoint.LOGIN).orElseThrow();
            assertEquals(c, login.bodyField("reconnect"));
            assertEquals("trade", login.bodyField("connectionType"));
            assertTrue(api.connections.history("alice", c).stream().anyMatch(d -> d.eventType()
                    .equals("RECONNECT_LINK_ISSUED") && d.recordedJson().equals("{\"type\":\"trade\",\"force\":true}")));
        }

        @ParameterizedTest
        @ValueSource(strings = {
            "https://evil.example.com/connections/done",
            "https://app.example.com.evil.example/connections",
            "https://app.example.com/connectionsX",
            "https://app.example.com/other",
            "http://app.example.com/connections/done",
            "https://app.example.com:8443/connections/done",
            "https://app.example.com/connections/../admin",
            "https://app.example.com/connections/%2e%2e/admin",
            "https://user@app.example.com/connections/done",
            "https://app.example.com/connections/done#frag",
            "//app.example.com/connections/done",
            "/connections/done",
            "javascript:alert(1)",
            "http://localhost:3001/cb",
        })
        void aRedirectUrlOffTheAllowListIs400AndNothingChanges(String url) {
            String c = api.importedUser("alice", "!ALPACA:trade").get(0);
            var before = api.snapshot();

            APIGatewayV2HTTPResponse r = api.reconnectLink("alice", c,
                    LocalApi.JSON.createObjectNode().put("redirectUrl", url).toString());

            assertEquals(400, r.getStatusCode());
            assertEquals("redirectUrl is not on the allow-list of return URLs (ReturnUrlAllowList)", error(r));
            assertEquals(before, api.snapshot());
            assertEquals(0, api.simulator.requests().count(Endpoint.LOGIN));
        }

        @ParameterizedTest
        @ValueSource(strings = {
            "https://app.example.com/connections",
            "https://app.example.com/connections/done?tab=brokerages",
            "https://APP.example.com:443/connections/x/y",
            "http://localhost:3000/anything",
        })
        void aRedirectUrlOnTheAllowListIsSigned(String url) {
            String c = api.importedUser("alice", "!ALPACA:trade").get(0);

            APIGatewayV2HTTPResponse r = api.reconnectLink("alice", c,
                    LocalApi.JSON.createObjectNode().put("redirectUrl", url).toString());

            assertEquals(200, r.getStatusCode(), r.getBody());
            StateCheck v = ReturnStateCodec.fromSecret(LocalApi.STATE_KEY).verify(api.lastState(), Instant.now());
            assertEquals(url, ((StateCheck.Valid) v).state().returnUrl());
        }

        @Test
        void withoutAStoredSecretIs409() {
            api.simulator.control().seedUser("alice");
            String c = api.simulator.control().addConnection("alice", "ALPACA", "trade");
            api.deliver("CONNECTION_ADDED", c);
            api.simulator.control().breakConnection(c);
            api.deliver("CONNECTION_BROKEN", c);
            var before = api.snapshot();

            APIGatewayV2HTTPResponse r = api.reconnectLink("alice", c, null);

            assertEquals(409, r.getStatusCode());
            assertEquals("no secret stored for user 'alice'; import it with PUT /users/{userId}/secret", error(r));
            assertEquals(before, api.snapshot());
            assertEquals(List.of(), api.simulator.requests().all().stream()
                    .filter(q -> q.endpoint() == Endpoint.LOGIN || q.endpoint() == Endpoint.DETAIL_AUTHORIZATION)
                    .toList());
        }

        @Test
        void aStoredSecretSnapTradeRejectsIs422AndFlagsTheUser() {
            String c = api.importedUser("alice", "!ALPACA:trade").get(0);
            api.secrets.saveUserSecret("alice", "rotated-away-secret-99"); // SnapTrade no longer accepts it

            APIGatewayV2HTTPResponse r = api.reconnectLink("alice", c, null);

            assertEquals(422, r.getStatusCode());
            assertEquals("SnapTrade rejected the user's secret; rotate it with POST /users/{userId}/secret/reset, "
                    + "or import the current one with PUT /users/{userId}/secret", error(r));
            api.assertNoSecret(r, "rotated-away-secret-99");
            assertEquals("CREDENTIALS_REJECTED", api.accounts.account("alice").orElseThrow().problem(), "flagged");
            assertEquals(List.of(), api.items("alice", "LINK#"), "no link recorded");
            assertFalse(eventTypes("alice", c).contains("RECONNECT_LINK_ISSUED"));
            var flagged = api.snapshot();
            int logins = api.simulator.requests().count(Endpoint.LOGIN);

            APIGatewayV2HTTPResponse again = api.reconnectLink("alice", c, null);

            assertEquals(422, again.getStatusCode());
            assertEquals("SnapTrade rejected the stored secret of user 'alice'; rotate it with "
                    + "POST /users/{userId}/secret/reset, or import the current one with PUT /users/{userId}/secret",
                    error(again));
            assertEquals(flagged, api.snapshot());
            assertEquals(logins, api.simulator.requests().count(Endpoint.LOGIN), "a flagged user is not retried");
        }

        @Test
        void aConnectionSnapTradeNoLongerHasIs404() {
            String c = api.importedUser("alice", "!ALPACA:trade").get(0);
            api.simulator.control().deleteConnection(c); // no webhook has told us
            var before = api.snapshot();

            APIGatewayV2HTTPResponse r = api.reconnectLink("alice", c, null);

            assertEquals(404, r.getStatusCode());
            assertEquals("SnapTrade does not know this user or connection", error(r));
            assertEquals(before, api.snapshot());
        }
    }
}
