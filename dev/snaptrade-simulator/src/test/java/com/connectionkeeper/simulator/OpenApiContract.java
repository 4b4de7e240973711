package com.connectionkeeper.simulator;

import com.connectionkeeper.testkit.RepoPaths;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.PathItem;
import io.swagger.v3.oas.models.media.MediaType;
import io.swagger.v3.oas.models.responses.ApiResponse;
import io.swagger.v3.parser.OpenAPIV3Parser;
import io.swagger.v3.parser.core.models.ParseOptions;
import io.swagger.v3.parser.core.models.SwaggerParseResult;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Checks response bodies against SnapTrade's OpenAPI 3.0 spec (shared/snaptrade/openapi.yaml, fully resolved): the
 * operation's schema for the status (else its default) as JSON Schema, and every error body against SnapTrade's error
 * shape {@code {"detail", "status_code", "code"}}, which the spec leaves loose.
 */
final class OpenApiContract {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final Map<Endpoint, String[]> OPERATIONS = Map.of(
            Endpoint.LIST_AUTHORIZATIONS, new String[] {"/authorizations", "GET"},
            Endpoint.DETAIL_AUTHORIZATION, new String[] {"/authorizations/{authorizationId}", "GET"},
            Endpoint.DISABLE_AUTHORIZATION, new String[] {"/authorizations/{authorizationId}/disable", "POST"},
            Endpoint.LOGIN, new String[] {"/snapTrade/login", "POST"},
            Endpoint.REGISTER_USER, new String[] {"/snapTrade/registerUser", "POST"},
            Endpoint.LIST_USERS, new String[] {"/snapTrade/listUsers", "GET"},
            Endpoint.DELETE_USER, new String[] {"/snapTrade/deleteUser", "DELETE"},
            Endpoint.RESET_USER_SECRET, new String[] {"/snapTrade/resetUserSecret", "POST"});
    private static final String ERROR_SHAPE = "{\"type\":\"object\",\"required\":[\"detail\",\"status_code\",\"code\"],"
            + "\"properties\":{\"detail\":{\"type\":\"string\"},\"status_code\":{\"type\":\"integer\"},"
            + "\"code\":{\"type\":\"string\"}}}";
    private static OpenApiContract loaded;

    private final OpenAPI spec;
    private final SchemaRegistry registry = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_7);
    private final Schema errorShape;

    private OpenApiContract(OpenAPI spec) throws IOException {
        this.spec = spec;
        this.errorShape = registry.getSchema(MAPPER.readTree(ERROR_SHAPE));
    }

    /** The spec, loaded once; skips the calling test (JUnit assumption) where shared/ is absent. */
    static synchronized OpenApiContract load() throws IOException {
        if (loaded == null) {
            ParseOptions options = new ParseOptions();
            options.setResolve(true);
            options.setResolveFully(true);
            String location = RepoPaths.assumeShared("snaptrade/openapi.yaml").toString();
            SwaggerParseResult result = new OpenAPIV3Parser().readLocation(location, null, options);
            if (result.getOpenAPI() == null) {
                throw new IllegalStateException("cannot parse " + location + ": " + result.getMessages());
            }
            loaded = new OpenApiContract(result.getOpenAPI());
        }
        return loaded;
    }

    /** The spec where this machine has shared/, for checks that run alongside tests which do not need it. */
    static Optional<OpenApiContract> ifPresent() throws IOException {
        return RepoPaths.shared().isPresent() ? Optional.of(load()) : Optional.empty();
    }

    /** Why {@code body}, answered with {@code status} by {@code endpoint}, breaks the spec; empty when it does not. */
    List<String> errors(Endpoint endpoint, int status, String body) {
        JsonNode json;
        try {
            json = MAPPER.readTree(body);
        } catch (IOException e) {
            return List.of("not JSON: " + e.getMessage());
        }
        if (json == null) {
            return List.of("empty body");
        }
        List<String> errors = new ArrayList<>();
        responseSchema(endpoint, status).ifPresentOrElse(
                schema -> schema.validate(json).forEach(e -> errors.add("spec: " + e)),
                () -> errors.addAll(status < 300 ? List.of("the spec has no " + status + " schema") : List.of()));
        if (status >= 400) {
            errorShape.validate(json).forEach(e -> errors.add("error shape: " + e));
            if (json.path("status_code").asInt() != status) {
                errors.add("status_code " + json.path("status_code") + " is not the HTTP status " + status);
            }
        }
        return errors;
    }

    private Optional<Schema> responseSchema(Endpoint endpoint, int status) {
        String[] operation = OPERATIONS.get(endpoint);
        PathItem path = spec.getPaths().get(operation[0]);
        Operation op = path.readOperationsMap().get(PathItem.HttpMethod.valueOf(operation[1]));
        ApiResponse response = op.getResponses().getOrDefault(Integer.toString(status), op.getResponses().get("default"));
        MediaType media = response == null || response.getContent() == null ? null
                : response.getContent().get("application/json");
        if (media == null || media.getSchema() == null) {
            return Optional.empty();
        }
        JsonNode schema = io.swagger.v3.core.util.Json.mapper().valueToTree(media.getSchema());
        return Optional.of(registry.getSchema(toJsonSchema(schema)));
    }

    /**
     * OpenAPI 3.0 → JSON Schema: {@code nullable: true} becomes a "null" type (or an anyOf with null where there is no
     * type); an untyped oneOf of open objects (login's LoginRedirectURI | encryptedResponse, which any object matches
     * both of) becomes anyOf; OpenAPI-only keywords are dropped.
     */
    static JsonNode toJsonSchema(JsonNode node) {
        if (node.isArray()) {
            ArrayNode out = MAPPER.createArrayNode();
            node.forEach(item -> out.add(toJsonSchema(item)));
            return out;
        }
        if (!node.isObject()) {
            return node;
        }
        ObjectNode out = MAPPER.createObjectNode();
        for (Map.Entry<String, JsonNode> field : node.properties()) {
            String key = field.getKey();
            if (key.equals("nullable") || key.equals("example") || key.equals("deprecated") || key.startsWith("x-")
                    || key.equals("discriminator") || key.equals("exampleSetFlag")) {
                continue;
            }
            out.set(key.equals("oneOf") ? "anyOf" : key,
                    key.equals("properties") ? propertiesToJsonSchema(field.getValue()) : toJsonSchema(field.getValue()));
        }
        if (!node.path("nullable").asBoolean(false)) {
            return out;
        }
        if (out.has("type")) {
            out.set("type", MAPPER.createArrayNode().add(out.get("type").asText()).add("null"));
            return out;
        }
        ObjectNode anyOf = MAPPER.createObjectNode();
        anyOf.putArray("anyOf").add(MAPPER.createObjectNode().put("type", "null")).add(out);
        return anyOf;
    }

    /** Property names are data, not keywords: only their schemas are converted. */
    private static JsonNode propertiesToJsonSchema(JsonNode properties) {
        ObjectNode out = MAPPER.createObjectNode();
        properties.properties().forEach(p -> out.set(p.getKey(), toJsonSchema(p.getValue())));
        return out;
    }
}
