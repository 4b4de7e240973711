package com.connectionkeeper.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * A loopback stand-in for AWS Secrets Manager's {@code GetSecretValue} (AWS JSON 1.1,
 * {@code X-Amz-Target: secretsmanager.GetSecretValue}), since no emulator exists here: secrets by ARN or name, each
 * {@link #put} a new current version (a rotation), {@code ResourceNotFoundException} for an unknown one, a binary
 * secret answered without {@code SecretString}. It refuses requests not SigV4-signed for {@code secretsmanager},
 * counts calls and can fail the next ones.
 */
public final class LoopbackSecretsManager implements AutoCloseable {
    public static final String REGION = "us-east-1";
    private static final ObjectMapper JSON = new ObjectMapper();

    private record Secret(String arn, String name, String versionId, String text, boolean binary) {
    }

    private final HttpServer server;
    private final Map<String, Secret> byName = new HashMap<>();
    private final List<String> requested = new ArrayList<>();
    private int failuresLeft;
    private int failureStatus;
    private String failureCode;
    private AwsCalls ledger;
    private String verifyAccessKey;
    private String verifySecretKey;

    public LoopbackSecretsManager() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", this::handle);
        server.start();
    }

    /** The endpoint to hand the SDK (endpointOverride, or AWS_ENDPOINT_URL_SECRETS_MANAGER). */
    public URI endpoint() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    /** Creates the secret, or makes {@code secretString} its new current version; returns its ARN. */
    public synchronized String put(String name, String secretString) {
        return store(name, secretString, false);
    }

    /** A secret that holds binary data only (no SecretString). */
    public synchronized String putBinary(String name) {
        return store(name, null, true);
    }

    private String store(String name, String text, boolean binary) {
        Secret old = byName.get(name);
        String arn = old != null ? old.arn() : "arn:aws:secretsmanager:" + REGION + ":111122223333:secret:" + name
                + "-" + UUID.randomUUID().toString().substring(0, 6);
        byName.put(name, new Secret(arn, name, UUID.randomUUID().toString(), text, binary));
        return arn;
    }

    public synchronized void delete(String name) {
        byName.remove(name);
    }

    /** Records every call received from now on (who, secretsmanager:GetSecretValue, the secret named). */
    public synchronized void recordInto(AwsCalls calls) {
        this.ledger = calls;
    }

    /**
     * Checks every request's SigV4 signature from now on, as AWS does: the stand-in signs what it received again with
     * these credentials (the SDK's signer, the request's own date and signed headers) and refuses a request whose
     * signature differs ({@code InvalidSignatureException}).
     */
    public synchronized void verifySignatures(String accessKeyId, String secretAccessKey) {
        this.verifyAccessKey = accessKeyId;
        this.verifySecretKey = secretAccessKey;
    }

    /** Fails the next {@code times} calls: HTTP {@code status} with an AWS error of type {@code code}. */
    public synchronized void failNext(int times, int status, String code) {
        failuresLeft = times;
        failureStatus = status;
        failureCode = code;
    }

    /** The SecretId of every GetSecretValue call received, in order. */
    public synchronized List<String> requests() {
        return List.copyOf(requested);
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String target = String.valueOf(exchange.getRequestHeaders().getFirst("X-Amz-Target"));
            String authorization = exchange.getRequestHeaders().getFirst("Authorization");
            byte[] body = exchange.getRequestBody().readAllBytes();
            String[] reply;
            synchronized (this) {
                String invalid = verifySecretKey == null ? null
                        : SigV4Check.problem(exchange, body, verifyAccessKey, verifySecretKey, "secretsmanager");
                reply = invalid != null ? error(403, "InvalidSignatureException", invalid)
                        : answer(target, authorization, body);
            }
            byte[] bytes = reply[1].getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "application/x-amz-json-1.1");
            exchange.getResponseHeaders().set("x-amzn-RequestId", UUID.randomUUID().toString());
            exchange.sendResponseHeaders(Integer.parseInt(reply[0]), bytes.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        }
    }

    private String[] answer(String target, String authorization, byte[] body) throws IOException {
        if (authorization == null || !authorization.startsWith("AWS4-HMAC-SHA256 ")
                || !authorization.contains("/secretsmanager/aws4_request")) {
            return error(400, "MissingAuthenticationTokenException", "not SigV4-signed for secretsmanager");
        }
        if (!"secretsmanager.GetSecretValue".equals(target)) {
            return error(400, "UnknownOperationException", "only GetSecretValue: " + target);
        }
        JsonNode request = JSON.readTree(body);
        String id = request.path("SecretId").asText("");
        requested.add(id);
        if (ledger != null) {
            ledger.add(authorization, "secretsmanager:GetSecretValue", id);
        }
        if (failuresLeft > 0) {
            failuresLeft--;
            return error(failureStatus, failureCode, "injected failure");
        }
        Secret secret = byName.values().stream().filter(s -> s.arn().equals(id) || s.name().equals(id)).findFirst()
                .orElse(null);
        if (secret == null) {
            return error(400, "ResourceNotFoundException", "Secrets Manager can't find the specified secret.");
        }
        ObjectNode out = JSON.createObjectNode().put("ARN", secret.arn()).put("Name", secret.name())
                .put("VersionId", secret.versionId()).put("CreatedDate", System.currentTimeMillis() / 1000.0);
        out.putArray("VersionStages").add("AWSCURRENT");
        if (secret.binary()) {
            out.put("SecretBinary", "AAECAw==");
        } else {
            out.put("SecretString", secret.text());
        }
        return new String[] {"200", out.toString()};
    }

    private static String[] error(int status, String type, String message) {
        return new String[] {Integer.toString(status),
                JSON.createObjectNode().put("__type", type).put("message", message).toString()};
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
