package com.connectionkeeper.core.config;

import java.util.Map;
import java.util.Optional;

/** Reads environment variables: blank counts as unset; a required or numeric one that is wrong fails with its name. */
public final class EnvironmentVariables {
    private final Map<String, String> env;

    public EnvironmentVariables(Map<String, String> env) {
        this.env = Map.copyOf(env);
    }

    public Optional<String> optional(String name) {
        return Optional.ofNullable(env.get(name)).map(String::trim).filter(v -> !v.isEmpty());
    }

    public String required(String name) {
        return optional(name).orElseThrow(
                () -> new IllegalStateException("environment variable " + name + " is not set"));
    }

    /** A positive whole number, or {@code fallback} when unset. */
    public int positiveInt(String name, int fallback) {
        Optional<String> text = optional(name);
        if (text.isEmpty()) {
            return fallback;
        }
        try {
            int n = Integer.parseInt(text.get());
            if (n > 0) {
                return n;
            }
        } catch (NumberFormatException ignored) {
            // reported below
        }
        throw new IllegalStateException(name + " must be a positive whole number");
    }
}
