package com.connectionkeeper.testkit;

import com.amazonaws.services.lambda.runtime.events.DynamodbEvent;
import com.amazonaws.services.lambda.runtime.events.DynamodbEvent.DynamodbStreamRecord;
import com.amazonaws.services.lambda.runtime.events.models.dynamodb.AttributeValue;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * The filter criteria of a function's DynamoDB stream event, read from the template, applied as Lambda's event source
 * mapping applies them: a record reaches the function when it matches at least one pattern. Patterns are matched on
 * the record's JSON form ({@code eventName}, {@code dynamodb.NewImage}/{@code OldImage} in DynamoDB JSON). Supported:
 * nested objects and lists of exact values; any other pattern syntax fails loudly (so a template using more is not
 * silently tested as if it matched).
 */
public final class StreamFilter {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final List<JsonNode> patterns;

    private StreamFilter(List<JsonNode> patterns) {
        this.patterns = List.copyOf(patterns);
    }

    /** The patterns of {@code function}'s stream event {@code event} in {@code template}. */
    public static StreamFilter of(CloudFormationTemplate template, String function, String event) {
        JsonNode filters = template.resource(function).path("Properties").path("Events").path(event)
                .path("Properties").path("FilterCriteria").path("Filters");
        if (!filters.isArray() || filters.isEmpty()) {
            throw new IllegalStateException(function + "." + event + " has no FilterCriteria.Filters");
        }
        List<JsonNode> patterns = new ArrayList<>();
        for (JsonNode filter : filters) {
            try {
                patterns.add(JSON.readTree(filter.path("Pattern").asText()));
            } catch (IOException e) {
                throw new UncheckedIOException("not a JSON pattern: " + filter, e);
            }
        }
        return new StreamFilter(patterns);
    }

    /** A filter of these patterns (JSON text each), as a template's {@code FilterCriteria} would hold them. */
    public static StreamFilter ofPatterns(String... patterns) {
        List<JsonNode> parsed = new ArrayList<>();
        for (String pattern : patterns) {
            try {
                parsed.add(JSON.readTree(pattern));
            } catch (IOException e) {
                throw new UncheckedIOException("not a JSON pattern: " + pattern, e);
            }
        }
        return new StreamFilter(parsed);
    }

    /** The repository template's filter of {@code LifecycleFunction}'s {@code TableStream}. */
    public static StreamFilter lifecycle() {
        return of(CloudFormationTemplate.load(), "LifecycleFunction", "TableStream");
    }

    /** Whether the record reaches the function. */
    public boolean passes(DynamodbStreamRecord record) {
        return passes(json(record));
    }

    /** Whether the record, in its JSON form as Lambda's event carries it, reaches the function. */
    public boolean passes(JsonNode json) {
        for (JsonNode pattern : patterns) {
            if (matches(pattern, json)) {
                return true;
            }
        }
        return false;
    }

    /** The records of {@code records} that reach the function, in order. */
    public List<DynamodbStreamRecord> passing(List<DynamodbStreamRecord> records) {
        return records.stream().filter(this::passes).toList();
    }

    /** {@code event} with only the records that reach the function. */
    public DynamodbEvent apply(DynamodbEvent event) {
        DynamodbEvent out = new DynamodbEvent();
        out.setRecords(new ArrayList<>(passing(event.getRecords())));
        return out;
    }

    private static boolean matches(JsonNode pattern, JsonNode value) {
        if (pattern.isObject()) {
            if (value == null || !value.isObject()) {
                return false;
            }
            for (Iterator<Map.Entry<String, JsonNode>> it = pattern.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> field = it.next();
                if (!matches(field.getValue(), value.get(field.getKey()))) {
                    return false;
                }
            }
            return true;
        }
        if (pattern.isArray()) {
            for (JsonNode allowed : pattern) {
                if (!allowed.isValueNode() || allowed.isNull()) {
                    throw new UnsupportedOperationException("pattern syntax not supported here: " + pattern);
                }
                if (value != null && value.isValueNode() && allowed.asText().equals(value.asText())
                        && allowed.isTextual() == value.isTextual()) {
                    return true;
                }
            }
            return false;
        }
        throw new UnsupportedOperationException("a pattern's leaves are lists of values: " + pattern);
    }

    /** The record as Lambda's filtering sees it. */
    static JsonNode json(DynamodbStreamRecord record) {
        ObjectNode out = JSON.createObjectNode();
        if (record.getEventName() != null) {
            out.put("eventName", record.getEventName());
        }
        ObjectNode dynamodb = out.putObject("dynamodb");
        if (record.getDynamodb() != null) {
            if (record.getDynamodb().getNewImage() != null) {
                dynamodb.set("NewImage", image(record.getDynamodb().getNewImage()));
            }
            if (record.getDynamodb().getOldImage() != null) {
                dynamodb.set("OldImage", image(record.getDynamodb().getOldImage()));
            }
        }
        return out;
    }

    private static ObjectNode image(Map<String, AttributeValue> image) {
        ObjectNode out = JSON.createObjectNode();
        image.forEach((name, value) -> out.set(name, value(value)));
        return out;
    }

    private static JsonNode value(AttributeValue v) {
        ObjectNode out = JSON.createObjectNode();
        if (v.getS() != null) {
            out.put("S", v.getS());
        } else if (v.getN() != null) {
            out.put("N", v.getN());
        } else if (v.getBOOL() != null) {
            out.put("BOOL", v.getBOOL());
        } else if (v.getNULL() != null) {
            out.put("NULL", v.getNULL());
        } else if (v.getM() != null) {
            out.set("M", image(v.getM()));
        } else if (v.getL() != null) {
            ArrayNode list = out.putArray("L");
            v.getL().forEach(item -> list.add(value(item)));
        } else if (v.getSS() != null) {
            ArrayNode list = out.putArray("SS");
            v.getSS().forEach(list::add);
        } else if (v.getNS() != null) {
            ArrayNode list = out.putArray("NS");
            v.getNS().forEach(list::add);
        } else {
            out.put("B", "binary");
        }
        return out;
    }
}
