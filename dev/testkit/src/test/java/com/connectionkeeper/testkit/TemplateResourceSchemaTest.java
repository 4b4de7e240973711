package com.connectionkeeper.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.StringJoiner;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * template.yaml's plain CloudFormation resources (every AWS::* Type but AWS::Serverless::*, which TemplateSchemaTest
 * checks against SAM's schema) against the CloudFormation registry schemas of npm's @aws-cdk/aws-service-spec
 * (dev/cfn-spec, pinned): the Type exists; every property is one the schema knows, required ones are present, nested
 * objects (arrays element-wise, maps value-wise, both branches of an Fn::If) likewise; a literal scalar has its kind
 * (string, integer, number, boolean) and, where the schema lists them, one of its allowed values. Every Fn::GetAtt and
 * every ${Resource.Attribute} of an Fn::Sub that names a plain resource names an attribute of its Type. A value that is
 * another intrinsic function (Ref, Fn::Sub, Fn::GetAtt, ...) is not checked: its value is known only at deploy time.
 */
class TemplateResourceSchemaTest {

    /** Takes any property besides its own: whatever the custom resource's provider reads. */
    private static final String CUSTOM_RESOURCE = "AWS::CloudFormation::CustomResource";

    private static final JsonNode TAG = new ObjectMapper().createObjectNode().<ObjectNode>set("properties",
            new ObjectMapper().valueToTree(Map.of(
                    "Key", Map.of("type", Map.of("type", "string"), "required", true),
                    "Value", Map.of("type", Map.of("type", "string"), "required", true))));

    private static final Pattern INTEGER = Pattern.compile("-?\\d+");
    private static final Pattern NUMBER = Pattern.compile("-?(\\d+\\.?\\d*|\\.\\d+)([eE][-+]?\\d+)?");
    private static final Set<String> BOOLEANS = Set.of("true", "false");
    private static final Pattern SUB_VARIABLE = Pattern.compile("\\$\\{([^!}][^}]*)}");

    private static CloudFormationSpec spec;

    /** Per test, so that each one is reported as skipped, with the reason, where dev/cfn-spec is not installed. */
    @BeforeEach
    void loadSpecOnce() {
        if (spec == null) {
            spec = CloudFormationSpec.load(CloudFormationSpec.assumeInstalled());
        }
    }

    @Test
    void templatePlainResourcesMatchTheRegistrySchemas() {
        assertEquals(List.of(), errors(CloudFormationTemplate.load().tree()),
                "against " + CloudFormationSpec.PACKAGE + " " + spec.version());
    }

    @Test
    void misspelledAndUnknownNestedPropertiesAreReported() {
        ObjectNode broken = (ObjectNode) CloudFormationTemplate.load().tree();
        ObjectNode key = properties(broken, "KeeperKey");
        key.set("EnableKeyRotaton", key.remove("EnableKeyRotation"));
        ObjectNode pitr = (ObjectNode) properties(broken, "ConnectionsTable").path("PointInTimeRecoverySpecification");
        pitr.set("PointInTimeRecoveryEnable", pitr.remove("PointInTimeRecoveryEnabled"));
        ((ObjectNode) properties(broken, "ConnectionsTable").at("/GlobalSecondaryIndexes/1/Projection"))
                .put("Projected", "ALL");
        ((ObjectNode) properties(broken, "KeeperHttpApi").at("/CorsConfiguration/Fn::If/1")).put("AllowOrigin", "*");
        properties(broken, "LifecycleDeadLetterQueue").putArray("Tags").addObject().put("Key", "team")
                .put("Value", "keeper").put("Owner", "x");

        assertEquals(List.of(
                "KeeperKey: unknown property EnableKeyRotaton",
                "ConnectionsTable.GlobalSecondaryIndexes[1].Projection: unknown property Projected",
                "ConnectionsTable.PointInTimeRecoverySpecification: unknown property PointInTimeRecoveryEnable",
                "KeeperHttpApi.CorsConfiguration.Fn::If[1]: unknown property AllowOrigin",
                "LifecycleDeadLetterQueue.Tags[0]: unknown property Owner"),
                errors(broken));
    }

    @Test
    void missingRequiredPropertiesAreReported() {
        ObjectNode broken = (ObjectNode) CloudFormationTemplate.load().tree();
        properties(broken, "ConnectionsTable").remove("KeySchema");
        ((ObjectNode) properties(broken, "ConnectionsTable").at("/AttributeDefinitions/2")).remove("AttributeType");
        ((ObjectNode) broken.at("/Resources/WebhookFunctionLogging")).remove("Properties");
        ((ObjectNode) properties(broken, "SweepFunctionRole").at("/Policies/0")).remove("PolicyName");

        assertEquals(List.of(
                "ConnectionsTable.AttributeDefinitions[2]: missing required property AttributeType",
                "ConnectionsTable: missing required property KeySchema",
                "WebhookFunctionLogging: missing required property RoleName",
                "WebhookFunctionLogging: missing required property PolicyName",
                "SweepFunctionRole.Policies[0]: missing required property PolicyName"),
                errors(broken));
    }

    @Test
    void literalsOfTheWrongKindOrOutsideTheAllowedValuesAreReported() {
        ObjectNode broken = (ObjectNode) CloudFormationTemplate.load().tree();
        properties(broken, "LifecycleDeadLetterQueue").put("MessageRetentionPeriod", "two weeks")
                .put("SqsManagedSseEnabled", "yes");
        properties(broken, "KeeperKey").put("PendingWindowInDays", 7.5).put("EnableKeyRotation", 1)
                .put("KeyUsage", "ENCRYPT");
        properties(broken, "ApiFunctionLogGroup").put("RetentionInDays", 31);
        properties(broken, "ConnectionsTable").putObject("TableName").put("a", "b");
        ((ObjectNode) properties(broken, "ConnectionsTable").at("/GlobalSecondaryIndexes/0/Projection"))
                .put("NonKeyAttributes", "userId");
        properties(broken, "ApiJwtAuthorizer").set("IdentitySource", null);
        // kinds CloudFormation converts itself: a string holding an integer or a boolean, a number for a string
        properties(broken, "SweepFunctionLogGroup").put("RetentionInDays", "14");
        properties(broken, "TableKey").put("EnableKeyRotation", "true").put("Description", 42);

        assertEquals(List.of(
                "KeeperKey.EnableKeyRotation: boolean expected, found 1",
                "KeeperKey.PendingWindowInDays: integer expected, found 7.5",
                "KeeperKey.KeyUsage: \"ENCRYPT\" is not one of ENCRYPT_DECRYPT, SIGN_VERIFY, GENERATE_VERIFY_MAC,"
                        + " KEY_AGREEMENT",
                "ConnectionsTable.GlobalSecondaryIndexes[0].Projection.NonKeyAttributes: array expected, found"
                        + " \"userId\"",
                "ConnectionsTable.TableName: string expected, found an object",
                "LifecycleDeadLetterQueue.MessageRetentionPeriod: integer expected, found \"two weeks\"",
                "LifecycleDeadLetterQueue.SqsManagedSseEnabled: boolean expected, found \"yes\"",
                "ApiFunctionLogGroup.RetentionInDays: 31 is not one of 1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365,"
                        + " 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653",
                "ApiJwtAuthorizer.IdentitySource: null (CloudFormation rejects null values)"),
                errors(broken));
    }

    @Test
    void unknownAttributesOfPlainResourcesAreReportedSamResourcesAreExempt() {
        ObjectNode broken = (ObjectNode) CloudFormationTemplate.load().tree();
        ((ArrayNode) properties(broken, "SweepFunctionRole").at("/Policies/0/PolicyDocument/Statement/3/Resource"
                + "/Fn::GetAtt")).set(1, "KeyArn");
        ObjectNode outputs = (ObjectNode) broken.path("Outputs");
        outputs.putObject("DeadLetters").putObject("Value").put("Fn::GetAtt", "LifecycleDeadLetterQueue.Name");
        outputs.putObject("QueueName").putObject("Value").putArray("Fn::GetAtt").add("LifecycleDeadLetterQueue")
                .add("QueueName");
        outputs.putObject("Stream").putObject("Value").putArray("Fn::Sub").add("${ConnectionsTable.Stream}/${Name}")
                .addObject().put("Name", "x");
        outputs.putObject("SamAttribute").putObject("Value").putArray("Fn::GetAtt").add("WebhookFunction")
                .add("Whatever");

        assertEquals(List.of(
                "/Resources/SweepFunctionRole/Properties/Policies/0/PolicyDocument/Statement/3/Resource:"
                        + " Fn::GetAtt KeeperKey.KeyArn: AWS::KMS::Key has no attribute KeyArn (it has Arn, KeyId)",
                "/Outputs/DeadLetters/Value: Fn::GetAtt LifecycleDeadLetterQueue.Name: AWS::SQS::Queue has no"
                        + " attribute Name (it has Arn, QueueName, QueueUrl)",
                "/Outputs/Stream/Value: Fn::Sub ${ConnectionsTable.Stream}: AWS::DynamoDB::Table has no attribute"
                        + " Stream (it has Arn, StreamArn)"),
                errors(broken));
    }

    @Test
    void unknownResourceTypesAreReported() {
        ObjectNode broken = (ObjectNode) CloudFormationTemplate.load().tree();
        ((ObjectNode) broken.at("/Resources/LifecycleDeadLetterQueue")).put("Type", "AWS::SQS::Queu");
        ((ObjectNode) broken.at("/Resources/KeeperKeyAlias")).put("Type", "AWS::KMS::KeyAlias");

        assertEquals(List.of(
                "KeeperKeyAlias: unknown type AWS::KMS::KeyAlias",
                "LifecycleDeadLetterQueue: unknown type AWS::SQS::Queu"),
                errors(broken));
    }

    @Test
    void customResourcesTakeAnyPropertyButNeedTheirServiceToken() {
        ObjectNode broken = (ObjectNode) CloudFormationTemplate.load().tree();
        ObjectNode resources = (ObjectNode) broken.path("Resources");
        resources.putObject("Seed").put("Type", "AWS::CloudFormation::CustomResource").putObject("Properties")
                .put("Users", 3).put("ServiceTimeout", "soon");
        resources.putObject("OtherSeed").put("Type", "Custom::Seed").putObject("Properties").put("Anything", true);

        assertEquals(List.of(
                "Seed.ServiceTimeout: integer expected, found \"soon\"",
                "Seed: missing required property ServiceToken"),
                errors(broken));
    }

    private static ObjectNode properties(JsonNode template, String logicalId) {
        return (ObjectNode) template.path("Resources").path(logicalId).path("Properties");
    }

    /** One line per error: resource errors in template order, then those of Fn::GetAtt and Fn::Sub. */
    private static List<String> errors(JsonNode template) {
        List<String> errors = new ArrayList<>();
        Map<String, JsonNode> plain = new HashMap<>();
        template.path("Resources").properties().forEach(entry -> {
            String logicalId = entry.getKey();
            String type = entry.getValue().path("Type").asText();
            if (!type.startsWith("AWS::") || type.startsWith("AWS::Serverless::")) {
                return;
            }
            spec.resource(type).ifPresentOrElse(resource -> {
                plain.put(logicalId, resource);
                JsonNode properties = entry.getValue().path("Properties");
                new Checker(errors, type.equals(CUSTOM_RESOURCE)).value(properties.isMissingNode()
                        ? JsonNodeFactory.instance.objectNode() : properties, resource, logicalId);
            }, () -> errors.add(logicalId + ": unknown type " + type));
        });
        attributes(template, "", plain, errors);
        return errors;
    }

    /** Checks values against property types, adding one line per error; paths like {@code Id.A.B[0].C}. */
    private record Checker(List<String> errors, boolean openEnded) {

        /** A value of a property type, or of an object with {@code properties} (a resource, a type definition). */
        void value(JsonNode value, JsonNode type, String path) {
            if (value.isNull()) {
                errors.add(path + ": null (CloudFormation rejects null values)");
                return;
            }
            if (isIntrinsic(value)) {
                JsonNode branches = value.path("Fn::If");
                for (int i = 1; branches.isArray() && branches.size() == 3 && i <= 2; i++) {
                    if (!branches.get(i).path("Ref").asText().equals("AWS::NoValue")) {
                        value(branches.get(i), type, path + ".Fn::If[" + i + "]");
                    }
                }
                return;
            }
            if (type.has("properties")) {
                object(value, type.path("properties"), path);
                return;
            }
            errors.addAll(kindErrors(value, type, path));
        }

        /** A property's spec: {type, required, previousTypes} (a value of any of its types is accepted). */
        private void property(JsonNode value, JsonNode property, String path) {
            List<String> found = new ArrayList<>();
            new Checker(found, false).value(value, property.path("type"), path);
            for (int i = 0; !found.isEmpty() && i < property.path("previousTypes").size(); i++) {
                List<String> previous = new ArrayList<>();
                new Checker(previous, false).value(value, property.path("previousTypes").get(i), path);
                if (previous.isEmpty()) {
                    found.clear();
                }
            }
            errors.addAll(found);
        }

        private void object(JsonNode value, JsonNode properties, String path) {
            if (!value.isObject()) {
                errors.add(path + ": object expected, found " + describe(value));
                return;
            }
            value.properties().forEach(field -> {
                JsonNode property = properties.get(field.getKey());
                if (property != null) {
                    property(field.getValue(), property, path + "." + field.getKey());
                } else if (!openEnded) {
                    errors.add(path + ": unknown property " + field.getKey());
                }
            });
            properties.properties().forEach(property -> {
                if (property.getValue().path("required").asBoolean() && !value.has(property.getKey())) {
                    errors.add(path + ": missing required property " + property.getKey());
                }
            });
        }

        private List<String> kindErrors(JsonNode value, JsonNode type, String path) {
            List<String> found = new ArrayList<>();
            Checker checker = new Checker(found, false);
            String kind = type.path("type").asText();
            switch (kind) {
                case "ref" -> checker.value(value, spec.typeDefinition(type.path("reference").path("$ref").asText()),
                        path);
                case "tag" -> checker.value(value, TAG, path);
                case "array" -> {
                    if (!value.isArray()) {
                        found.add(path + ": array expected, found " + describe(value));
                    }
                    for (int i = 0; value.isArray() && i < value.size(); i++) {
                        checker.value(value.get(i), type.path("element"), path + "[" + i + "]");
                    }
                }
                case "map" -> {
                    if (!value.isObject()) {
                        found.add(path + ": object expected, found " + describe(value));
                    }
                    value.properties().forEach(entry ->
                            checker.value(entry.getValue(), type.path("element"), path + "." + entry.getKey()));
                }
                case "union" -> union(value, type, path, found);
                case "json" -> {
                }
                case "string", "date-time" -> scalar(value, type, path, "string", value.isValueNode(), found);
                case "integer" -> scalar(value, type, path, kind, value.isIntegralNumber()
                        || value.isTextual() && INTEGER.matcher(value.asText()).matches(), found);
                case "number" -> scalar(value, type, path, kind, value.isNumber()
                        || value.isTextual() && NUMBER.matcher(value.asText()).matches(), found);
                case "boolean" -> scalar(value, type, path, kind, value.isBoolean()
                        || value.isTextual() && BOOLEANS.contains(value.asText().toLowerCase()), found);
                default -> throw new IllegalStateException(CloudFormationSpec.PACKAGE + " " + spec.version()
                        + " has a property type this check does not know: " + type + " (at " + path + ")");
            }
            return found;
        }

        /** Accepted when one of the types accepts it; else the errors of the only type of its shape, or one line. */
        private static void union(JsonNode value, JsonNode union, String path, List<String> found) {
            List<List<String>> sameShape = new ArrayList<>();
            StringJoiner kinds = new StringJoiner(" or ");
            for (JsonNode type : union.path("types")) {
                List<String> errors = new ArrayList<>();
                new Checker(errors, false).value(value, type, path);
                if (errors.isEmpty()) {
                    return;
                }
                String kind = type.path("type").asText();
                kinds.add(kind);
                boolean objectKind = Set.of("ref", "tag", "map").contains(kind);
                if (value.isObject() ? objectKind : value.isArray() ? kind.equals("array") : !objectKind
                        && !kind.equals("array")) {
                    sameShape.add(errors);
                }
            }
            if (sameShape.size() == 1) {
                found.addAll(sameShape.get(0));
            } else {
                found.add(path + ": " + kinds + " expected, found " + describe(value));
            }
        }

        private static void scalar(JsonNode value, JsonNode type, String path, String kind, boolean ofKind,
                List<String> found) {
            if (!ofKind) {
                found.add(path + ": " + kind + " expected, found " + describe(value));
                return;
            }
            JsonNode allowed = type.path("allowedValues");
            if (allowed.isArray() && !allowed.isEmpty()) {
                List<String> values = new ArrayList<>();
                allowed.forEach(one -> values.add(one.asText()));
                if (!values.contains(value.asText())) {
                    found.add(path + ": " + value + " is not one of " + String.join(", ", values));
                }
            }
        }
    }

    /**
     * Every Fn::GetAtt and ${Resource.Attribute} of an Fn::Sub naming a plain resource of a known Type names one of
     * its attributes (an attribute given by another function, a Sub's own variables and SAM resources are left alone).
     */
    private static void attributes(JsonNode node, String path, Map<String, JsonNode> plain, List<String> errors) {
        if (node.isObject() && node.size() == 1) {
            JsonNode getAtt = node.path("Fn::GetAtt");
            if (getAtt.isTextual() && getAtt.asText().contains(".")) {
                String[] parts = getAtt.asText().split("\\.", 2);
                attribute(parts[0], parts[1], path + ": Fn::GetAtt " + getAtt.asText(), plain, errors);
            } else if (getAtt.isArray() && getAtt.size() == 2 && getAtt.get(1).isTextual()) {
                attribute(getAtt.get(0).asText(), getAtt.get(1).asText(), path + ": Fn::GetAtt "
                        + getAtt.get(0).asText() + "." + getAtt.get(1).asText(), plain, errors);
            }
            JsonNode sub = node.path("Fn::Sub");
            Matcher variables = SUB_VARIABLE.matcher(sub.isArray() ? sub.path(0).asText() : sub.asText());
            while (variables.find()) {
                String[] parts = variables.group(1).split("\\.", 2);
                if (parts.length == 2 && !sub.path(1).has(parts[0]) && !sub.path(1).has(variables.group(1))) {
                    attribute(parts[0], parts[1], path + ": Fn::Sub ${" + variables.group(1) + "}", plain, errors);
                }
            }
        }
        node.properties().forEach(field -> attributes(field.getValue(), path + "/" + field.getKey(), plain, errors));
        for (int i = 0; node.isArray() && i < node.size(); i++) {
            attributes(node.get(i), path + "/" + i, plain, errors);
        }
    }

    private static void attribute(String logicalId, String name, String where, Map<String, JsonNode> plain,
            List<String> errors) {
        JsonNode resource = plain.get(logicalId);
        if (resource != null && !resource.path("attributes").has(name)) {
            List<String> known = new ArrayList<>();
            resource.path("attributes").fieldNames().forEachRemaining(known::add);
            known.sort(null);
            errors.add(where + ": " + resource.path("cloudFormationType").asText() + " has no attribute " + name
                    + " (it has " + String.join(", ", known) + ")");
        }
    }

    private static boolean isIntrinsic(JsonNode value) {
        if (!value.isObject() || value.size() != 1) {
            return false;
        }
        String function = value.fieldNames().next();
        return function.equals("Ref") || function.startsWith("Fn::");
    }

    private static String describe(JsonNode value) {
        if (value.isObject()) {
            return "an object";
        }
        if (value.isArray()) {
            return "an array";
        }
        String text = value.toString();
        return text.length() > 60 ? text.substring(0, 57) + "..." : text;
    }
}
