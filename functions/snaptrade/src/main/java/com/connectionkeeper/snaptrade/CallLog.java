package com.connectionkeeper.snaptrade;

import com.connectionkeeper.core.log.JsonLog;
import java.time.Duration;
import java.util.function.Consumer;

/** The gateway's JSON log lines: one per retry and one per call that fails; ids and statuses only, never a secret. */
final class CallLog {
    private final Consumer<String> sink;

    CallLog(Consumer<String> sink) {
        this.sink = sink;
    }

    void retry(Operation operation, String userId, Failure failure, int attempt, Duration delay) {
        sink.accept(JsonLog.line("WARN", "snaptrade_retry", "operation", operation.logName(), "userId", userId,
                "status", failure.status(), "code", failure.code(), "reason", failure.reason(),
                "attempt", attempt, "delayMs", delay.toMillis()));
    }

    void giveUp(Operation operation, String userId, Failure failure, int attempts, Duration elapsed) {
        sink.accept(JsonLog.line(failure.retryable() ? "ERROR" : "WARN", "snaptrade_giveup",
                "operation", operation.logName(), "userId", userId, "kind", failure.kind().name(),
                "status", failure.status(), "code", failure.code(), "reason", failure.reason(),
                "attempt", attempts, "elapsedMs", elapsed.toMillis(),
                "retryAfterMs", failure.retryAfter().map(Duration::toMillis).orElse(null)));
    }
}
