package com.connectionkeeper.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Iterator;
import java.util.Optional;
import java.util.Set;

/** A request's JSON body: an object with known fields only, each of the right type; anything else is a 400. */
final class Body {
    /**
     * One JSON value and nothing after it ({@code {"userId":"a"} {"userId":"b"}} is not JSON), and no field twice
     * (which of two userIds would be meant?).
     */
    private static final ObjectReader READER = Json.MAPPER.reader()
            .with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .with(StreamReadFeature.STRICT_DUPLICATE_DETECTION);

    private final ObjectNode node;

    private Body(ObjectNode node) {
        this.node = node;
    }

    /** Parses {@code text}; an absent or empty body is an empty object when {@code optional}. */
    static Body parse(String text, Set<String> allowed, boolean optional) {
        if (text == null || text.isBlank()) {
            if (optional) {
                return new Body(Json.MAPPER.createObjectNode());
            }
            throw ApiException.badRequest("a JSON object body is required");
        }
        JsonNode parsed;
        try {
            parsed = READER.readTree(text);
        } catch (JsonProcessingException e) {
            String message = e.getOriginalMessage();
            throw ApiException.badRequest(message != null && message.startsWith("Duplicate field")
                    ? "the body names a field twice" : "the body is not valid JSON");
        }
        if (!(parsed instanceof ObjectNode object)) {
            throw ApiException.badRequest("the body must be a JSON object");
        }
        for (Iterator<String> names = object.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!allowed.contains(name)) {
                throw ApiException.badRequest("unknown field '" + name + "'; allowed: " + String.join(", ",
                        allowed.stream().sorted().toList()));
            }
        }
        return new Body(object);
    }

    String requiredString(String name, int maxLength) {
        return optionalString(name, maxLength)
                .orElseThrow(() -> ApiException.badRequest("'" + name + "' is required"));
    }

    Optional<String> optionalString(String name, int maxLength) {
        JsonNode v = node.get(name);
        if (v == null || v.isNull()) {
            return Optional.empty();
        }
        if (!v.isTextual() || v.asText().isEmpty()) {
            throw ApiException.badRequest("'" + name + "' must be a non-empty string");
        }
        if (v.asText().length() > maxLength) {
            throw ApiException.badRequest("'" + name + "' is longer than " + maxLength + " characters");
        }
        return Optional.of(v.asText());
    }

    Optional<Boolean> optionalBoolean(String name) {
        JsonNode v = node.get(name);
        if (v == null || v.isNull()) {
            return Optional.empty();
        }
        if (!v.isBoolean()) {
            throw ApiException.badRequest("'" + name + "' must be true or false");
        }
        return Optional.of(v.booleanValue());
    }
}
