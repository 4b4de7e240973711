package com.connectionkeeper.core.config;

import java.util.Map;

/**
 * Where a function's secrets are kept when not in its environment (Secrets Manager in AWS): one read returns all of
 * them by name. {@link CachedSecrets} decides when to read.
 */
public interface SecretSource {

    /**
     * Every secret by name, read now. Throws {@link IllegalStateException} naming the source and what is wrong
     * (missing, not readable, malformed), never a value.
     */
    Map<String, String> read();

    /** The source, for logs and errors (e.g. the secret's ARN), never a value. */
    String describe();
}
