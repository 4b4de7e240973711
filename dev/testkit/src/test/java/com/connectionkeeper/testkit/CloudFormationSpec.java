package com.connectionkeeper.testkit;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.zip.GZIPInputStream;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import org.junit.jupiter.api.Assumptions;

/**
 * The CloudFormation registry schemas of every AWS::* resource type (properties with their types and whether they are
 * required, the attributes Fn::GetAtt may name), as npm's {@code @aws-cdk/aws-service-spec} (Apache-2.0) ships them in
 * {@code db.json.gz}, installed in dev/cfn-spec at the version its package.json pins.
 *
 * <p>In the file: {@code schema.resource.entities} (each with {@code cloudFormationType}, {@code properties}
 * {name: {type, required, previousTypes}}, {@code attributes}) and {@code schema.typeDefinition.entities} (the nested
 * property types, by {@code $id}, each with {@code properties}). A property type is {@code {"type": kind}} with kind
 * string, integer, number, boolean, date-time, json, tag, ref ({@code reference.$ref}: a type definition), array and
 * map ({@code element}) or union ({@code types}); a scalar may carry {@code allowedValues}. Only those two tables are
 * kept (streamed, the rest of the 15 MB skipped), without their documentation (8.6 MB of it).
 */
final class CloudFormationSpec {

    static final String PACKAGE = "@aws-cdk/aws-service-spec";

    private static final ObjectMapper JSON = new ObjectMapper();

    private final String version;
    private final Map<String, JsonNode> resources;
    private final Map<String, JsonNode> typeDefinitions;

    private CloudFormationSpec(String version, Map<String, JsonNode> resources, Map<String, JsonNode> typeDefinitions) {
        this.version = version;
        this.resources = resources;
        this.typeDefinitions = typeDefinitions;
    }

    /**
     * The installed db.json.gz; skips the calling test (JUnit assumption) when dev/cfn-spec has no node_modules (a
     * fresh clone before its first Maven build, which runs npm ci there). Fails when the installed package is not the
     * version package.json pins (node_modules left from before a bump: run npm ci in dev/cfn-spec).
     */
    static Path assumeInstalled() {
        Path folder = RepoPaths.cfnSpec();
        Path installed = folder.resolve("node_modules").resolve(PACKAGE);
        Path db = installed.resolve("db.json.gz");
        Assumptions.assumeTrue(Files.isRegularFile(db), () -> db + " is not installed: run `npm ci` in " + folder
                + " (a Maven build of dev/testkit runs it when the file is missing)");
        String pinned = readJson(folder.resolve("package.json")).path("dependencies").path(PACKAGE).asText();
        String present = readJson(installed.resolve("package.json")).path("version").asText();
        if (!present.equals(pinned)) {
            throw new IllegalStateException(PACKAGE + " " + present + " is installed in " + folder + " but package.json"
                    + " pins " + pinned + ": run `npm ci` there");
        }
        return db;
    }

    static CloudFormationSpec load(Path dbJsonGz) {
        Map<String, JsonNode> resources = new HashMap<>();
        Map<String, JsonNode> typeDefinitions = new HashMap<>();
        try (InputStream in = new GZIPInputStream(Files.newInputStream(dbJsonGz), 1 << 16);
                JsonParser parser = JSON.createParser(in)) {
            expect(parser.nextToken(), JsonToken.START_OBJECT, dbJsonGz);
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String section = parser.currentName();
                parser.nextToken();
                if (!section.equals("schema")) {
                    parser.skipChildren();
                    continue;
                }
                while (parser.nextToken() == JsonToken.FIELD_NAME) {
                    String table = parser.currentName();
                    parser.nextToken();
                    switch (table) {
                        case "resource" -> readEntities(parser, entity ->
                                resources.put(entity.path("cloudFormationType").asText(), entity));
                        case "typeDefinition" -> readEntities(parser, entity ->
                                typeDefinitions.put(entity.path("$id").asText(), entity));
                        default -> parser.skipChildren();
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + dbJsonGz, e);
        }
        if (resources.size() < 1000 || typeDefinitions.size() < 1000) {
            throw new IllegalStateException(dbJsonGz + " changed shape: " + resources.size() + " resource types and "
                    + typeDefinitions.size() + " type definitions found under schema.resource/typeDefinition.entities");
        }
        String version = readJson(dbJsonGz.resolveSibling("package.json")).path("version").asText();
        return new CloudFormationSpec(version, resources, typeDefinitions);
    }

    /** The package's version, e.g. 0.1.216. */
    String version() {
        return version;
    }

    /** The resource type's schema ({@code properties}, {@code attributes}), empty when there is no such type. */
    Optional<JsonNode> resource(String cloudFormationType) {
        return Optional.ofNullable(resources.get(cloudFormationType));
    }

    /** The type definition a {@code ref} type names ({@code properties}); fails when the spec has none. */
    JsonNode typeDefinition(String id) {
        JsonNode definition = typeDefinitions.get(id);
        if (definition == null) {
            throw new IllegalStateException(PACKAGE + " " + version + " names a type definition it lacks: $id " + id);
        }
        return definition;
    }

    private static void readEntities(JsonParser parser, Consumer<ObjectNode> sink) throws IOException {
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String field = parser.currentName();
            parser.nextToken();
            if (!field.equals("entities")) {
                parser.skipChildren();
                continue;
            }
            expect(parser.currentToken(), JsonToken.START_ARRAY, "entities");
            while (parser.nextToken() == JsonToken.START_OBJECT) {
                sink.accept((ObjectNode) readWithoutDocumentation(parser));
            }
        }
    }

    /**
     * The value at the parser's current token as a tree, every "documentation" field left out unread: they are more
     * than half of the file, and skipping a string is cheaper than decoding it.
     */
    private static JsonNode readWithoutDocumentation(JsonParser parser) throws IOException {
        JsonNodeFactory nodes = JsonNodeFactory.instance;
        switch (parser.currentToken()) {
            case START_OBJECT -> {
                ObjectNode object = nodes.objectNode();
                while (parser.nextToken() == JsonToken.FIELD_NAME) {
                    String name = parser.currentName();
                    parser.nextToken();
                    if (name.equals("documentation")) {
                        parser.skipChildren();
                    } else {
                        object.set(name, readWithoutDocumentation(parser));
                    }
                }
                return object;
            }
            case START_ARRAY -> {
                ArrayNode array = nodes.arrayNode();
                while (parser.nextToken() != JsonToken.END_ARRAY) {
                    array.add(readWithoutDocumentation(parser));
                }
                return array;
            }
            case VALUE_STRING -> {
                return nodes.textNode(parser.getText());
            }
            case VALUE_NUMBER_INT -> {
                return nodes.numberNode(parser.getLongValue());
            }
            case VALUE_NUMBER_FLOAT -> {
                return nodes.numberNode(parser.getDecimalValue());
            }
            case VALUE_TRUE, VALUE_FALSE -> {
                return nodes.booleanNode(parser.getBooleanValue());
            }
            case VALUE_NULL -> {
                return nodes.nullNode();
            }
            default -> throw new IllegalStateException("Unexpected " + parser.currentToken() + " at "
                    + parser.currentLocation());
        }
    }

    private static void expect(JsonToken found, JsonToken expected, Object where) {
        if (found != expected) {
            throw new IllegalStateException(where + ": " + expected + " expected, found " + found);
        }
    }

    private static JsonNode readJson(Path file) {
        try {
            return JSON.readTree(file.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + file, e);
        }
    }
}
