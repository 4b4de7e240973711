package com.connectionkeeper.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.connectionkeeper.testkit.CloudFormationTemplate;
import com.connectionkeeper.testkit.RepoPaths;
import java.io.IOException;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * What the local stack reads from template.yaml: every function with its zip, handler, timeout and environment
 * (parameters resolved to the local values or their defaults, conditions evaluated), every route of the HTTP API with
 * its function and whether it is authorized. A template the local stack cannot read faithfully is an error naming
 * the place, not a guess (each proven on a broken copy).
 */
class LocalTemplateTest {
    private static final Map<String, String> LOCAL = Map.of("SnapTradeConsumerKey", "k", "SnapTradeClientId", "c",
            "ReconnectStateKey", "s".repeat(40), "JwtIssuer", "http://localhost:3000/local-identity",
            "JwtAudience", "aud");
    private static final Map<String, String> RESOURCES = Map.of("ConnectionsTable", "local-table",
            "LifecycleBus", "local-bus", "CredentialsSecret", "arn:local-secret", "KeeperKey.Arn", "arn:local-key");

    private static LocalTemplate template(String yaml) {
        return new LocalTemplate(RepoPaths.root(), CloudFormationTemplate.parse(yaml), LOCAL, RESOURCES);
    }

    private static String yaml() throws IOException {
        return Files.readString(RepoPaths.template());
    }

    @Test
    void everyFunctionWithItsZipHandlerAndEnvironment() throws IOException {
        LocalTemplate t = template(yaml());
        List<LocalTemplate.Function> functions = t.functions();
        assertEquals(List.of("WebhookFunction", "SweepFunction", "SecretMigrationFunction", "LifecycleFunction",
                "ReminderFunction", "ApiFunction"), functions.stream().map(LocalTemplate.Function::logicalId).toList());
        for (LocalTemplate.Function f : functions) {
            assertTrue(f.zip().startsWith(RepoPaths.root().resolve("functions")), f.zip().toString());
            assertTrue(f.zip().toString().endsWith(".zip"));
            assertEquals("local-table", f.environment().get("TABLE_NAME"), f.logicalId() + ": the Globals' table");
            assertEquals("400", f.environment().get("HISTORY_RETENTION_DAYS"), "a parameter's default");
        }
        LocalTemplate.Function webhook = t.function("WebhookFunction");
        assertEquals("com.connectionkeeper.webhook.WebhookHandler::handleRequest", webhook.handler());
        assertEquals(Duration.ofSeconds(15), webhook.timeout(), "the Globals' timeout");
        assertEquals("arn:local-secret", webhook.environment().get("CREDENTIALS_SECRET_ID"),
                "CredentialsSecretArn empty: the condition CreateCredentialsSecret holds, the created secret");
        assertFalse(webhook.environment().containsKey("SNAPTRADE_CONSUMER_KEY"), "no secret in the environment");
        assertFalse(webhook.environment().containsKey("SECRET_SEALING"), "the webhook neither seals nor opens");
        assertEquals(Duration.ofSeconds(60), t.function("LifecycleFunction").timeout());
        assertEquals(Duration.ofSeconds(900), t.function("SweepFunction").timeout(), "!Ref SweepTimeoutSeconds");
        assertEquals("local-bus", t.function("LifecycleFunction").environment().get("EVENT_BUS_NAME"));
        Map<String, String> api = t.function("ApiFunction").environment();
        assertEquals("JWT", api.get("AUTH_MODE"), "JwtIssuer set: the condition UseJwt holds");
        assertEquals("arn:local-key", api.get("SECRET_SEALING_KEY_ID"), "!GetAtt KeeperKey.Arn");
        assertEquals("kms", api.get("SECRET_SEALING"));
        assertFalse(api.containsKey("RECONNECT_STATE_KEY") || api.containsKey("RETURN_OUTCOME_KEY"),
                "the link keys are in the secret");
        assertEquals("4", api.get("SNAPTRADE_RETRY_BUDGET_SECONDS"));
    }

    @Test
    void everyRouteWithItsFunctionAndAuthorization() throws IOException {
        List<LocalTemplate.Route> routes = template(yaml()).routes();
        assertEquals(8, routes.size(), routes.toString());
        LocalTemplate.Route webhook = routes.stream().filter(r -> r.path().equals("/webhooks/snaptrade")).findFirst()
                .orElseThrow();
        assertEquals("POST", webhook.method());
        assertEquals("WebhookFunction", webhook.function());
        assertFalse(webhook.authorized());
        LocalTemplate.Route landing = routes.stream().filter(r -> r.path().equals("/reconnect/return")).findFirst()
                .orElseThrow();
        assertFalse(landing.authorized());
        List<LocalTemplate.Route> managed = routes.stream().filter(r -> r.path().startsWith("/users")).toList();
        assertEquals(6, managed.size());
        assertTrue(managed.stream().allMatch(r -> r.authorized() && r.function().equals("ApiFunction")));
    }

    @Test
    void anEnvironmentValueItCannotResolveIsAnErrorNamingIt() throws IOException {
        String broken = yaml().replace("EVENT_BUS_NAME: !Ref LifecycleBus",
                "EVENT_BUS_NAME: !GetAtt LifecycleBus.Name");
        assertTrue(!broken.equals(yaml()));
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> template(broken).functions());
        assertTrue(e.getMessage().contains("LifecycleFunction.EVENT_BUS_NAME"), e.getMessage());
    }

    @Test
    void aReferenceToNothingIsAnErrorNamingIt() throws IOException {
        String broken = yaml().replace("REMINDER_CADENCE: !Ref ReminderCadence",
                "REMINDER_CADENCE: !Ref ReminderCadance");
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> template(broken).functions());
        assertTrue(e.getMessage().contains("ReminderCadance"), e.getMessage());
    }

    @Test
    void aRouteWhoseIntegrationIsNotAFunctionIsAnError() throws IOException {
        String broken = yaml().replace("IntegrationUri: !Ref WebhookFunction.Alias",
                "IntegrationUri: https://example.com/hook");
        assertTrue(!broken.equals(yaml()));
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> template(broken).routes());
        assertTrue(e.getMessage().contains("IntegrationUri"), e.getMessage());
    }

    @Test
    void aResourcesPropertiesResolveAsTheEnvironmentDoes() throws IOException {
        LocalTemplate t = template(yaml());
        CloudFormationTemplate cfn = t.template();
        assertEquals("connection-keeper-local-lifecycle",
                t.resolve(cfn.resource("LifecycleBus").path("Properties").path("Name"), "LifecycleBus.Name"),
                "!Sub ${AWS::StackName}-lifecycle");
        // the credentials secret's text: the one JSON object the template builds from the parameters
        String secret = t.resolve(cfn.resource("CredentialsSecret").path("Properties").path("SecretString"),
                "CredentialsSecret.SecretString");
        assertEquals("{\"SNAPTRADE_CLIENT_ID\": \"c\", \"SNAPTRADE_CONSUMER_KEY\": \"k\", \"RECONNECT_STATE_KEY\": \""
                + "s".repeat(40) + "\", \"RETURN_OUTCOME_KEY\": \"\"}", secret);
        assertEquals("local-table", t.resolve(cfn.tree().path("Globals").path("Function").path("Environment")
                .path("Variables").path("TABLE_NAME"), "Globals.TABLE_NAME"), "a resource's stand-in");
        IllegalStateException noValue = assertThrows(IllegalStateException.class, () -> t.resolve(
                cfn.resource("KeeperHttpApi").path("Properties").path("CorsConfiguration"), "KeeperHttpApi.Cors"));
        assertTrue(noValue.getMessage().contains("KeeperHttpApi.Cors is AWS::NoValue"), noValue.getMessage());
        IllegalStateException missing = assertThrows(IllegalStateException.class,
                () -> t.resolve(cfn.resource("LifecycleBus").path("Properties").path("Nmae"), "LifecycleBus.Nmae"));
        assertTrue(missing.getMessage().contains("LifecycleBus.Nmae"), missing.getMessage());
    }

    @Test
    void anOverrideOfNoParameterIsRefused() throws IOException {
        assertThrows(IllegalArgumentException.class, () -> new LocalTemplate(RepoPaths.root(),
                CloudFormationTemplate.parse(yaml()), Map.of("NoSuchParameter", "x"), RESOURCES));
    }

    @Test
    void pathsMatchAsApiGatewayMatchesThem() {
        LocalTemplate.Route link = new LocalTemplate.Route("POST",
                "/users/{userId}/connections/{connectionId}/reconnect-link", "ApiFunction", true);
        assertEquals(Map.of("userId", "alice", "connectionId", "c-1"),
                Gateway.match(link, "POST", "/users/alice/connections/c-1/reconnect-link"));
        assertEquals(null, Gateway.match(link, "GET", "/users/alice/connections/c-1/reconnect-link"));
        assertEquals(null, Gateway.match(link, "POST", "/users/alice/connections//reconnect-link"));
        assertEquals(null, Gateway.match(link, "POST", "/users/alice/connections/c-1/reconnect-link/x"));
        assertEquals(Map.of(), Gateway.match(new LocalTemplate.Route("POST", "/users", "ApiFunction", true), "POST",
                "/users"));
    }
}
