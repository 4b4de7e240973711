package com.connectionkeeper.core.config;

import com.connectionkeeper.core.log.JsonLog;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Reads environment variables: blank counts as unset; a required or numeric one that is wrong fails with its name.
 * Every name read is remembered for the process, with whether it was set ({@link #reads}): a function logs them at
 * the end of its init ({@link #logReads}), so operators see which defaults it runs with and the tests can hold every
 * variable the code reads to the template and the README.
 */
public final class EnvironmentVariables {
    /** Each name read in this process: true once it was read set, false while only its absence was seen. */
    private static final Map<String, Boolean> READS = new ConcurrentHashMap<>();
    private final Map<String, String> env;

    public EnvironmentVariables(Map<String, String> env) {
        this.env = Map.copyOf(env);
    }

    public Optional<String> optional(String name) {
        Optional<String> value = Optional.ofNullable(env.get(name)).map(String::trim).filter(v -> !v.isEmpty());
        READS.merge(name, value.isPresent(), Boolean::logicalOr);
        return value;
    }

    /** The names read in this process so far (sorted): true when set, false when absent (a default applied). */
    public static Map<String, Boolean> reads() {
        return new TreeMap<>(READS);
    }

    /**
     * Logs {@code settings_read}: the names {@code function}'s init read that were set, and those it found unset (its
     * defaults). Names only, never a value.
     */
    public static void logReads(String function) {
        List<String> set = new ArrayList<>();
        List<String> unset = new ArrayList<>();
        reads().forEach((name, present) -> (present ? set : unset).add(name));
        JsonLog.info("settings_read", "function", function, "set", String.join(",", set), "unset",
                String.join(",", unset));
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
