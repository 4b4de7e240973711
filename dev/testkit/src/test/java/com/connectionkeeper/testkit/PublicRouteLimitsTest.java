package com.connectionkeeper.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Issue 9, item 1: what one anonymous caller can cost is bounded in template.yaml — the public routes are throttled
 * on the API's stage, and the function behind the webhook route has a concurrency bound. The check is run against
 * broken copies too, so it is known to fail when a bound goes missing.
 */
class PublicRouteLimitsTest {
    static final List<String> PUBLIC_ROUTES = List.of("POST /webhooks/snaptrade", "GET /reconnect/return");
    static final String WEBHOOK_ROUTE = "POST /webhooks/snaptrade";

    @Test
    void thePublicRoutesAreThrottledAndTheWebhookFunctionsConcurrencyIsBounded() {
        assertEquals(List.of(), problems(CloudFormationTemplate.load().tree()));
    }

    @Test
    void aMissingThrottleIsReported() {
        JsonNode broken = CloudFormationTemplate.load().tree();
        ObjectNode settings = (ObjectNode) stage(broken).path("Properties").path("RouteSettings");
        settings.remove(WEBHOOK_ROUTE);
        ((ObjectNode) settings.path("GET /reconnect/return")).remove("ThrottlingBurstLimit");

        assertEquals(List.of("POST /webhooks/snaptrade: no RouteSettings on the stage",
                "GET /reconnect/return: no ThrottlingBurstLimit"), problems(broken));
    }

    @Test
    void aThrottleOfZeroOrWithoutADefaultIsReported() {
        JsonNode broken = CloudFormationTemplate.load().tree();
        ((ObjectNode) broken.path("Parameters").path("WebhookThrottleRateLimit")).put("Default", 0);
        ((ObjectNode) broken.path("Parameters").path("ReturnLandingThrottleBurstLimit")).remove("Default");

        assertEquals(List.of("POST /webhooks/snaptrade: ThrottlingRateLimit is not a positive number: 0",
                "GET /reconnect/return: ThrottlingBurstLimit is not a positive number: "
                        + "parameter ReturnLandingThrottleBurstLimit without a Default"), problems(broken));
    }

    @Test
    void aStageThatDoesNotWaitForTheRoutesItSetsIsReported() {
        JsonNode broken = CloudFormationTemplate.load().tree();
        ((ObjectNode) stage(broken)).remove("DependsOn");

        assertEquals(List.of("POST /webhooks/snaptrade: the stage does not DependsOn its route WebhookRoute",
                "GET /reconnect/return: the stage does not DependsOn its route ReconnectReturnRoute"),
                problems(broken));
    }

    @Test
    void aWebhookFunctionWithoutAConcurrencyBoundIsReported() {
        JsonNode broken = CloudFormationTemplate.load().tree();
        ((ObjectNode) broken.path("Resources").path("WebhookFunction").path("Properties"))
                .remove("ReservedConcurrentExecutions");

        assertEquals(List.of("WebhookFunction: no ReservedConcurrentExecutions"), problems(broken));
    }

    @Test
    void aReservationOfZeroByDefaultIsReported() {
        JsonNode broken = CloudFormationTemplate.load().tree();
        ((ObjectNode) broken.path("Parameters").path("WebhookReservedConcurrency")).put("Default", 0);

        assertEquals(List.of("WebhookFunction: ReservedConcurrentExecutions is not a positive number: 0"),
                problems(broken));
    }

    /** What is missing for the bounds to hold, as readable lines; empty when they hold. */
    static List<String> problems(JsonNode template) {
        List<String> problems = new ArrayList<>();
        JsonNode resources = template.path("Resources");
        JsonNode stage = stage(template);
        for (String routeKey : PUBLIC_ROUTES) {
            String route = routeWithKey(resources, routeKey);
            if (route == null) {
                problems.add(routeKey + ": no such route");
                continue;
            }
            JsonNode settings = stage.path("Properties").path("RouteSettings").path(routeKey);
            if (settings.isMissingNode()) {
                problems.add(routeKey + ": no RouteSettings on the stage");
                continue;
            }
            for (String limit : List.of("ThrottlingRateLimit", "ThrottlingBurstLimit")) {
                if (!settings.has(limit)) {
                    problems.add(routeKey + ": no " + limit);
                } else {
                    String value = positiveNumber(template, settings.get(limit));
                    if (value != null) {
                        problems.add(routeKey + ": " + limit + " is not a positive number: " + value);
                    }
                }
            }
            if (!dependsOn(stage).contains(route)) {
                problems.add(routeKey + ": the stage does not DependsOn its route " + route);
            }
        }
        String function = functionBehind(resources, routeWithKey(resources, WEBHOOK_ROUTE));
        JsonNode reserved = resources.path(function).path("Properties").path("ReservedConcurrentExecutions");
        if (reserved.isMissingNode()) {
            problems.add(function + ": no ReservedConcurrentExecutions");
        } else {
            // !If [condition, value, !Ref AWS::NoValue]: the value is what the default deployment gets
            JsonNode value = reserved.has("Fn::If") ? reserved.get("Fn::If").get(1) : reserved;
            String wrong = positiveNumber(template, value);
            if (wrong != null) {
                problems.add(function + ": ReservedConcurrentExecutions is not a positive number: " + wrong);
            }
            if (reserved.has("Fn::If") && !template.path("Conditions").has(reserved.get("Fn::If").get(0).asText())) {
                problems.add(function + ": ReservedConcurrentExecutions uses an unknown condition");
            }
        }
        return problems;
    }

    /** Null when {@code value} is (or references a Number parameter whose default is) a positive number. */
    private static String positiveNumber(JsonNode template, JsonNode value) {
        JsonNode number = value;
        if (value.has("Ref")) {
            JsonNode parameter = template.path("Parameters").path(value.get("Ref").asText());
            if (!parameter.path("Type").asText().equals("Number")) {
                return "Ref " + value.get("Ref").asText() + " is not a Number parameter";
            }
            if (!parameter.has("Default")) {
                return "parameter " + value.get("Ref").asText() + " without a Default";
            }
            number = parameter.get("Default");
        }
        return number.isNumber() && number.asDouble() > 0 ? null : number.toString();
    }

    private static JsonNode stage(JsonNode template) {
        Iterator<Map.Entry<String, JsonNode>> it = template.path("Resources").fields();
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> r = it.next();
            if (r.getValue().path("Type").asText().equals("AWS::ApiGatewayV2::Stage")) {
                return r.getValue();
            }
        }
        throw new AssertionError("no AWS::ApiGatewayV2::Stage");
    }

    private static List<String> dependsOn(JsonNode resource) {
        JsonNode d = resource.path("DependsOn");
        List<String> names = new ArrayList<>();
        if (d.isTextual()) {
            names.add(d.asText());
        } else if (d instanceof ArrayNode a) {
            a.forEach(n -> names.add(n.asText()));
        }
        return names;
    }

    private static String routeWithKey(JsonNode resources, String routeKey) {
        Iterator<Map.Entry<String, JsonNode>> it = resources.fields();
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> r = it.next();
            if (r.getValue().path("Type").asText().equals("AWS::ApiGatewayV2::Route")
                    && r.getValue().path("Properties").path("RouteKey").asText().equals(routeKey)) {
                return r.getKey();
            }
        }
        return null;
    }

    /** The function a route's integration invokes: Target integrations/${X}, X's IntegrationUri (F.Arn, F.Alias). */
    private static String functionBehind(JsonNode resources, String route) {
        String target = resources.path(route).path("Properties").path("Target").path("Fn::Sub").asText();
        String integration = target.replace("integrations/${", "").replace("}", "");
        return CloudFormationTemplate.invocation(resources.path(integration).path("Properties").path("IntegrationUri"))
                .map(CloudFormationTemplate.Invocation::function)
                .orElseThrow(() -> new AssertionError("cannot follow " + route + " to its function"));
    }
}
