package com.connectionkeeper.core.config;

import java.util.Map;
import java.util.Optional;

/**
 * {@link Config} whose plain settings come from the environment and whose secrets come from {@link CachedSecrets}
 * (Secrets Manager in AWS): no secret is read from an environment variable.
 */
public final class SecretsConfig implements Config {
    private final EnvironmentVariables env;
    private final CachedSecrets secrets;

    public SecretsConfig(Map<String, String> env, CachedSecrets secrets) {
        this.env = new EnvironmentVariables(env);
        this.secrets = secrets;
    }

    @Override
    public EnvironmentVariables settings() {
        return env;
    }

    @Override
    public Optional<String> secret(String name) {
        return secrets.get(name);
    }

    @Override
    public boolean refreshSecrets() {
        return secrets.refreshAfterRejection();
    }

    @Override
    public void expireSecrets() {
        secrets.expire();
    }
}
