package com.connectionkeeper.core.runtime;

import com.connectionkeeper.core.log.JsonLog;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * One step of SnapStart priming, best-effort: priming only moves work before the snapshot, so a step that fails (the
 * table throttled, a role not yet usable, a sample an upgraded library refuses) is logged and the next one runs —
 * Lambda fails the version, and the deploy, when a {@code beforeCheckpoint} hook throws.
 */
public final class SnapStartPriming {
    private SnapStartPriming() {
    }

    /** Runs {@code step}; its answer, or false after logging {@code snapstart_priming_failed} when it throws. */
    public static boolean step(String function, String name, BooleanSupplier step) {
        return attempt(function, name, step::getAsBoolean).orElse(false);
    }

    /** Runs {@code step}; its result, or empty after logging {@code snapstart_priming_failed} when it throws. */
    public static <T> Optional<T> attempt(String function, String name, Supplier<T> step) {
        try {
            return Optional.ofNullable(step.get());
        } catch (RuntimeException | LinkageError e) {
            JsonLog.warn("snapstart_priming_failed", "function", function, "step", name,
                    "error", e.getClass().getSimpleName(), "message", e.getMessage());
            return Optional.empty();
        }
    }
}
