package com.connectionkeeper.store;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest;

/** Assembles one UpdateItem: SET / REMOVE / ADD clauses and a condition, every name and value a placeholder. */
public final class UpdateBuilder {
    private final Map<String, String> names = new HashMap<>();
    private final Map<String, AttributeValue> values = new HashMap<>();
    private final List<String> sets = new ArrayList<>();
    private final List<String> removes = new ArrayList<>();
    private final List<String> adds = new ArrayList<>();
    private String condition;

    public static AttributeValue s(String value) {
        return AttributeValue.fromS(value);
    }

    public String name(String attribute) {
        String placeholder = "#" + attribute;
        names.put(placeholder, attribute);
        return placeholder;
    }

    public String value(AttributeValue v) {
        String placeholder = ":v" + values.size();
        values.put(placeholder, v);
        return placeholder;
    }

    public UpdateBuilder set(String attribute, String value) {
        return value == null ? this : set(attribute, s(value));
    }

    public UpdateBuilder set(String attribute, AttributeValue value) {
        sets.add(name(attribute) + " = " + value(value));
        return this;
    }

    /** Sets the attribute only if the item does not have it yet. */
    public UpdateBuilder setIfAbsent(String attribute, AttributeValue value) {
        String n = name(attribute);
        sets.add(n + " = if_not_exists(" + n + ", " + value(value) + ")");
        return this;
    }

    /** Sets the attribute to {@code value}, or removes it when {@code value} is null. */
    public UpdateBuilder setOrRemove(String attribute, String value) {
        return value == null ? remove(attribute) : set(attribute, value);
    }

    public UpdateBuilder remove(String attribute) {
        removes.add(name(attribute));
        return this;
    }

    public UpdateBuilder add(String attribute, AttributeValue number) {
        adds.add(name(attribute) + " " + value(number));
        return this;
    }

    /** Condition: the attribute is absent, or not after {@code value} (string order = timeline order). */
    public UpdateBuilder whenAbsentOrNotAfter(String attribute, String value) {
        String n = name(attribute);
        condition = "attribute_not_exists(" + n + ") OR " + n + " <= " + value(s(value));
        return this;
    }

    /** Any condition, written with this builder's {@link #name} and {@link #value} placeholders. */
    public UpdateBuilder when(String conditionExpression) {
        condition = conditionExpression;
        return this;
    }

    /**
     * The request. A clause without actions is left out, and so are the values when there are none: DynamoDB
     * rejects an empty {@code SET} and an empty ExpressionAttributeValues (e.g. a REMOVE-only update).
     */
    UpdateItemRequest build(String table, Map<String, AttributeValue> key, ReturnValue returnValue) {
        List<String> clauses = new ArrayList<>();
        if (!sets.isEmpty()) {
            clauses.add("SET " + String.join(", ", sets));
        }
        if (!removes.isEmpty()) {
            clauses.add("REMOVE " + String.join(", ", removes));
        }
        if (!adds.isEmpty()) {
            clauses.add("ADD " + String.join(", ", adds));
        }
        return UpdateItemRequest.builder()
                .tableName(table)
                .key(key)
                .updateExpression(String.join(" ", clauses))
                .conditionExpression(condition)
                .expressionAttributeNames(names)
                .expressionAttributeValues(values.isEmpty() ? null : values)
                .returnValues(returnValue)
                .build();
    }
}
