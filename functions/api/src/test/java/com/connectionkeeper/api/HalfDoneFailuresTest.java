package com.connectionkeeper.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.connectionkeeper.core.config.EnvironmentConfig;
import com.connectionkeeper.core.ingest.WebhookIngestion;
import com.connectionkeeper.core.model.EventType;
import com.connectionkeeper.core.model.WebhookEvent;
import com.connectionkeeper.core.snaptrade.UserCredentials;
import com.connectionkeeper.simulator.Endpoint;
import com.connectionkeeper.simulator.Fault;
import com.connectionkeeper.snaptrade.SnapTradeSdkGateway;
import com.connectionkeeper.snaptrade.SnapTradeSettings;
import com.connectionkeeper.testkit.Integration;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Issue 9.3, 9.4 and the secret reset of 9.2: a DynamoDB failure before each write of a user's deletion or
 * registration, and a lost or missing SnapTrade answer at each step, then a retry — which must end exactly where a
 * clean run ends: nothing half-applied, no user orphaned at SnapTrade without its secret here.
 */
@Integration
class HalfDoneFailuresTest {
    private LocalApi api;
    private FailingStore control;
    private ApiHandler handler;
    private SnapTradeSdkGateway gateway;

    @BeforeEach
    void start() {
        api = new LocalApi(UnaryOperator.identity(), Map.of("SNAPTRADE_READ_TIMEOUT_SECONDS", "1"));
        FailingStore.Ports ports = FailingStore.over(api.ports());
        control = ports.control();
        gateway = SnapTradeSdkGateway.create(SnapTradeSettings.from(new EnvironmentConfig(api.env)));
        ApiSettings settings = ApiSettings.from(new EnvironmentConfig(api.env));
        handler = new ApiHandler(new Api(
                new UserService(ports.state(), ports.secrets(), ports.accounts(), ports.sweep(), gateway, api.clock),
                new ReconnectService(ports.state(), ports.secrets(), ports.accounts(), gateway, settings, api.clock),
                settings.access()));
    }

    @AfterEach
    void stop() {
        api.close();
    }

    private APIGatewayV2HTTPResponse invoke(APIGatewayV2HTTPEvent event) {
        event.getRequestContext().setRequestId("req-" + UUID.randomUUID()); // a retry is a new request
        return handler.handleRequest(event, null);
    }

    private APIGatewayV2HTTPResponse delete(String userId) {
        return invoke(LocalApi.event("api-delete-user.json", "/users/" + userId, null));
    }

    private APIGatewayV2HTTPResponse register(String userId) {
        return invoke(LocalApi.event("api-register-user.json", "/users",
                LocalApi.JSON.createObjectNode().put("userId", userId).toString()));
    }

    private APIGatewayV2HTTPResponse reset(String userId) {
        APIGatewayV2HTTPEvent e = LocalApi.event("api-reset-secret.json", "/users/" + userId + "/secret/reset", null);
        e.setBody(null);
        return invoke(e);
    }

    /** A user with three connections at SnapTrade (one broken), imported here. */
    private void userWithConnections(String userId) {
        api.importedUser(userId, "ALPACA:read", "!ALPACA:trade", "QUESTRADE:read");
    }

    /**
     * The user's partition without its ids and times: per item its kind, attribute names (minus delivery
     * bookkeeping), status, source, last event type, history type and result, and whether a connection's watermark
     * is the user's deletion. Two users that went through the same story have the same shape.
     */
    private List<String> shape(String userId) {
        List<Map<String, AttributeValue>> items = api.items(userId, "");
        AttributeValue deletion = items.stream().filter(i -> i.get("sk").s().equals("USER")).findFirst()
                .map(i -> i.get("deletionWatermark")).orElse(null);
        List<String> shape = new ArrayList<>();
        for (Map<String, AttributeValue> item : items) {
            String sk = item.get("sk").s();
            String kind = sk.startsWith("HIST#U#") ? "HIST#U" : sk.startsWith("HIST#C#") ? "HIST#C"
                    : sk.contains("#") ? sk.substring(0, sk.indexOf('#')) : sk;
            Set<String> names = new TreeSet<>(item.keySet());
            names.removeAll(Set.of("deliveries", "lastReceivedAt"));
            Map<String, String> values = new TreeMap<>();
            for (String a : List.of("status", "source", "lastEventType", "eventType", "result")) {
                if (item.containsKey(a)) {
                    values.put(a, item.get(a).s());
                }
            }
            if (kind.equals("CONN")) {
                values.put("watermarkIsTheDeletion", String.valueOf(item.get("watermark").equals(deletion)));
            }
            shape.add(kind + " " + names + " " + values);
        }
        shape.sort(null);
        return shape;
    }

    @Test
    void aDeletionInterruptedBeforeAnyOfItsWritesIsFinishedByTheRetryExactlyAsACleanOne() {
        userWithConnections("clean");
        int before = control.writes().size();
        APIGatewayV2HTTPResponse clean = delete("clean");
        assertEquals(200, clean.getStatusCode(), clean.getBody());
        assertEquals(3, LocalApi.body(clean).path("connectionsDeleted").asInt());
        List<String> writes = control.writes().subList(before, control.writes().size());
        assertEquals(List.of("applyUserDeletion", "applyToConnection", "applyToConnection", "applyToConnection",
                "recordHistory", "forgetSecret"), writes);
        List<String> expected = shape("clean");
        assertTrue(expected.stream().filter(s -> s.startsWith("CONN")).allMatch(s -> s.contains("DELETED")));

        for (int k = 1; k <= writes.size(); k++) {
            String userId = "half-" + k;
            userWithConnections(userId);
            control.failBeforeWrite(k);
            APIGatewayV2HTTPResponse first = delete(userId);
            assertEquals(500, first.getStatusCode(), "failure before write " + k + " (" + writes.get(k - 1) + ")");
            APIGatewayV2HTTPResponse retry = delete(userId);
            assertEquals(200, retry.getStatusCode(), retry.getBody());
            assertEquals(expected, shape(userId), "after a failure before " + writes.get(k - 1) + " and a retry");
            assertFalse(api.secrets.credentials(userId).isPresent());
        }
    }

    @Test
    void snapTradesUserDeletedWebhookFinishesADeletionTheApiLeftHalfDone() {
        userWithConnections("clean");
        delete("clean");
        userWithConnections("by-webhook");
        control.failBeforeWrite(2); // the user is written DELETED, no connection yet
        assertEquals(500, delete("by-webhook").getStatusCode());
        assertEquals(3, api.connections.connections("by-webhook").stream()
                .filter(c -> c.status() != com.connectionkeeper.core.model.ConnectionStatus.DELETED).count());

        // SnapTrade's USER_DELETED for the same deletion arrives: older than ours, so stale — and it finishes the job
        new WebhookIngestion(api.connections, api.clock).ingest(new WebhookEvent("wh-1", "by-webhook",
                EventType.USER_DELETED, "USER_DELETED", api.clock.instant().minusSeconds(1), null, null, null, "{}"));

        assertTrue(api.connections.connections("by-webhook").stream()
                .allMatch(c -> c.status() == com.connectionkeeper.core.model.ConnectionStatus.DELETED));
        List<String> connections = shape("by-webhook").stream().filter(s -> s.startsWith("CONN")).toList();
        assertEquals(shape("clean").stream().filter(s -> s.startsWith("CONN"))
                .map(s -> s.replace("source=api", "source=webhook")).toList(), connections, "finished by the webhook");
    }

    /** How the first attempt of a registration fails. */
    private enum Step {
        INTENT_WRITE_FAILS, SNAPTRADE_UNREACHABLE, SNAPTRADE_ANSWER_LOST, SECRET_WRITE_FAILS, HISTORY_WRITE_FAILS
    }

    @Test
    void aRegistrationInterruptedAtAnyStepEndsRegisteredWithItsSecretStoredAfterARetry() {
        for (Step step : Step.values()) {
            String userId = "reg-" + step.name().toLowerCase().replace('_', '-');
            switch (step) {
                case INTENT_WRITE_FAILS -> control.failBeforeWrite(1);
                case SNAPTRADE_UNREACHABLE -> api.simulator.faults().inject(Endpoint.REGISTER_USER,
                        Fault.timeout(Duration.ofSeconds(3)).times(1));
                case SNAPTRADE_ANSWER_LOST -> api.simulator.faults().inject(Endpoint.REGISTER_USER,
                        Fault.lostAnswer(Duration.ofSeconds(3)).times(1));
                case SECRET_WRITE_FAILS -> control.failBeforeWrite(2);
                case HISTORY_WRITE_FAILS -> control.failBeforeWrite(3);
            }
            APIGatewayV2HTTPResponse first = register(userId);
            if (step == Step.HISTORY_WRITE_FAILS) {
                assertEquals(201, first.getStatusCode(), "the user is stored; only its history line is missing");
            } else {
                assertTrue(first.getStatusCode() >= 500, step + ": " + first.getStatusCode() + " " + first.getBody());
                APIGatewayV2HTTPResponse retry = register(userId);
                assertEquals(201, retry.getStatusCode(), step + ": " + retry.getBody());
            }
            String secret = api.secrets.credentials(userId).map(UserCredentials::userSecret).orElse(null);
            assertEquals(api.secretAtSnapTrade(userId), secret, step + ": the secret SnapTrade holds is stored");
            assertEquals(List.of(), gateway.listConnections(new UserCredentials(userId, secret)), step.name());
            assertEquals(1, api.simulator.control().users().stream().filter(userId::equals).count());
            assertNull(api.accounts.account(userId).orElseThrow().registeringSince(), "the intent is done");
            assertEquals(409, register(userId).getStatusCode(), "and a further retry is told it exists");
        }
    }

    @Test
    void aUserRegisteredElsewhereStaysAConflictHoweverOftenItIsAskedForAndIsNeverDeleted() {
        api.simulator.control().seedUser("elsewhere");
        for (int i = 0; i < 3; i++) { // the app retrying, or an operator repeating the call
            APIGatewayV2HTTPResponse r = register("elsewhere");
            assertEquals(409, r.getStatusCode());
            assertTrue(LocalApi.error(r).contains("import its secret"), LocalApi.error(r));
        }
        assertTrue(api.simulator.control().users().contains("elsewhere"), "never deleted: it is not ours");
        assertEquals(0, api.simulator.requests().count(Endpoint.DELETE_USER));
        assertTrue(api.accounts.account("elsewhere").isEmpty(),
                "a definite answer ends the intent: nothing left behind");
    }

    @Test
    void aUserRegisteredElsewhereBeforeOurUnansweredAttemptIsNotTakenForOurs() {
        // SnapTrade's USER_REGISTERED told us of a registration elsewhere; then our attempt got no answer (down)
        api.simulator.control().seedUser("known-elsewhere");
        api.connections.applyToUser(new WebhookEvent("wh-reg", "known-elsewhere", EventType.USER_REGISTERED,
                "USER_REGISTERED", api.clock.instant().minusSeconds(60), null, null, null, "{}"));
        api.simulator.faults().inject(Endpoint.REGISTER_USER, Fault.timeout(Duration.ofSeconds(3)).times(1));
        assertEquals(502, register("known-elsewhere").getStatusCode());

        APIGatewayV2HTTPResponse retry = register("known-elsewhere");

        assertEquals(409, retry.getStatusCode(), retry.getBody());
        assertEquals(0, api.simulator.requests().count(Endpoint.DELETE_USER), "not ours: never deleted");
    }

    @Test
    void aReRegistrationAfterADeletionWhoseAnswerIsLostIsStillRecovered() {
        assertEquals(201, register("again").getStatusCode());
        assertEquals(200, delete("again").getStatusCode()); // the earlier user's registeredAt stays on the item
        api.clock.advance(Duration.ofSeconds(1));
        api.simulator.faults().inject(Endpoint.REGISTER_USER, Fault.lostAnswer(Duration.ofSeconds(3)).times(1));
        assertEquals(502, register("again").getStatusCode());

        APIGatewayV2HTTPResponse retry = register("again");

        assertEquals(201, retry.getStatusCode(), retry.getBody());
        assertEquals(api.secretAtSnapTrade("again"), api.secrets.credentials("again").orElseThrow().userSecret());
    }

    @Test
    void aDefiniteFailureOfALaterAttemptKeepsAnEarlierAttemptsUnknownOutcome() {
        api.simulator.faults().inject(Endpoint.REGISTER_USER, Fault.lostAnswer(Duration.ofSeconds(3)).times(1));
        assertEquals(502, register("kept").getStatusCode()); // registered at SnapTrade, answer lost
        api.simulator.faults().inject(Endpoint.REGISTER_USER, Fault.snapTradeError(403, "1066").times(1));
        assertEquals(502, register("kept").getStatusCode()); // refused: definite, but for this attempt only

        APIGatewayV2HTTPResponse retry = register("kept");

        assertEquals(201, retry.getStatusCode(), retry.getBody());
        assertEquals(api.secretAtSnapTrade("kept"), api.secrets.credentials("kept").orElseThrow().userSecret());
    }

    @Test
    void overlappingAttemptsNeverRunTogether() {
        // attempt A holds the registration (e.g. slow at SnapTrade; API Gateway gave up and the app retried)
        assertEquals(com.connectionkeeper.accounts.AccountStore.RegistrationStart.STARTED,
                api.accounts.beginRegistration("overlap", api.clock.instant(), "attempt-a",
                        api.clock.instant().plus(UserService.REGISTRATION_LEASE)));

        APIGatewayV2HTTPResponse b = register("overlap");

        assertEquals(503, b.getStatusCode(), b.getBody());
        assertEquals("60", b.getHeaders().get("retry-after"));
        assertEquals(0, api.simulator.requests().count(Endpoint.REGISTER_USER), "B asked SnapTrade nothing");
        api.clock.advance(UserService.REGISTRATION_LEASE.plusSeconds(1)); // A died with its Lambda
        assertEquals(201, register("overlap").getStatusCode());
        assertEquals(api.secretAtSnapTrade("overlap"), api.secrets.credentials("overlap").orElseThrow().userSecret());
    }

    @Test
    void aSecretSnapTradeRejectedOnceIsRepairedByAResetAndTheUserIsBackInTheSweep() {
        List<String> ids = api.importedUser("alice", "!ALPACA:trade");
        String old = api.secretAtSnapTrade("alice");
        api.simulator.faults().inject(Endpoint.LOGIN, Fault.snapTradeError(401, "1083").times(1));
        assertEquals(422, api.reconnectLink("alice", ids.get(0), null).getStatusCode());
        assertTrue(api.secrets.credentials("alice").isEmpty(), "flagged");

        APIGatewayV2HTTPResponse r = reset("alice");

        assertEquals(200, r.getStatusCode(), r.getBody());
        assertEquals("{\"userId\":\"alice\",\"status\":\"ACTIVE\",\"secretReset\":true}", r.getBody());
        String fresh = api.secretAtSnapTrade("alice");
        assertFalse(old.equals(fresh));
        assertEquals(fresh, api.secrets.credentials("alice").orElseThrow().userSecret());
        assertTrue(api.sweepQueue.usersInSweepOrder().anyMatch(e -> e.userId().equals("alice")), "back in the sweep");
        assertEquals(200, api.reconnectLink("alice", ids.get(0), null).getStatusCode());
        assertFalse(r.getBody().contains(fresh), "the secret is never returned");
    }

    @Test
    void a404ThatIsNotSnapTradesBlamesNoUserOnAnyRoute() {
        List<String> ids = api.importedUser("carol", "!ALPACA:trade");
        var before = api.snapshot();
        for (Endpoint endpoint : List.of(Endpoint.LOGIN, Endpoint.LIST_AUTHORIZATIONS, Endpoint.RESET_USER_SECRET)) {
            api.simulator.faults().inject(endpoint, Fault.foreignError(404));
        }

        APIGatewayV2HTTPResponse link = api.reconnectLink("carol", ids.get(0), null);
        APIGatewayV2HTTPResponse imported = api.importSecret("carol", api.secretAtSnapTrade("carol"));
        APIGatewayV2HTTPResponse reset = reset("carol");

        for (APIGatewayV2HTTPResponse r : List.of(link, imported, reset)) {
            assertEquals(502, r.getStatusCode(), r.getBody());
            assertEquals("SnapTrade is unavailable; retry later", LocalApi.error(r));
        }
        assertTrue(api.secrets.credentials("carol").isPresent(), "not flagged, not asked to re-import");
        assertEquals(before, api.snapshot(), "nothing changed");
    }

    @Test
    void aResetSnapTradeRefusesChangesNothingAndSaysWhatHelps() {
        api.importedUser("bob", "ALPACA:read");
        gateway.resetUserSecret(api.secrets.credentials("bob").orElseThrow()); // rotated elsewhere: ours is dead
        var before = api.snapshot();

        APIGatewayV2HTTPResponse r = reset("bob");

        assertEquals(422, r.getStatusCode());
        assertTrue(LocalApi.error(r).contains("PUT /users/{userId}/secret"), LocalApi.error(r));
        assertEquals(before, api.snapshot());
        assertEquals(404, reset("nobody").getStatusCode());
        api.connections.applyToUser(new WebhookEvent("w", "webhook-only", EventType.USER_REGISTERED, "USER_REGISTERED",
                api.clock.instant(), null, null, null, "{}"));
        assertEquals(409, reset("webhook-only").getStatusCode(), "no secret stored to reset");
        APIGatewayV2HTTPEvent withField = LocalApi.event("api-reset-secret.json", "/users/bob/secret/reset",
                "{\"userSecret\":\"x\"}");
        assertEquals(400, invoke(withField).getStatusCode(), "no fields accepted");
    }
}
