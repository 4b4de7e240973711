package com.connectionkeeper.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.connectionkeeper.accounts.ReturnState;
import com.connectionkeeper.api.token.ReturnStateCodec;
import com.connectionkeeper.api.token.StateCheck;
import com.connectionkeeper.core.config.CachedSecrets;
import com.connectionkeeper.core.config.Config;
import com.connectionkeeper.core.config.EnvironmentConfig;
import com.connectionkeeper.core.config.SecretSource;
import com.connectionkeeper.core.config.SecretsConfig;
import com.connectionkeeper.core.runtime.Entropy;
import com.connectionkeeper.kms.Sealers;
import com.connectionkeeper.testkit.Integration;
import com.connectionkeeper.testkit.RecordingDynamo;
import com.connectionkeeper.testkit.StdoutCapture;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.GetItemRequest;

/**
 * The API's SnapStart hooks, called directly (no CRaC JVM here): priming goes through the event translation, the
 * router, the state codec, the SnapTrade SDK's JSON and one table read of an item nothing writes — no write, no request
 * to SnapTrade, no one's data; a restore reads the secrets again at once (a state key rotated while the snapshot waited
 * is in force from the first request) and re-seeds the randomness of nonces and jitter.
 */
@Integration
class ApiSnapStartTest extends AliceWithOneConnection {
    private static final String ROTATED_STATE_KEY = "ck-api-test-reconnect-state-key-after-the-rotation-42";
    private final AtomicInteger reads = new AtomicInteger();
    private volatile String stateKey = LocalApi.STATE_KEY;

    /** The production wiring with its secrets from a source the test rotates (as Secrets Manager would). */
    private Config rotatingConfig() {
        Map<String, String> env = new HashMap<>(api.env);
        env.remove(EnvironmentConfig.SNAPTRADE_CONSUMER_KEY);
        env.remove("SNAPTRADE_CLIENT_ID");
        env.remove(ApiSettings.ENV_STATE_KEY);
        env.remove(Sealers.SECRET_SEALING_KEY);
        SecretSource source = new SecretSource() {
            @Override
            public Map<String, String> read() {
                reads.incrementAndGet();
                return Map.of(EnvironmentConfig.SNAPTRADE_CONSUMER_KEY, LocalApi.CONSUMER_KEY,
                        "SNAPTRADE_CLIENT_ID", LocalApi.CLIENT_ID, ApiSettings.ENV_STATE_KEY, stateKey,
                        Sealers.SECRET_SEALING_KEY, api.sealingKey);
            }

            @Override
            public String describe() {
                return "test secret";
            }
        };
        return new SecretsConfig(env, new CachedSecrets(source, api.clock, Duration.ofMinutes(5),
                Duration.ofSeconds(30)));
    }

    /** A state for alice's connection signed with the rotated key (as a container that saw the rotation mints). */
    private String stateSignedAfterTheRotation() {
        return ReturnStateCodec.fromSecret(ROTATED_STATE_KEY).sign(new ReturnState("alice", c, "",
                ReturnState.randomNonce(), api.clock.instant().plus(Duration.ofMinutes(10))));
    }

    private APIGatewayV2HTTPResponse land(ApiHandler handler, String state) {
        return handler.handleRequest(LocalApi.routed(landing(state)), null);
    }

    private static com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent landing(String state) {
        var e = LocalApi.event("api-reconnect-return.json");
        e.setQueryStringParameters(Map.of("state", state, "status", "SUCCESS"));
        e.setRawQueryString(null);
        return e;
    }

    @Test
    void primingWritesNothingCallsNoSnapTradeAndReadsOnlyAnItemNothingWrites() {
        List<Object> requests = new ArrayList<>();
        DynamoDbClient recording = RecordingDynamo.client(requests);
        ApiHandler handler = new ApiHandler(ApiHandler.wire(new EnvironmentConfig(api.env), recording, api.clock));
        var before = api.scan();
        api.simulator.requests().clear();

        ApiHandler.Primed primed;
        List<String> logged;
        try (StdoutCapture out = new StdoutCapture()) {
            primed = handler.prime();
            logged = out.lines();
        }

        assertEquals(401, primed.status(), "the priming request is refused before anything is read");
        assertEquals(new ApiSnapStart.Priming(true, true, true, true), primed.priming());
        assertEquals(before, api.scan(), "priming wrote nothing");
        assertEquals(List.of(), api.simulator.requests().all(), "no request to SnapTrade");
        assertEquals(1, requests.size(), requests.toString());
        assertEquals("PRIMING", ((GetItemRequest) requests.get(0)).key().get("pk").s());
        assertTrue(logged.stream().anyMatch(l -> l.contains("\"event\":\"snapstart_primed\"")), logged.toString());
        for (String line : logged) {
            assertFalse(line.contains(LocalApi.STATE_KEY) || line.contains(LocalApi.CONSUMER_KEY), line);
            assertFalse(line.contains("\"_aws\""), "priming counts no metric: " + line);
        }
    }

    @Test
    void aRestoreMakesTheFirstRequestReadTheSecretsSoARotatedStateKeyIsInForceAtOnce() {
        ApiHandler handler = new ApiHandler(ApiHandler.wire(rotatingConfig(), null, api.clock));
        handler.prime();
        assertEquals(1, reads.get(), "read at init");

        stateKey = ROTATED_STATE_KEY; // rotated in Secrets Manager while the snapshot waited
        handler.afterRestore(null);
        assertEquals(1, reads.get(), "no network call in the restore hook (Lambda allows it 10 s)");

        APIGatewayV2HTTPResponse link = handler.handleRequest(LocalApi.event("api-reconnect-link.json",
                "/users/alice/connections/" + c + "/reconnect-link", null), null);
        assertEquals(200, link.getStatusCode(), link.getBody());
        String state = api.lastState();
        assertTrue(ReturnStateCodec.fromSecret(ROTATED_STATE_KEY).verify(state, api.clock.instant())
                instanceof StateCheck.Valid, "the link minted after the restore is signed with the rotated key");
        assertTrue(land(handler, state).getStatusCode() < 400, "and lands");
        assertEquals(2, reads.get(), "read once, at the first request after the restore, within the TTL and 30 s");
    }

    @Test
    void withoutTheRestoreHookTheSnapshotsKeyWouldRefuseTheLink() {
        ApiHandler handler = new ApiHandler(ApiHandler.wire(rotatingConfig(), null, api.clock));
        stateKey = ROTATED_STATE_KEY;

        APIGatewayV2HTTPResponse refused = land(handler, stateSignedAfterTheRotation());
        assertEquals(400, refused.getStatusCode(), "a read right after init is not repeated within 30 s");
        assertTrue(refused.getBody().contains("not valid or has expired"), refused.getBody());
    }

    @Test
    void aRestoreReseedsTheNoncesRandomness() {
        ApiHandler handler = new ApiHandler(ApiHandler.wire(rotatingConfig(), null, api.clock));
        long before = Entropy.generation();
        handler.afterRestore(null);
        assertEquals(before + 1, Entropy.generation());
    }

    @Test
    void primingThatFailsIsLoggedAndDoesNotFailTheSnapshot() {
        Map<String, String> env = new HashMap<>(api.env);
        env.put(EnvironmentConfig.TABLE_NAME, "no-such-table-" + System.nanoTime());
        ApiHandler handler = new ApiHandler(ApiHandler.wire(new EnvironmentConfig(env), null, api.clock));
        // Lambda fails the version when the hook throws
        List<String> logged = StdoutCapture.linesOf(() -> handler.beforeCheckpoint(null));
        assertTrue(logged.stream().anyMatch(l -> l.contains("\"event\":\"snapstart_priming_failed\"")
                && l.contains("\"step\":\"store\"")), logged.toString());
        assertEquals(new ApiSnapStart.Priming(true, true, true, false), handler.prime().priming());
    }
}
