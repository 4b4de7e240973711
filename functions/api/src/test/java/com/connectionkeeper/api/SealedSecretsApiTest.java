package com.connectionkeeper.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.connectionkeeper.core.secrets.LocalSealer;
import com.connectionkeeper.simulator.Endpoint;
import com.connectionkeeper.store.DynamoStores;
import com.connectionkeeper.testkit.Dynalite;
import com.connectionkeeper.testkit.Integration;
import com.connectionkeeper.testkit.StdoutCapture;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * The API stores users' secrets sealed and opens them only to call SnapTrade; a secret that does not open is a clear
 * error that names no secret and calls nobody.
 */
@Integration
class SealedSecretsApiTest {
    private final LocalApi api = new LocalApi();

    @AfterEach
    void stop() {
        api.close();
    }

    @Test
    void registrationImportAndResetStoreOnlySealedSecrets() {
        assertEquals(201, api.register("registered").getStatusCode());
        api.importedUser("imported", "ALPACA:read");
        api.secrets.saveUserSecret("reset", api.simulator.control().seedUser("reset"));
        APIGatewayV2HTTPResponse reset = api.invoke(LocalApi.request("api-reset-secret.json", "POST",
                "/users/reset/secret/reset", null));
        assertEquals(200, reset.getStatusCode(), reset.getBody());

        for (String user : List.of("registered", "imported", "reset")) {
            Map<String, AttributeValue> item = api.items(user, "USER").get(0);
            assertTrue(item.containsKey("sealedSecret"), user);
            assertFalse(item.containsKey("userSecret"), user);
            String atSnapTrade = api.secretAtSnapTrade(user);
            item.values().forEach(v -> assertFalse(String.valueOf(v.s()).contains(atSnapTrade), user));
            assertEquals(atSnapTrade, api.secrets.credentials(user).orElseThrow().userSecret(), "opens for " + user);
        }
    }

    @Test
    void aSecretSealedWithAnotherKeyIsAClearErrorAndNoCall() {
        List<String> ids = api.importedUser("alice", "!ALPACA:read");
        DynamoStores.create(Dynalite.client(), api.table, Duration.ofDays(1), new LocalSealer(new byte[32]))
                .secrets().saveUserSecret("alice", api.secretAtSnapTrade("alice"));
        int loginsBefore = api.simulator.requests().count(Endpoint.LOGIN);

        try (StdoutCapture log = new StdoutCapture()) {
            APIGatewayV2HTTPResponse r = api.reconnectLink("alice", ids.get(0), null);

            assertEquals(500, r.getStatusCode(), r.getBody());
            assertTrue(LocalApi.error(r).contains("cannot be opened by this deployment"), r.getBody());
            api.assertNoSecret(r);
            assertEquals(1, log.errors().stream().filter(l -> l.contains("\"api_secret_unreadable\"")
                    && l.contains("\"kind\":\"REFUSED\"") && l.contains("\"userId\":\"alice\"")).count(),
                    String.valueOf(log.lines()));
            log.lines().forEach(l -> assertFalse(l.contains(api.secretAtSnapTrade("alice")), l));
        }
        assertEquals(loginsBefore, api.simulator.requests().count(Endpoint.LOGIN), "SnapTrade was not asked");
        assertEquals(200, api.connections("alice").getStatusCode(), "what needs no secret still works");

        APIGatewayV2HTTPResponse again = api.importSecret("alice", api.secretAtSnapTrade("alice"));
        assertEquals(200, again.getStatusCode(), "importing the secret again heals it");
        assertEquals(200, api.reconnectLink("alice", ids.get(0), null).getStatusCode());
    }
}
