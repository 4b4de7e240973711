package com.connectionkeeper.testkit;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

import com.fasterxml.jackson.databind.JsonNode;

import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.CreateTableRequest;
import software.amazon.awssdk.services.dynamodb.model.GlobalSecondaryIndex;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.LocalSecondaryIndex;
import software.amazon.awssdk.services.dynamodb.model.Projection;

/** DynamoDB CreateTable requests from a template's AWS::DynamoDB::Table, so test tables have exactly its keys. */
public final class TableDefinitions {

    private static final String TABLE_TYPE = "AWS::DynamoDB::Table";

    private TableDefinitions() {
    }

    /** The logical ID of the template's one DynamoDB table; fails when it has none or several. */
    public static String onlyTable(CloudFormationTemplate template) {
        List<String> tables = template.resourcesOfType(TABLE_TYPE);
        if (tables.size() != 1) {
            throw new IllegalStateException("Expected exactly one " + TABLE_TYPE + " in the template, found " + tables
                    + "; name the one you want");
        }
        return tables.get(0);
    }

    /**
     * A CreateTable request named {@code tableName} with the key schema, attribute definitions and indexes of the
     * template's table {@code logicalId}; always on-demand, and without streams, point-in-time recovery or SSE, which
     * dynalite lacks.
     */
    public static CreateTableRequest createTableRequest(CloudFormationTemplate template, String logicalId,
            String tableName) {
        JsonNode resource = template.resource(logicalId);
        if (!TABLE_TYPE.equals(resource.path("Type").asText())) {
            throw new IllegalArgumentException(logicalId + " is a " + resource.path("Type").asText() + ", not a "
                    + TABLE_TYPE);
        }
        JsonNode table = resource.path("Properties");
        CreateTableRequest.Builder request = CreateTableRequest.builder()
                .tableName(tableName)
                .billingMode(BillingMode.PAY_PER_REQUEST)
                .keySchema(keySchema(table.path("KeySchema")))
                .attributeDefinitions(list(table.path("AttributeDefinitions"), TableDefinitions::attributeDefinition));
        if (table.has("GlobalSecondaryIndexes")) {
            request.globalSecondaryIndexes(list(table.path("GlobalSecondaryIndexes"), TableDefinitions::globalIndex));
        }
        if (table.has("LocalSecondaryIndexes")) {
            request.localSecondaryIndexes(list(table.path("LocalSecondaryIndexes"), TableDefinitions::localIndex));
        }
        return request.build();
    }

    private static AttributeDefinition attributeDefinition(JsonNode definition) {
        return AttributeDefinition.builder()
                .attributeName(text(definition, "AttributeName"))
                .attributeType(text(definition, "AttributeType"))
                .build();
    }

    private static GlobalSecondaryIndex globalIndex(JsonNode index) {
        return GlobalSecondaryIndex.builder()
                .indexName(text(index, "IndexName"))
                .keySchema(keySchema(index.path("KeySchema")))
                .projection(projection(index.path("Projection")))
                .build();
    }

    private static LocalSecondaryIndex localIndex(JsonNode index) {
        return LocalSecondaryIndex.builder()
                .indexName(text(index, "IndexName"))
                .keySchema(keySchema(index.path("KeySchema")))
                .projection(projection(index.path("Projection")))
                .build();
    }

    private static List<KeySchemaElement> keySchema(JsonNode keys) {
        return list(keys, key -> KeySchemaElement.builder()
                .attributeName(text(key, "AttributeName"))
                .keyType(text(key, "KeyType"))
                .build());
    }

    private static Projection projection(JsonNode projection) {
        Projection.Builder builder = Projection.builder().projectionType(text(projection, "ProjectionType"));
        if (projection.has("NonKeyAttributes")) {
            builder.nonKeyAttributes(list(projection.path("NonKeyAttributes"), JsonNode::asText));
        }
        return builder.build();
    }

    private static <T> List<T> list(JsonNode array, Function<JsonNode, T> element) {
        if (!array.isArray()) {
            throw new IllegalArgumentException("Expected a list in the table definition, found " + array);
        }
        List<T> elements = new ArrayList<>();
        array.forEach(node -> elements.add(element.apply(node)));
        return elements;
    }

    private static String text(JsonNode object, String field) {
        JsonNode value = object.path(field);
        if (!value.isValueNode()) {
            throw new IllegalArgumentException("The table definition needs a literal " + field + " in " + object
                    + " (intrinsic functions are not resolved here)");
        }
        return value.asText();
    }
}
