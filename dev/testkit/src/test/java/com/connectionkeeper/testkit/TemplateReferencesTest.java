package com.connectionkeeper.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import org.junit.jupiter.api.Test;

/** Every Ref, Fn::GetAtt and ${Name} in Fn::Sub of template.yaml names a resource, parameter or pseudo parameter. */
class TemplateReferencesTest {

    private static final Set<String> PSEUDO_PARAMETERS = Set.of("AWS::AccountId", "AWS::NotificationARNs",
            "AWS::NoValue", "AWS::Partition", "AWS::Region", "AWS::StackId", "AWS::StackName", "AWS::URLSuffix");

    /** The resources SAM generates from one of its own, by SAM's naming rules, which a template may name too. */
    private static final Map<String, Function<String, List<String>>> SAM_GENERATED = Map.of(
            "AWS::Serverless::Function", id -> List.of(id + "Role", id + ".Version", id + ".Alias"),
            "AWS::Serverless::HttpApi", id -> List.of(id + "ApiGatewayDefaultStage", id + ".Stage"),
            "AWS::Serverless::Api", id -> List.of(id + ".Stage", id + ".Deployment"));

    /** A SAM function event of this type without an API of its own adds this implicit API. */
    private static final Map<String, String> IMPLICIT_APIS = Map.of("Api", "ServerlessRestApi",
            "HttpApi", "ServerlessHttpApi");

    private static final Pattern SUB_VARIABLE = Pattern.compile("\\$\\{([^!}][^}]*)}");

    @Test
    void everyReferenceInTheTemplateNamesSomething() {
        assertEquals(List.of(), unresolvedReferences(CloudFormationTemplate.load().tree()));
    }

    @Test
    void referencesToNothingAreReported() {
        ObjectNode broken = (ObjectNode) CloudFormationTemplate.load().tree();
        ((ObjectNode) broken.at("/Globals/Function/Environment/Variables/TABLE_NAME")).put("Ref", "ConnectionTable");
        ((ObjectNode) broken.at("/Resources/WebhookFunctionLogGroup/Properties/LogGroupName"))
                .put("Fn::Sub", "/aws/lambda/${WebhookFunc}-${!Literal}-${AWS::Region}");
        ((ObjectNode) broken.path("Outputs")).putObject("TableArn").putObject("Value").putArray("Fn::GetAtt")
                .add("ConnectionsTabel").add("Arn");

        assertEquals(List.of(
                "/Globals/Function/Environment/Variables/TABLE_NAME: Ref ConnectionTable",
                "/Resources/WebhookFunctionLogGroup/Properties/LogGroupName: Fn::Sub ${WebhookFunc}",
                "/Outputs/TableArn/Value: Fn::GetAtt ConnectionsTabel"),
                unresolvedReferences(broken));
    }

    private static List<String> unresolvedReferences(JsonNode template) {
        Set<String> names = new HashSet<>(PSEUDO_PARAMETERS);
        template.path("Parameters").fieldNames().forEachRemaining(names::add);
        template.path("Resources").properties().forEach(resource -> {
            names.add(resource.getKey());
            JsonNode body = resource.getValue();
            names.addAll(SAM_GENERATED.getOrDefault(body.path("Type").asText(), id -> List.of()).apply(resource.getKey()));
            body.path("Properties").path("Events").forEach(event -> {
                String api = IMPLICIT_APIS.get(event.path("Type").asText());
                if (api != null && !event.path("Properties").has("ApiId") && !event.path("Properties").has("RestApiId")) {
                    names.add(api);
                }
            });
        });
        List<String> unresolved = new ArrayList<>();
        check(template, "", names, unresolved);
        return unresolved;
    }

    private static void check(JsonNode node, String path, Set<String> names, List<String> unresolved) {
        if (node.isObject() && node.size() == 1) {
            String function = node.fieldNames().next();
            JsonNode argument = node.path(function);
            switch (function) {
                case "Ref" -> require(argument.asText(), "Ref", path, names, unresolved);
                case "Fn::GetAtt" -> require(argument.isArray() ? argument.path(0).asText()
                        : argument.asText().split("\\.", 2)[0], "Fn::GetAtt", path, names, unresolved);
                case "Fn::Sub" -> {
                    Set<String> local = new HashSet<>(names);
                    argument.path(1).fieldNames().forEachRemaining(local::add);
                    Matcher variables = SUB_VARIABLE.matcher(argument.isArray() ? argument.path(0).asText()
                            : argument.asText());
                    while (variables.find()) {
                        String variable = variables.group(1);
                        if (!local.contains(variable) && !local.contains(variable.split("\\.", 2)[0])) {
                            unresolved.add(path + ": Fn::Sub ${" + variable + "}");
                        }
                    }
                }
                default -> {
                }
            }
        }
        node.properties().forEach(field -> check(field.getValue(), path + "/" + field.getKey(), names, unresolved));
        for (int i = 0; node.isArray() && i < node.size(); i++) {
            check(node.get(i), path + "/" + i, names, unresolved);
        }
    }

    private static void require(String name, String function, String path, Set<String> names, List<String> unresolved) {
        if (!names.contains(name)) {
            unresolved.add(path + ": " + function + " " + name);
        }
    }
}
