package com.connectionkeeper.local;

import com.connectionkeeper.testkit.CloudFormationTemplate;
import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What the local stack takes from {@code template.yaml}, read at start so nothing drifts: the functions (zip, handler,
 * timeout, environment — Globals' and their own, with parameters resolved to their defaults or the local values),
 * the HTTP API's routes (route key, function, whether it is authorized), the table and the lifecycle function's
 * stream filter. The intrinsic functions the template uses in those places are evaluated (Ref, Fn::GetAtt of a
 * resource the local stack stands in for, Fn::If with its conditions, Fn::Not, Fn::Equals, Fn::Sub); anything else
 * there is an error naming it, not a silent guess.
 */
final class LocalTemplate {
    /** A function as the template declares it. */
    record Function(String logicalId, Path zip, String handler, Duration timeout, Map<String, String> environment) {
    }

    /** An HTTP API route: API Gateway's route key, the function it invokes, whether it needs an identity. */
    record Route(String method, String path, String function, boolean authorized) {
        String routeKey() {
            return method + " " + path;
        }
    }

    private static final Pattern SUB_VARIABLE = Pattern.compile("\\$\\{([^}]+)}");
    private final CloudFormationTemplate template;
    private final Path root;
    private final Map<String, String> parameters = new LinkedHashMap<>();
    private final Map<String, String> resources;

    /**
     * @param overrides parameter values for the local run (others keep their defaults)
     * @param resources what {@code Ref} of a resource means locally (the table's name, the bus's name), and
     *                  {@code Fn::GetAtt} ({@code "KeeperKey.Arn"})
     */
    LocalTemplate(Path root, CloudFormationTemplate template, Map<String, String> overrides,
                  Map<String, String> resources) {
        this.root = root;
        this.template = template;
        this.resources = Map.copyOf(resources);
        for (Iterator<Map.Entry<String, JsonNode>> it = template.parameters().fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> p = it.next();
            JsonNode value = p.getValue().get("Default");
            if (value != null) {
                parameters.put(p.getKey(), value.asText());
            }
        }
        overrides.forEach((name, value) -> {
            if (!template.parameters().has(name)) {
                throw new IllegalArgumentException("template.yaml has no parameter " + name);
            }
            parameters.put(name, value);
        });
    }

    CloudFormationTemplate template() {
        return template;
    }

    /** Every AWS::Serverless::Function, in template order. */
    List<Function> functions() {
        JsonNode globals = template.tree().path("Globals").path("Function");
        List<Function> out = new ArrayList<>();
        for (String id : template.resourcesOfType("AWS::Serverless::Function")) {
            JsonNode props = template.resource(id).path("Properties");
            Map<String, String> env = new LinkedHashMap<>();
            variables(globals.path("Environment").path("Variables"), env, id);
            variables(props.path("Environment").path("Variables"), env, id);
            JsonNode timeout = props.has("Timeout") ? props.get("Timeout") : globals.path("Timeout");
            long seconds = timeout.isMissingNode() ? 3
                    : Long.parseLong(String.valueOf(value(timeout, id + ".Timeout")));
            out.add(new Function(id, root.resolve(props.path("CodeUri").asText()), props.path("Handler").asText(),
                    Duration.ofSeconds(seconds), env));
        }
        return out;
    }

    Function function(String logicalId) {
        return functions().stream().filter(f -> f.logicalId().equals(logicalId)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("template.yaml has no function " + logicalId));
    }

    /** Every route of the HTTP API, with the function its integration invokes. */
    List<Route> routes() {
        List<Route> out = new ArrayList<>();
        for (String id : template.resourcesOfType("AWS::ApiGatewayV2::Route")) {
            JsonNode props = template.resource(id).path("Properties");
            String routeKey = props.path("RouteKey").asText();
            String target = String.valueOf(value(props.path("Target"), id + ".Target"));
            String integration = target.substring(target.indexOf('/') + 1);
            JsonNode uri = template.resource(integration).path("Properties").path("IntegrationUri");
            String function = CloudFormationTemplate.invocation(uri).map(CloudFormationTemplate.Invocation::function)
                    .orElseThrow(() -> new IllegalStateException(integration
                            + ".IntegrationUri is not a function's Arn or alias: " + uri));
            String auth = String.valueOf(value(props.path("AuthorizationType"), id + ".AuthorizationType"));
            int space = routeKey.indexOf(' ');
            out.add(new Route(routeKey.substring(0, space), routeKey.substring(space + 1), function,
                    !auth.equals("NONE")));
        }
        return out;
    }

    private void variables(JsonNode variables, Map<String, String> into, String function) {
        for (Iterator<Map.Entry<String, JsonNode>> it = variables.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> v = it.next();
            Object value = value(v.getValue(), function + "." + v.getKey());
            if (value == NO_VALUE) {
                into.remove(v.getKey());
            } else {
                into.put(v.getKey(), String.valueOf(value));
            }
        }
    }

    private static final Object NO_VALUE = new Object();

    /**
     * Any other value of the template (a resource's name, description or text), evaluated as the functions'
     * environment is; {@code where} names it in errors. {@code AWS::NoValue} is an error here: there is no property
     * to leave out.
     */
    String resolve(JsonNode node, String where) {
        if (node == null || node.isMissingNode() || node.isNull()) {
            throw new IllegalStateException(where + " is not in the template");
        }
        Object value = value(node, where);
        if (value == NO_VALUE) {
            throw new IllegalStateException(where + " is AWS::NoValue");
        }
        return String.valueOf(value);
    }

    /** An intrinsic-function value, evaluated locally; {@link #NO_VALUE} for {@code AWS::NoValue}. */
    private Object value(JsonNode node, String where) {
        if (node.isValueNode()) {
            return node.asText();
        }
        if (node.has("Ref")) {
            return ref(node.get("Ref").asText(), where);
        }
        if (node.has("Fn::If")) {
            JsonNode args = node.get("Fn::If");
            return condition(args.get(0).asText()) ? value(args.get(1), where) : value(args.get(2), where);
        }
        if (node.has("Fn::GetAtt")) {
            JsonNode att = node.get("Fn::GetAtt");
            String name = att.get(0).asText() + "." + att.get(1).asText();
            if (resources.containsKey(name)) {
                return resources.get(name);
            }
            throw new IllegalStateException(where + ": no local value for " + name);
        }
        if (node.has("Fn::Sub") && node.get("Fn::Sub").isTextual()) {
            Matcher m = SUB_VARIABLE.matcher(node.get("Fn::Sub").asText());
            StringBuilder out = new StringBuilder();
            while (m.find()) {
                m.appendReplacement(out, Matcher.quoteReplacement(String.valueOf(ref(m.group(1), where))));
            }
            return m.appendTail(out).toString();
        }
        throw new IllegalStateException(where + ": no local value for " + node);
    }

    private Object ref(String name, String where) {
        switch (name) {
            case "AWS::NoValue":
                return NO_VALUE;
            case "AWS::StackName":
                return "connection-keeper-local";
            case "AWS::Region":
                return "us-east-1";
            case "AWS::AccountId":
                return "000000000000";
            default:
                break;
        }
        if (parameters.containsKey(name)) {
            return parameters.get(name);
        }
        if (resources.containsKey(name)) {
            return resources.get(name);
        }
        if (template.resources().has(name)) {
            // a resource the local stack has no stand-in for: integrations are referred to by their own name
            return name;
        }
        throw new IllegalStateException(where + ": Ref " + name
                + " is neither a parameter with a value nor a resource");
    }

    private boolean condition(String name) {
        JsonNode c = template.tree().path("Conditions").path(name);
        if (c.isMissingNode()) {
            throw new IllegalStateException("template.yaml has no condition " + name);
        }
        return truth(c, name);
    }

    private boolean truth(JsonNode node, String where) {
        if (node.has("Fn::Not")) {
            return !truth(node.get("Fn::Not").get(0), where);
        }
        if (node.has("Fn::Equals")) {
            return String.valueOf(value(node.get("Fn::Equals").get(0), where))
                    .equals(String.valueOf(value(node.get("Fn::Equals").get(1), where)));
        }
        if (node.has("Fn::And") || node.has("Fn::Or")) {
            boolean and = node.has("Fn::And");
            for (JsonNode c : node.get(and ? "Fn::And" : "Fn::Or")) {
                if (truth(c, where) != and) {
                    return !and;
                }
            }
            return and;
        }
        if (node.has("Condition")) {
            return condition(node.get("Condition").asText());
        }
        throw new IllegalStateException(where + ": cannot evaluate the condition " + node);
    }

    /** A parameter's local value. */
    Optional<String> parameter(String name) {
        return Optional.ofNullable(parameters.get(name));
    }
}
