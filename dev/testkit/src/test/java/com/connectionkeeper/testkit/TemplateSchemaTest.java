package com.connectionkeeper.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** template.yaml against AWS SAM's JSON schema (shared/sam/sam.schema.json), with errors made precise per resource Type. */
class TemplateSchemaTest {

    private static Schema samSchema;

    /** Per test, so that each one is reported as skipped, with the reason, on a machine without shared/. */
    @BeforeEach
    void loadSchemaOnce() throws IOException {
        if (samSchema == null) {
            Path file = RepoPaths.assumeShared("sam/sam.schema.json");
            ObjectNode schema = (ObjectNode) new ObjectMapper().readTree(file.toFile());
            samSchema = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_7).getSchema(byResourceType(schema));
        }
    }

    @Test
    void templateMatchesTheSamSchema() {
        assertEquals(List.of(), errors(CloudFormationTemplate.load().tree()));
    }

    @Test
    void misspelledAndMistypedPropertiesAreRejectedOneErrorEach() {
        ObjectNode broken = (ObjectNode) CloudFormationTemplate.load().tree();
        ObjectNode function = (ObjectNode) broken.path("Resources").path("WebhookFunction").path("Properties");
        function.set("Handlr", function.remove("Handler"));
        function.put("Events", "POST /webhooks/snaptrade");

        assertEquals(List.of(
                "/Resources/WebhookFunction/Properties additionalProperties: property 'Handlr' is not defined in the"
                        + " schema and the schema does not allow additional properties",
                "/Resources/WebhookFunction/Properties/Events type: string found, object expected"),
                errors(broken));
    }

    @Test
    void unknownOrMissingResourceTypesAreRejected() {
        ObjectNode broken = (ObjectNode) CloudFormationTemplate.load().tree();
        ((ObjectNode) broken.path("Resources").path("SweepFunction")).put("Type", "AWS::Serverless::Functon");
        ((ObjectNode) broken.path("Resources").path("WebhookFunctionLogGroup")).remove("Type");

        assertEquals(List.of(
                "/Resources/SweepFunction/Type enum", "/Resources/SweepFunction/Type pattern",
                "/Resources/WebhookFunctionLogGroup required"),
                errors(broken).stream().map(error -> error.substring(0, error.indexOf(':'))).toList());
    }

    /** Each error as "instance-location keyword: message", sorted. */
    private static List<String> errors(JsonNode template) {
        return samSchema.validate(template).stream()
                .map(error -> error.getInstanceLocation() + " " + error.getKeyword() + ": " + error.getMessage())
                .sorted()
                .toList();
    }

    /**
     * The schema says a resource is anyOf(Function, HttpApi, ..., any other CloudFormation type), so one typo yields an
     * error from every branch. Rewritten in memory as "if the Type is X then the resource is an X", plus one check that
     * the Type is known, so each resource is checked against its own Type's definition only.
     */
    private static JsonNode byResourceType(ObjectNode schema) {
        JsonNodeFactory nodes = JsonNodeFactory.instance;
        ObjectNode resource = (ObjectNode) schema.path("properties").path("Resources").path("additionalProperties");
        ArrayNode branches = (ArrayNode) resource.remove("anyOf");
        if (branches == null || branches.isEmpty()) {
            throw new IllegalStateException("sam.schema.json changed: Resources.additionalProperties has no anyOf");
        }
        ArrayNode byType = resource.putArray("allOf");
        ArrayNode samTypes = nodes.arrayNode();
        ArrayNode knownTypes = nodes.arrayNode();
        for (JsonNode branch : branches) {
            String ref = branch.path("$ref").asText();
            JsonNode type = schema.at(ref.replaceFirst("^#", "")).path("properties").path("Type");
            if (!ref.startsWith("#/") || type.isMissingNode()) {
                throw new IllegalStateException("sam.schema.json changed: resource branch " + branch + " has no Type");
            }
            ObjectNode when = nodes.objectNode();
            when.putArray("required").add("Type");
            when.putObject("properties").set("Type", type);
            byType.addObject().<ObjectNode>set("if", when).set("then", branch);
            if (type.path("enum").size() == 1) {
                samTypes.add(type.path("enum").get(0));
            } else {
                knownTypes.add(type);
            }
        }
        knownTypes.addObject().set("enum", samTypes);
        resource.putArray("required").add("Type");
        resource.putObject("properties").putObject("Type").set("anyOf", knownTypes);
        schema.put("$schema", "http://json-schema.org/draft-07/schema#");
        return schema;
    }
}
