package com.connectionkeeper.secretsmanager;

import com.connectionkeeper.core.config.SecretSource;
import com.connectionkeeper.core.json.JsonReader.Token;
import com.connectionkeeper.core.json.JsonReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The function's secrets as one Secrets Manager secret ({@link SecretsManagerCall}): its current version's
 * {@code SecretString}, a JSON object of strings named like the environment variables they replace
 * ({@code SNAPTRADE_CLIENT_ID}, {@code SNAPTRADE_CONSUMER_KEY}, {@code RECONNECT_STATE_KEY},
 * {@code RETURN_OUTCOME_KEY}). Errors name the secret and what is wrong with it, never a value (not even a fragment of
 * a malformed text).
 */
public final class SecretsManagerSource implements SecretSource {
    private final SecretsManagerCall client;
    private final String secretId;

    SecretsManagerSource(SecretsManagerCall client, String secretId) {
        this.client = Objects.requireNonNull(client, "client");
        if (secretId == null || secretId.isBlank()) {
            throw new IllegalArgumentException("a secret id is required");
        }
        this.secretId = secretId;
    }

    @Override
    public Map<String, String> read() {
        Optional<String> value;
        try {
            value = client.secretString(secretId);
        } catch (SecretsManagerCall.Failure e) {
            throw new IllegalStateException(describe() + " could not be read: " + reason(e.code()) + " (" + e.code()
                    + (e.requestId() == null ? "" : ", request " + e.requestId()) + ")", null);
        } catch (RuntimeException e) {
            // e.g. no credentials found by the default chain (wrapped in a CompletionException): name the root
            Throwable root = e;
            while (root.getCause() != null && root.getCause() != root) {
                root = root.getCause();
            }
            throw new IllegalStateException(describe() + " could not be read: " + root.getClass().getSimpleName()
                    + " (credentials or network)", null);
        }
        if (value.isEmpty()) {
            throw new IllegalStateException(describe() + " holds no SecretString (a binary secret?): store a JSON "
                    + "object of strings, e.g. {\"SNAPTRADE_CONSUMER_KEY\": \"...\"}", null);
        }
        return parse(value.get());
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
