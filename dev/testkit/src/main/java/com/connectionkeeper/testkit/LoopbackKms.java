package com.connectionkeeper.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * A loopback stand-in for AWS KMS's {@code TrentService.Encrypt} and {@code TrentService.Decrypt} (AWS JSON 1.1),
 * since no KMS emulator exists here. It behaves as KMS does where our code depends on it: symmetric keys by id, ARN
 * or alias; the encryption context authenticated with the ciphertext (a different context is
 * {@code InvalidCiphertextException}); a Decrypt naming another key than the ciphertext's is
 * {@code IncorrectKeyException}; a disabled key is {@code DisabledException}; at most 4096 bytes of plaintext. Like
 * IAM in front of KMS it can require an encryption-context entry ({@link #requireContext}: otherwise
 * {@code AccessDeniedException}), and it refuses requests that are not SigV4-signed for the service {@code kms}. It
 * counts the calls per operation and can fail the next ones (throttling, 5xx).
 */
public final class LoopbackKms implements AutoCloseable {
    /** The account and region of the keys' ARNs. */
    public static final String ACCOUNT = "111122223333";
    public static final String REGION = "us-east-1";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final SecureRandom RANDOM = new SecureRandom();

    private final HttpServer server;
    private final Map<String, SecretKeySpec> keys = new HashMap<>();
    private final Map<String, String> aliases = new HashMap<>();
    private final Set<String> disabled = new HashSet<>();
    private final Map<String, String> requiredContext = new LinkedHashMap<>();
    private final Map<String, Integer> calls = new HashMap<>();
    private final List<String> authorizations = new ArrayList<>();
    private int failuresLeft;
    private int failureStatus;
    private String failureCode;
    private AwsCalls ledger;

    public LoopbackKms() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", this::handle);
        server.start();
    }

    /** The endpoint to hand the SDK (endpointOverride, or AWS_ENDPOINT_URL_KMS). */
    public URI endpoint() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    /** Creates a symmetric key; returns its ARN. */
    public synchronized String createKey() {
        String id = UUID.randomUUID().toString();
        byte[] material = new byte[32];
        RANDOM.nextBytes(material);
        keys.put(id, new SecretKeySpec(material, "AES"));
        return arn(id);
    }

    /** Names a key by {@code alias/...}. */
    public synchronized void alias(String alias, String keyArn) {
        aliases.put(alias, idOf(keyArn));
    }

    public synchronized void disable(String keyArn) {
        disabled.add(idOf(keyArn));
    }

    /** Like an IAM condition {@code kms:EncryptionContext:<name>}: calls without this entry are denied. */
    public synchronized void requireContext(String name, String value) {
        requiredContext.put(name, value);
    }

    /** Records every call received from now on (who, kms:Encrypt/Decrypt, the key named). */
    public synchronized void recordInto(AwsCalls calls) {
        this.ledger = calls;
    }

    /** Fails the next {@code times} calls: HTTP {@code status} with an AWS error of type {@code code}. */
    public synchronized void failNext(int times, int status, String code) {
        failuresLeft = times;
        failureStatus = status;
        failureCode = code;
    }

    /** Calls of an operation ({@code Encrypt}, {@code Decrypt}) received so far, failed ones included. */
    public synchronized int calls(String operation) {
        return calls.getOrDefault(operation, 0);
    }

    /** The Authorization header of every call, in order. */
    public synchronized List<String> authorizations() {
        return List.copyOf(authorizations);
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String target = String.valueOf(exchange.getRequestHeaders().getFirst("X-Amz-Target"));
            String authorization = exchange.getRequestHeaders().getFirst("Authorization");
            byte[] body = exchange.getRequestBody().readAllBytes();
            Reply reply;
            synchronized (this) {
                String operation = target.startsWith("TrentService.") ? target.substring(13) : target;
                calls.merge(operation, 1, Integer::sum);
                authorizations.add(authorization);
                reply = answer(operation, authorization, body);
            }
            byte[] bytes = reply.body().getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "application/x-amz-json-1.1");
            exchange.getResponseHeaders().set("x-amzn-RequestId", UUID.randomUUID().toString());
            exchange.sendResponseHeaders(reply.status(), bytes.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        }
    }

    private Reply answer(String operation, String authorization, byte[] body) {
        if (authorization == null || !authorization.startsWith("AWS4-HMAC-SHA256 ")
                || !authorization.contains("/kms/aws4_request")) {
            return error(400, "MissingAuthenticationTokenException", "not SigV4-signed for kms");
        }
        if (failuresLeft > 0) {
            failuresLeft--;
            return error(failureStatus, failureCode, "injected failure");
        }
        JsonNode request;
        try {
            request = JSON.readTree(body);
        } catch (IOException e) {
            return error(400, "SerializationException", "not JSON");
        }
        if (ledger != null) {
            ledger.add(authorization, "kms:" + operation, request.path("KeyId").asText("?"));
        }
        Map<String, String> context = context(request.path("EncryptionContext"));
        for (Map.Entry<String, String> required : requiredContext.entrySet()) {
            if (!required.getValue().equals(context.get(required.getKey()))) {
                return error(400, "AccessDeniedException", "the encryption context does not satisfy the policy");
            }
        }
        try {
            return switch (operation) {
                case "Encrypt" -> encrypt(request, context);
                case "Decrypt" -> decrypt(request, context);
                default -> error(400, "UnknownOperationException", "only Encrypt and Decrypt: " + operation);
            };
        } catch (GeneralSecurityException e) {
            return error(500, "KMSInternalException", e.getClass().getSimpleName());
        }
    }

    private Reply encrypt(JsonNode request, Map<String, String> context) throws GeneralSecurityException {
        String id = resolve(request.path("KeyId").asText(""));
        if (id == null) {
            return error(400, "NotFoundException", "key not found");
        }
        if (disabled.contains(id)) {
            return error(400, "DisabledException", "key is disabled");
        }
        byte[] plaintext = decode(request.path("Plaintext").asText(""));
        if (plaintext == null || plaintext.length == 0 || plaintext.length > 4096) {
            return error(400, "ValidationException", "Plaintext must be 1 to 4096 bytes");
        }
        byte[] iv = new byte[12];
        RANDOM.nextBytes(iv);
        Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
        cipher.init(Cipher.ENCRYPT_MODE, keys.get(id), new GCMParameterSpec(128, iv));
        cipher.updateAAD(aad(context));
        byte[] sealed = cipher.doFinal(plaintext);
        byte[] idBytes = id.getBytes(StandardCharsets.US_ASCII);
        byte[] blob = ByteBuffer.allocate(1 + idBytes.length + iv.length + sealed.length).put((byte) idBytes.length)
                .put(idBytes).put(iv).put(sealed).array();
        ObjectNode out = JSON.createObjectNode().put("CiphertextBlob", Base64.getEncoder().encodeToString(blob))
                .put("KeyId", arn(id)).put("EncryptionAlgorithm", "SYMMETRIC_DEFAULT");
        return new Reply(200, out.toString());
    }

    private Reply decrypt(JsonNode request, Map<String, String> context) throws GeneralSecurityException {
        byte[] blob = decode(request.path("CiphertextBlob").asText(""));
        if (blob == null || blob.length < 2 || blob.length < 1 + blob[0] + 12 + 16) {
            return error(400, "InvalidCiphertextException", "not a ciphertext");
        }
        String id = new String(blob, 1, blob[0], StandardCharsets.US_ASCII);
        if (!keys.containsKey(id)) {
            return error(400, "InvalidCiphertextException", "not a ciphertext of this account");
        }
        if (request.hasNonNull("KeyId") && !id.equals(resolve(request.get("KeyId").asText()))) {
            return error(400, "IncorrectKeyException", "the ciphertext was not encrypted under the given key");
        }
        if (disabled.contains(id)) {
            return error(400, "DisabledException", "key is disabled");
        }
        int offset = 1 + blob[0];
        Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
        cipher.init(Cipher.DECRYPT_MODE, keys.get(id), new GCMParameterSpec(128, blob, offset, 12));
        cipher.updateAAD(aad(context));
        byte[] plaintext;
        try {
            plaintext = cipher.doFinal(blob, offset + 12, blob.length - offset - 12);
        } catch (AEADBadTagException e) {
            return error(400, "InvalidCiphertextException", "the ciphertext or its encryption context is wrong");
        }
        ObjectNode out = JSON.createObjectNode().put("Plaintext", Base64.getEncoder().encodeToString(plaintext))
                .put("KeyId", arn(id)).put("EncryptionAlgorithm", "SYMMETRIC_DEFAULT");
        return new Reply(200, out.toString());
    }

    private String resolve(String keyId) {
        if (keyId.startsWith("alias/")) {
            return aliases.get(keyId);
        }
        String id = idOf(keyId);
        return keys.containsKey(id) ? id : null;
    }

    private static String idOf(String keyIdOrArn) {
        int slash = keyIdOrArn.lastIndexOf("key/");
        return slash >= 0 ? keyIdOrArn.substring(slash + 4) : keyIdOrArn;
    }

    private static String arn(String id) {
        return "arn:aws:kms:" + REGION + ":" + ACCOUNT + ":key/" + id;
    }

    private static Map<String, String> context(JsonNode node) {
        Map<String, String> context = new TreeMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            context.put(e.getKey(), e.getValue().asText());
        }
        return context;
    }

    private static byte[] aad(Map<String, String> context) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        context.forEach((k, v) -> {
            byte[] key = k.getBytes(StandardCharsets.UTF_8);
            byte[] value = v.getBytes(StandardCharsets.UTF_8);
            out.writeBytes(ByteBuffer.allocate(8).putInt(key.length).putInt(value.length).array());
            out.writeBytes(key);
            out.writeBytes(value);
        });
        return out.toByteArray();
    }

    private static byte[] decode(String base64) {
        try {
            return Base64.getDecoder().decode(base64);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static Reply error(int status, String type, String message) {
        return new Reply(status, JSON.createObjectNode().put("__type", type).put("message", message).toString());
    }

    private record Reply(int status, String body) {
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
