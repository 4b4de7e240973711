package com.connectionkeeper.secretsmanager;

import com.connectionkeeper.core.config.SecretSource;
import com.connectionkeeper.core.json.JsonReader.Token;
import com.connectionkeeper.core.json.JsonReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.secretsmanager.model.GetSecretValueResponse;
import software.amazon.awssdk.services.secretsmanager.model.SecretsManagerException;

/**
 * The function's secrets as one Secrets Manager secret: its current version's {@code SecretString}, a JSON object of
 * strings named like the environment variables they replace ({@code SNAPTRADE_CLIENT_ID},
 * {@code SNAPTRADE_CONSUMER_KEY}, {@code RECONNECT_STATE_KEY}, {@code RETURN_OUTCOME_KEY}). Errors name the secret and
 * what is wrong with it, never a value (not even a fragment of a malformed text).
 */
public final class SecretsManagerSource implements SecretSource {
    private final SecretsManagerClient client;
    private final String secretId;

    public SecretsManagerSource(SecretsManagerClient client, String secretId) {
        this.client = Objects.requireNonNull(client, "client");
        if (secretId == null || secretId.isBlank()) {
            throw new IllegalArgumentException("a secret id is required");
        }
        this.secretId = secretId;
    }

    @Override
    public Map<String, String> read() {
        GetSecretValueResponse value;
        try {
            value = client.getSecretValue(b -> b.secretId(secretId));
        } catch (SecretsManagerException e) {
            String code = e.awsErrorDetails() == null ? e.getClass().getSimpleName() : e.awsErrorDetails().errorCode();
            throw new IllegalStateException(describe() + " could not be read: " + reason(code) + " (" + code
                    + ", request " + e.requestId() + ")", null);
        } catch (SdkException e) {
            throw new IllegalStateException(describe() + " could not be read: " + e.getClass().getSimpleName(), null);
        }
        if (value.secretString() == null) {
            throw new IllegalStateException(describe() + " holds no SecretString (a binary secret?): store a JSON "
                    + "object of strings, e.g. {\"SNAPTRADE_CONSUMER_KEY\": \"...\"}", null);
        }
        return parse(value.secretString());
    }

    @Override
    public String describe() {
        return "secret " + secretId + " (" + CredentialsConfig.CREDENTIALS_SECRET_ID + ")";
    }

    private static String reason(String code) {
        return switch (code) {
            case "ResourceNotFoundException" -> "it does not exist (or has no current version)";
            case "AccessDeniedException", "AccessDeniedException.Unknown" -> "this function may not read it";
            case "DecryptionFailure" -> "Secrets Manager could not decrypt it with its KMS key";
            case "InvalidRequestException" -> "it is scheduled for deletion or otherwise not readable now";
            default -> "Secrets Manager failed";
        };
    }

    /** A JSON object whose every value is a string; anything else is refused without echoing it. */
    private Map<String, String> parse(String text) {
        Map<String, String> values = new HashMap<>();
        try {
            JsonReader json = new JsonReader(text.getBytes(StandardCharsets.UTF_8));
            if (json.next() != Token.START_OBJECT) {
                throw malformed("is not a JSON object");
            }
            for (Token t = json.next(); t != Token.END_OBJECT; t = json.next()) {
                String name = json.text();
                if (json.next() != Token.STRING) {
                    throw malformed("has a value that is not a string (" + name + ")");
                }
                values.put(name, json.text());
            }
        } catch (IOException | RuntimeException e) {
            if (e instanceof IllegalStateException known && known.getMessage().startsWith(describe())) {
                throw known;
            }
            throw malformed("is not valid JSON");
        }
        return values;
    }

    private IllegalStateException malformed(String what) {
        return new IllegalStateException(describe() + " " + what
                + ": it must be a JSON object of strings, e.g. {\"SNAPTRADE_CONSUMER_KEY\": \"...\"}", null);
    }
}
