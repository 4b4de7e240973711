package com.connectionkeeper.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Optional;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.AbstractConstruct;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;

/** A CloudFormation/SAM template read with its short-form intrinsic functions (!Ref, !GetAtt, ...) in long form. */
public final class CloudFormationTemplate {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static volatile CloudFormationTemplate repository;

    private final ObjectNode tree;

    private CloudFormationTemplate(ObjectNode tree) {
        this.tree = tree;
    }

    /** The repository's template.yaml, read once per JVM (a template never changes: every accessor gives copies). */
    public static CloudFormationTemplate load() {
        if (repository == null) {
            repository = load(RepoPaths.template());
        }
        return repository;
    }

    /** The template in {@code file}. */
    public static CloudFormationTemplate load(Path file) {
        try {
            return parse(Files.readString(file));
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read template " + file, e);
        }
    }

    /** The template in {@code yaml} (YAML or JSON text). */
    public static CloudFormationTemplate parse(String yaml) {
        Object document = new Yaml(new IntrinsicFunctionConstructor()).load(yaml);
        if (!(document instanceof Map)) {
            throw new IllegalArgumentException("A template is a YAML mapping, not " + document);
        }
        return new CloudFormationTemplate(JSON.valueToTree(document));
    }

    /** The whole template as a fresh, mutable JSON tree (changing it leaves this template as it is). */
    public JsonNode tree() {
        return tree.deepCopy();
    }

    /** The whole template as fresh, mutable maps, lists and scalars. */
    public Map<String, Object> asMap() {
        return JSON.convertValue(tree, JSON.getTypeFactory().constructMapType(LinkedHashMap.class, String.class,
                Object.class));
    }

    /** The {@code Resources} section (a missing node when there is none). */
    public JsonNode resources() {
        return tree.path("Resources").deepCopy();
    }

    /** The {@code Parameters} section (a missing node when there is none). */
    public JsonNode parameters() {
        return tree.path("Parameters").deepCopy();
    }

    /**
     * What a function reference (an integration's {@code IntegrationUri}, a permission's {@code FunctionName}) invokes:
     * {@code function}, through SAM's alias ({@code !Ref F.Alias}, the alias AutoPublishAlias creates) or not
     * ({@code !GetAtt F.Arn}, {@code !Ref F}: the unqualified function, $LATEST).
     */
    public record Invocation(String function, boolean viaAlias) {
    }

    /** The invocation {@code value} names; empty when it names no function of this form. */
    public static Optional<Invocation> invocation(JsonNode value) {
        JsonNode getAtt = value.path("Fn::GetAtt");
        if (getAtt.isArray() && getAtt.size() == 2 && getAtt.get(1).asText().equals("Arn")) {
            return Optional.of(new Invocation(getAtt.get(0).asText(), false));
        }
        if (getAtt.isTextual() && getAtt.asText().endsWith(".Arn")) {
            return Optional.of(new Invocation(getAtt.asText().substring(0, getAtt.asText().length() - 4), false));
        }
        String ref = value.path("Ref").asText("");
        if (ref.endsWith(".Alias")) {
            return Optional.of(new Invocation(ref.substring(0, ref.length() - ".Alias".length()), true));
        }
        return ref.isEmpty() || ref.contains(".") ? Optional.empty() : Optional.of(new Invocation(ref, false));
    }

    /** The resource with this logical ID; fails when the template has none. */
    public JsonNode resource(String logicalId) {
        JsonNode resource = tree.path("Resources").path(logicalId);
        if (resource instanceof MissingNode) {
            throw new IllegalArgumentException("template.yaml has no resource " + logicalId + "; it has "
                    + fieldNames(tree.path("Resources")));
        }
        return resource.deepCopy();
    }

    /** The logical IDs of the resources of this {@code Type} (e.g. AWS::DynamoDB::Table), in template order. */
    public List<String> resourcesOfType(String type) {
        return fieldNames(tree.path("Resources")).stream()
                .filter(name -> type.equals(tree.path("Resources").path(name).path("Type").asText()))
                .toList();
    }

    private static List<String> fieldNames(JsonNode object) {
        List<String> names = new ArrayList<>();
        object.fieldNames().forEachRemaining(names::add);
        return names;
    }

    /** SnakeYAML's safe constructor plus the CloudFormation short-form tags; timestamps stay strings, as in AWS. */
    private static final class IntrinsicFunctionConstructor extends SafeConstructor {

        private static final Set<String> FUNCTIONS = Set.of("Base64", "Cidr", "FindInMap", "GetAtt", "GetAZs",
                "ImportValue", "Join", "Select", "Split", "Sub", "Transform", "And", "Equals", "If", "Not", "Or");

        IntrinsicFunctionConstructor() {
            super(loaderOptions());
            yamlConstructors.put(Tag.TIMESTAMP, yamlConstructors.get(Tag.STR));
            yamlConstructors.put(new Tag("!Ref"), new LongForm("Ref"));
            yamlConstructors.put(new Tag("!Condition"), new LongForm("Condition"));
            FUNCTIONS.forEach(name -> yamlConstructors.put(new Tag("!" + name), new LongForm("Fn::" + name)));
        }

        private static LoaderOptions loaderOptions() {
            LoaderOptions options = new LoaderOptions();
            options.setAllowDuplicateKeys(false);
            return options;
        }

        /** Turns {@code !Name value} into {@code {"<key>": value}}; a scalar {@code !GetAtt A.B} into [A, B]. */
        private final class LongForm extends AbstractConstruct {

            private final String key;

            LongForm(String key) {
                this.key = key;
            }

            @Override
            public Object construct(Node node) {
                Object value;
                if (node instanceof ScalarNode scalar) {
                    String text = constructScalar(scalar);
                    value = key.equals("Fn::GetAtt") ? getAttList(text, node) : text;
                } else if (node instanceof SequenceNode sequence) {
                    value = constructSequence(sequence);
                } else {
                    value = constructMapping((MappingNode) node);
                }
                return Map.of(key, value);
            }

            private List<String> getAttList(String text, Node node) {
                int dot = text.indexOf('.');
                if (dot <= 0 || dot == text.length() - 1) {
                    throw new IllegalArgumentException("!GetAtt needs LogicalId.Attribute, not '" + text + "' at "
                            + node.getStartMark());
                }
                return List.of(text.substring(0, dot), text.substring(dot + 1));
            }
        }
    }
}
