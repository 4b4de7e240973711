package com.connectionkeeper.testkit;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Test adapter for a Lambda {@link RequestStreamHandler} behind an HTTP API (payload format 2.0): an event model or
 * the bytes of an events/ fixture in, as Lambda's runtime streams them, and the response it wrote read back into
 * the response model tests assert on.
 */
public final class HttpApiInvoker {
    private static final ObjectMapper JSON = new ObjectMapper();

    private HttpApiInvoker() {
    }

    public static APIGatewayV2HTTPResponse invoke(RequestStreamHandler handler, APIGatewayV2HTTPEvent event) {
        return invoke(handler, json(event), null);
    }

    /** The event as JSON bytes, e.g. a fixture's file, as Lambda hands it to the function. */
    public static APIGatewayV2HTTPResponse invoke(RequestStreamHandler handler, byte[] event, Context context) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            handler.handleRequest(new ByteArrayInputStream(event), out, context);
            return response(out.toByteArray());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The event's fields an HTTP API sends (those the model holds and the functions read) as JSON. */
    public static byte[] json(APIGatewayV2HTTPEvent event) {
        ObjectNode root = JSON.createObjectNode();
        root.put("version", "2.0");
        root.put("routeKey", event.getRouteKey());
        root.put("rawPath", event.getRawPath());
        root.put("body", event.getBody());
        root.put("isBase64Encoded", event.getIsBase64Encoded());
        if (event.getHeaders() != null) {
            ObjectNode headers = root.putObject("headers");
            event.getHeaders().forEach(headers::put);
        }
        if (event.getRequestContext() != null) {
            root.putObject("requestContext").put("requestId", event.getRequestContext().getRequestId());
        }
        try {
            return JSON.writeValueAsBytes(root);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A response as a function wrote it (statusCode, headers, body, isBase64Encoded). */
    public static APIGatewayV2HTTPResponse response(byte[] written) throws IOException {
        JsonNode root = JSON.readTree(written);
        Map<String, String> headers = new LinkedHashMap<>();
        root.path("headers").properties().forEach(h -> headers.put(h.getKey(), h.getValue().asText()));
        return APIGatewayV2HTTPResponse.builder()
                .withStatusCode(root.path("statusCode").asInt())
                .withHeaders(headers)
                .withBody(root.path("body").isNull() ? null : root.path("body").asText(null))
                .withIsBase64Encoded(root.path("isBase64Encoded").asBoolean())
                .build();
    }
}
