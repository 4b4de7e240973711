package com.connectionkeeper.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.connectionkeeper.testkit.CloudFormationTemplate;
import com.connectionkeeper.testkit.Integration;
import com.connectionkeeper.testkit.RepoPaths;
import com.connectionkeeper.testkit.TemplateChecks;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * template.yaml against the built zips (this module builds after every function): each function's handler is a class
 * Lambda can run, each function has a log group with a retention, each route reaches a function API Gateway may
 * invoke for it. Each check fails on a broken copy of the template.
 */
@Integration
class TemplateChecksTest {
    @TempDir
    Path scratch;

    private List<String> problems(ObjectNode template) {
        return new TemplateChecks(template, RepoPaths.root(), scratch).problems();
    }

    private static ObjectNode template() {
        return (ObjectNode) CloudFormationTemplate.load().tree().deepCopy();
    }

    private static ObjectNode properties(ObjectNode template, String resource) {
        return (ObjectNode) template.path("Resources").path(resource).path("Properties");
    }

    @Test
    void theTemplateAsItIs() {
        assertEquals(List.of(), problems(template()));
    }

    @Test
    void aHandlerClassThatIsNotInItsZipFails() {
        ObjectNode broken = template();
        properties(broken, "WebhookFunction").put("Handler",
                "com.connectionkeeper.webhook.WebhookHandlr::handleRequest");
        assertEquals(List.of("WebhookFunction: no class com.connectionkeeper.webhook.WebhookHandlr in "
                + "functions/webhook/target/webhook.zip"), problems(broken));
    }

    @Test
    void aHandlerInAnotherFunctionsZipFails() {
        ObjectNode broken = template();
        properties(broken, "WebhookFunction").put("Handler", "com.connectionkeeper.api.ApiHandler::handleRequest");
        assertEquals(List.of("WebhookFunction: no class com.connectionkeeper.api.ApiHandler in "
                + "functions/webhook/target/webhook.zip"), problems(broken));
    }

    @Test
    void aClassThatIsNoHandlerOrAWrongMethodFails() {
        ObjectNode broken = template();
        properties(broken, "WebhookFunction").put("Handler",
                "com.connectionkeeper.webhook.WebhookEndpoint::handleRequest");
        properties(broken, "SweepFunction").put("Handler", "com.connectionkeeper.sweep.SweepHandler::handle");
        assertEquals(List.of(
                "WebhookFunction: com.connectionkeeper.webhook.WebhookEndpoint implements no Lambda handler interface",
                "WebhookFunction: com.connectionkeeper.webhook.WebhookEndpoint has no public method handleRequest",
                "WebhookFunction: SnapStart, but com.connectionkeeper.webhook.WebhookEndpoint has no runtime hooks "
                        + "(org.crac.Resource): its secrets would be as old as the snapshot",
                "WebhookFunction: com.connectionkeeper.webhook.WebhookEndpoint has no public no-arg constructor for "
                        + "Lambda",
                "SweepFunction: com.connectionkeeper.sweep.SweepHandler has no public method handle"),
                problems(broken));
    }

    @Test
    void aFunctionWithoutItsLogGroupOrItsRetentionFails() {
        ObjectNode broken = template();
        ((ObjectNode) broken.path("Resources")).remove("SweepFunctionLogGroup");
        properties(broken, "ApiFunctionLogGroup").remove("RetentionInDays");
        assertEquals(List.of(
                "SweepFunction: no log group /aws/lambda/${SweepFunction} (Lambda would create one that keeps logs "
                        + "forever)",
                "ApiFunction: its log group keeps logs forever (no RetentionInDays)"), problems(broken));
    }

    @Test
    void aRouteWithoutItsPermissionOrIntegrationFails() {
        ObjectNode broken = template();
        ((ObjectNode) broken.path("Resources")).remove("WebhookInvokePermission");
        properties(broken, "ReconnectReturnRoute").putObject("Target").put("Fn::Sub", "integrations/${Nothing}");
        assertEquals(List.of(
                "POST /webhooks/snaptrade: no permission lets API Gateway invoke WebhookFunction.Alias for this route",
                "GET /reconnect/return (ReconnectReturnRoute): no integration that invokes a function"),
                problems(broken));
    }

    @Test
    void aSnapStartFunctionInvokedUnqualifiedFails() {
        ObjectNode broken = template();
        properties(broken, "WebhookIntegration").putObject("IntegrationUri").putArray("Fn::GetAtt")
                .add("WebhookFunction").add("Arn");
        assertEquals(List.of(
                "POST /webhooks/snaptrade: invokes WebhookFunction unqualified ($LATEST), which SnapStart does not "
                        + "cover: invoke !Ref WebhookFunction.Alias",
                "POST /webhooks/snaptrade: no permission lets API Gateway invoke WebhookFunction for this route"),
                problems(broken));
    }

    @Test
    void aPermissionForTheFunctionInsteadOfItsAliasFails() {
        ObjectNode broken = template();
        properties(broken, "ApiInvokePermission").putObject("FunctionName").put("Ref", "ApiFunction");
        List<String> problems = problems(broken);
        assertEquals(7, problems.size(), problems.toString());
        for (String problem : problems) {
            assertTrue(problem.endsWith(": no permission lets API Gateway invoke ApiFunction.Alias for this route"),
                    problem);
        }
    }

    @Test
    void snapStartWithoutAnAliasOrRuntimeHooksFails() {
        ObjectNode broken = template();
        properties(broken, "SweepFunction").putObject("SnapStart").put("ApplyOn", "PublishedVersions");
        properties(broken, "ApiFunction").remove("AutoPublishAlias");
        List<String> problems = problems(broken);
        assertEquals(List.of(
                "SweepFunction: SnapStart, but com.connectionkeeper.sweep.SweepHandler has no runtime hooks "
                        + "(org.crac.Resource): its secrets would be as old as the snapshot",
                "SweepFunction: SnapStart applies to published versions, but it has no AutoPublishAlias",
                "ApiFunction: SnapStart applies to published versions, but it has no AutoPublishAlias"),
                problems.stream().filter(p -> !p.contains(" /")).toList());
        assertEquals(7, problems.stream().filter(p -> p.endsWith(
                ": invokes ApiFunction.Alias, but ApiFunction has no AutoPublishAlias")).count(), problems.toString());
    }

    @Test
    void aParameterTheEnvironmentReadsButTheVersionDescriptionDoesNotFails() {
        ObjectNode broken = template();
        ObjectNode sub = (ObjectNode) properties(broken, "ApiFunction").path("VersionDescription");
        ((com.fasterxml.jackson.databind.node.ArrayNode) sub.path("Fn::Sub")).set(0,
                com.fasterxml.jackson.databind.node.TextNode.valueOf("settings: secret=${Secret} auth=${Auth}"));
        properties(broken, "WebhookFunction").remove("VersionDescription");
        assertEquals(List.of(
                "WebhookFunction: published through an alias, but a change of [CredentialsRefreshSeconds, "
                        + "CredentialsSecretArn, HistoryRetentionDays] would publish no version (not in its "
                        + "VersionDescription)",
                "ApiFunction: published through an alias, but a change of [AppReservedRequestsPerMinute, "
                        + "CredentialsRefreshSeconds, HistoryRetentionDays, InteractiveReservedRequestsPerMinute, "
                        + "JwtUserClaim, ReconnectLinkWindowSeconds, ReconnectLinksPerWindow, "
                        + "ReconnectStateTtlMinutes, ReturnLandingUrl, ReturnUrlAllowList, "
                        + "SnapTradeFallbackRequestsPerMinute, SnapTradeRateLimitPerMinute] would publish no version "
                        + "(not in its VersionDescription)"), problems(broken));
    }
}
