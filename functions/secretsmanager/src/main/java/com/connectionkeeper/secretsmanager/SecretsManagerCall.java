package com.connectionkeeper.secretsmanager;

import com.connectionkeeper.core.config.Config;
import com.connectionkeeper.core.json.JsonReader.Token;
import com.connectionkeeper.core.json.JsonReader;
import com.connectionkeeper.core.json.JsonText;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.HttpExecuteRequest;
import software.amazon.awssdk.http.HttpExecuteResponse;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.SignedRequest;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.regions.RegionMetadata;

/**
 * Secrets Manager's {@code GetSecretValue}, the one call the functions make of it, as one AWS JSON 1.1 request signed
 * with the SDK's SigV4 signer and the SDK's default credentials chain, over the URL-connection HTTP client every
 * function already carries — instead of the SDK's Secrets Manager client (730 KB of generated model, endpoint rules
 * and protocol code, loaded at every cold start, for one call). The endpoint is the SDK's: {@code
 * AWS_ENDPOINT_URL_SECRETS_MANAGER}, else {@code AWS_ENDPOINT_URL}, else the region's public endpoint. Throttling and
 * 5xx are tried three times. Thread-safe.
 */
final class SecretsManagerCall {
    static final String SERVICE = "secretsmanager";
    private static final String TARGET = "secretsmanager.GetSecretValue";
    private static final int ATTEMPTS = 3;

    /** An answer that is not a secret value: Secrets Manager's error code and message, the HTTP status. */
    static final class Failure extends RuntimeException {
        private static final long serialVersionUID = 1L;
        private final String code;
        private final int status;
        private final String requestId;

        Failure(String code, int status, String requestId, String message) {
            super(message, null);
            this.code = code;
            this.status = status;
            this.requestId = requestId;
        }

        String code() {
            return code;
        }

        int status() {
            return status;
        }

        String requestId() {
            return requestId;
        }
    }

    private final SdkHttpClient http;
    private final AwsCredentialsProvider credentials;
    private final Region region;
    private final URI endpoint;
    private final AwsV4HttpSigner signer = AwsV4HttpSigner.create();

    SecretsManagerCall(SdkHttpClient http, AwsCredentialsProvider credentials, Region region, URI endpoint) {
        this.http = Objects.requireNonNull(http, "http");
        this.credentials = Objects.requireNonNull(credentials, "credentials");
        this.region = Objects.requireNonNull(region, "region");
        this.endpoint = Objects.requireNonNull(endpoint, "endpoint");
    }

    /** The production call: the function's region, the SDK's endpoint variables, the default credentials chain. */
    static SecretsManagerCall fromConfig(Config config) {
        Region region = Region.of(config.region());
        return new SecretsManagerCall(UrlConnectionHttpClient.builder().connectionTimeout(Duration.ofSeconds(2))
                .socketTimeout(Duration.ofSeconds(5)).build(), DefaultCredentialsProvider.builder().build(), region,
                endpoint(config.settings()::optional, region));
    }

    /** The SDK's order: the service's endpoint variable, the global one, the region's public endpoint. */
    static URI endpoint(java.util.function.Function<String, Optional<String>> env, Region region) {
        return env.apply("AWS_ENDPOINT_URL_SECRETS_MANAGER").or(() -> env.apply("AWS_ENDPOINT_URL")).map(URI::create)
                .orElseGet(() -> {
                    RegionMetadata metadata = region.metadata();
                    String suffix = metadata == null ? "amazonaws.com" : metadata.domain();
                    return URI.create("https://" + SERVICE + "." + region.id() + "." + suffix);
                });
    }

    /** The current version's SecretString; empty when the secret holds binary data only. */
    Optional<String> secretString(String secretId) {
        StringBuilder body = new StringBuilder("{\"SecretId\":");
        JsonText.string(body, secretId);
        byte[] bytes = body.append('}').toString().getBytes(StandardCharsets.UTF_8);
        Failure last = null;
        for (int attempt = 1; attempt <= ATTEMPTS; attempt++) {
            try {
                return send(bytes);
            } catch (Failure f) {
                last = f;
                boolean retryable = f.status() >= 500 || f.code().contains("Throttling")
                        || f.code().equals("TooManyRequestsException") || f.status() == 0;
                if (!retryable || attempt == ATTEMPTS) {
                    throw f;
                }
                pause(100L << attempt);
            }
        }
        throw last;
    }

    private Optional<String> send(byte[] body) {
        AwsCredentialsIdentity identity = credentials.resolveIdentity().join();
        SdkHttpRequest request = SdkHttpRequest.builder().method(SdkHttpMethod.POST).uri(endpoint)
                .putHeader("Content-Type", "application/x-amz-json-1.1")
                .putHeader("X-Amz-Target", TARGET)
                .build();
        SignedRequest signed = signer.sign(r -> r.identity(identity).request(request)
                .payload(ContentStreamProvider.fromByteArray(body))
                .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, SERVICE)
                .putProperty(AwsV4HttpSigner.REGION_NAME, region.id()));
        HttpExecuteResponse response;
        byte[] answer;
        try {
            response = http.prepareRequest(HttpExecuteRequest.builder().request(signed.request())
                    .contentStreamProvider(signed.payload().orElse(null)).build()).call();
            try (InputStream in = response.responseBody().map(InputStream.class::cast)
                    .orElse(InputStream.nullInputStream())) {
                answer = in.readAllBytes();
            }
        } catch (IOException e) {
            throw new Failure(e.getClass().getSimpleName(), 0, null, "no answer: " + e.getClass().getSimpleName());
        }
        int status = response.httpResponse().statusCode();
        String requestId = response.httpResponse().firstMatchingHeader("x-amzn-RequestId").orElse(null);
        Map<String, String> fields = JsonFields.read(answer, "SecretString", "__type", "message", "Message");
        if (status / 100 == 2) {
            if (fields == null) {
                throw new Failure("UnreadableAnswer", status, requestId, "an answer that is not JSON");
            }
            return Optional.ofNullable(fields.get("SecretString"));
        }
        String type = fields == null ? null : fields.get("__type");
        String code = type == null ? response.httpResponse().firstMatchingHeader("x-amzn-ErrorType")
                .map(t -> t.split(":")[0]).orElse("HTTP" + status) : type.substring(type.lastIndexOf('#') + 1);
        String message = fields == null ? null : fields.getOrDefault("message", fields.get("Message"));
        throw new Failure(code, status, requestId, message == null ? code : message);
    }

    private static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The top level string members named, read with core's JSON reader; null when the text is not a JSON object. */
    static final class JsonFields {
        private JsonFields() {
        }

        static Map<String, String> read(byte[] json, String... names) {
            java.util.Set<String> wanted = java.util.Set.of(names);
            Map<String, String> out = new java.util.HashMap<>();
            try {
                JsonReader reader = new JsonReader(json);
                if (reader.next() != Token.START_OBJECT) {
                    return null;
                }
                for (Token t = reader.next(); t != Token.END_OBJECT; t = reader.next()) {
                    String name = reader.text();
                    Token value = reader.next();
                    if (value == Token.STRING && wanted.contains(name)) {
                        out.put(name, reader.text());
                    } else if (value == Token.START_OBJECT || value == Token.START_ARRAY) {
                        reader.skipChildren();
                    }
                }
                return out;
            } catch (IOException | RuntimeException e) {
                return null;
            }
        }
    }
}
