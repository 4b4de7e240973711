package com.connectionkeeper.core.config;

import java.util.Map;
import java.util.Optional;

/**
 * {@link Config} from environment variables, secrets included: the only class that reads the process environment
 * ({@link #fromSystem}, once per function at init). A missing required variable fails at init with its name.
 */
public final class EnvironmentConfig implements Config {
    private final EnvironmentVariables env;

    public EnvironmentConfig(Map<String, String> env) {
        this.env = new EnvironmentVariables(env);
    }

    /** The process environment, read once. */
    public static EnvironmentConfig fromSystem() {
        return new EnvironmentConfig(System.getenv());
    }

    @Override
    public EnvironmentVariables settings() {
        return env;
    }

    @Override
    public Optional<String> secret(String name) {
        return env.optional(name);
    }

    /** A missing secret fails like any required variable: "environment variable NAME is not set". */
    @Override
    public String requiredSecret(String name) {
        return env.required(name);
    }
}
