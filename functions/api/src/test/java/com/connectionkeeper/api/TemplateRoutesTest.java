package com.connectionkeeper.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.connectionkeeper.testkit.CloudFormationTemplate;
import com.connectionkeeper.testkit.Fixtures;
import com.connectionkeeper.testkit.Integration;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * The template and the function agree: every route the function serves is declared, each to the right function,
 * public exactly where it must be, and the function gets every setting it reads.
 */
@Integration
class TemplateRoutesTest {
    private static final Set<String> PUBLIC = Set.of("POST /webhooks/snaptrade", "GET /reconnect/return");
    private final CloudFormationTemplate template = CloudFormationTemplate.load();

    /** Route key to the route's properties. */
    private Map<String, JsonNode> routes() {
        return LocalApi.declaredRoutes(template);
    }

    @Test
    void everyApiEventsRouteIsDeclaredForTheApiFunction() {
        Map<String, JsonNode> routes = routes();
        Set<String> served = new TreeSet<>();
        for (String name : Fixtures.jsonNames()) {
            if (name.startsWith("api-")) {
                APIGatewayV2HTTPEvent event = LocalApi.event(name);
                served.add(event.getRouteKey());
            }
        }
        assertEquals(7, served.size(), "the API's seven routes: " + served);
        for (String key : served) {
            JsonNode route = routes.get(key);
            assertTrue(route != null, key + " is not declared in template.yaml");
            assertEquals("integrations/${ApiIntegration}", route.path("Target").path("Fn::Sub").asText(), key);
        }
        assertEquals(Optional.of(new CloudFormationTemplate.Invocation("ApiFunction", true)),
                CloudFormationTemplate.invocation(template.resource("ApiIntegration").path("Properties")
                        .path("IntegrationUri")), "the API function's alias (SnapStart)");
        Set<String> declared = new TreeSet<>(routes.keySet());
        declared.remove("POST /webhooks/snaptrade");
        assertEquals(served, declared, "no route is declared that the function does not serve");
    }

    @Test
    void onlyTheWebhookAndTheReturnLandingArePublic() {
        routes().forEach((key, route) -> {
            JsonNode auth = route.path("AuthorizationType");
            if (PUBLIC.contains(key)) {
                assertEquals("NONE", auth.asText(), key);
            } else {
                assertEquals("[\"UseJwt\",\"JWT\",\"AWS_IAM\"]", auth.path("Fn::If").toString(), key);
                assertEquals("UseJwt", route.path("AuthorizerId").path("Fn::If").get(0).asText(), key);
            }
        });
    }

    @Test
    void theFunctionGetsEverySettingItReadsAndItsSecretsFromTheCredentialsSecret() {
        JsonNode env = template.resource("ApiFunction").path("Properties").path("Environment").path("Variables");
        for (String name : Set.of(ApiSettings.ENV_ALLOW_LIST, ApiSettings.ENV_AUTH_MODE,
                ApiSettings.ENV_JWT_USER_CLAIM, ApiSettings.ENV_LANDING_URL, ApiSettings.ENV_STATE_TTL_MINUTES,
                ApiSettings.ENV_LINKS_PER_WINDOW, ApiSettings.ENV_LINK_WINDOW_SECONDS,
                "CREDENTIALS_SECRET_ID", "CREDENTIALS_TTL_SECONDS", "SECRET_SEALING", "SECRET_SEALING_KEY_ID")) {
            assertTrue(env.has(name), name + " is not set for ApiFunction");
        }
        for (String secret : Set.of(ApiSettings.ENV_STATE_KEY, ApiSettings.ENV_OUTCOME_KEY, "SNAPTRADE_CLIENT_ID",
                "SNAPTRADE_CONSUMER_KEY")) {
            assertFalse(env.has(secret), secret + " is a secret: in the credentials secret, never the environment");
        }
        String created = template.resource("CredentialsSecret").path("Properties").path("SecretString")
                .path("Fn::Sub").asText();
        JsonNode secret;
        try {
            secret = LocalApi.JSON.readTree(created.replaceAll("\\$\\{\\w+}", "value"));
        } catch (java.io.IOException e) {
            throw new AssertionError("the created secret is not JSON: " + created, e);
        }
        Set<String> keys = new TreeSet<>();
        secret.fieldNames().forEachRemaining(keys::add);
        assertEquals(new TreeSet<>(Set.of(ApiSettings.ENV_STATE_KEY, ApiSettings.ENV_OUTCOME_KEY, "SNAPTRADE_CLIENT_ID",
                "SNAPTRADE_CONSUMER_KEY")), keys, "the secret the template creates: one JSON object of these strings");
        JsonNode outcomeKey = template.tree().path("Parameters").path("ReturnOutcomeKey");
        assertTrue(outcomeKey.path("NoEcho").asBoolean(), "ReturnOutcomeKey is NoEcho");
        assertEquals("", outcomeKey.path("Default").asText("missing"), "ReturnOutcomeKey is optional");
        JsonNode globals = template.tree().path("Globals").path("Function").path("Environment").path("Variables");
        assertTrue(globals.has("TABLE_NAME"));
    }
}
