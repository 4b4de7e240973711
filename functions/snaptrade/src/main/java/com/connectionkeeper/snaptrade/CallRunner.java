package com.connectionkeeper.snaptrade;

import com.connectionkeeper.core.snaptrade.SnapTradeException.Kind;
import com.connectionkeeper.core.snaptrade.SnapTradeException;
import com.snaptrade.client.ApiException;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Runs one gateway operation: a rate-limit slot per attempt, retries with backoff on 429, 5xx and lost answers within
 * the retry budget, and every failure as a {@link SnapTradeException}.
 */
final class CallRunner {
    private final Limiter limiter;
    private final Backoff backoff;
    private final Sleeper sleeper;
    private final CallLog log;
    private final Duration budget;
    private final AtomicLong attempts = new AtomicLong();
    private final AtomicLong rateLimited = new AtomicLong();

    CallRunner(Limiter limiter, Backoff backoff, Sleeper sleeper, CallLog log, Duration budget) {
        this.limiter = limiter;
        this.backoff = backoff;
        this.sleeper = sleeper;
        this.log = log;
        this.budget = budget;
    }

    <T> T run(Operation operation, String userId, SdkCall<T> call) {
        long start = System.nanoTime();
        Failure last = null;
        try {
            for (int attempt = 1; ; attempt++) {
                Optional<Limiter.Permit> slot = limiter.acquire(remaining(start));
                if (slot.isEmpty()) {
                    throw giveUp(operation, userId, noSlot(last), attempt - 1, start);
                }
                try {
                    attempts.incrementAndGet();
                    return call.execute();
                } catch (ApiException e) {
                    last = FailureClassifier.classify(e, operation);
                    if (e.getStatusCode() == 429) {
                        rateLimited.incrementAndGet();
                    }
                } catch (RuntimeException e) {
                    last = FailureClassifier.unreadable(e);
                } finally {
                    slot.get().close();
                }
                Duration delay = backoff.delay(attempt, last.retryAfter());
                if (last.kind() == Kind.RATE_LIMITED) {
                    limiter.pause(last.retryAfter().orElse(delay));
                }
                if (!last.retryable() || delay.compareTo(remaining(start)) > 0) {
                    throw giveUp(operation, userId, last, attempt, start);
                }
                log.retry(operation, userId, last, attempt, delay);
                sleeper.sleep(delay);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SnapTradeException(Kind.UNAVAILABLE, 0, null, operation.logName() + " interrupted", e);
        }
    }

    /** Requests sent so far (every attempt), from all threads. */
    long attempts() {
        return attempts.get();
    }

    /** Answers 429 (over SnapTrade's rate limit) so far, from all threads. */
    long rateLimited() {
        return rateLimited.get();
    }

    private Duration remaining(long start) {
        Duration left = budget.minusNanos(System.nanoTime() - start);
        return left.isNegative() ? Duration.ZERO : left;
    }

    private Failure noSlot(Failure last) {
        return new Failure(Kind.RATE_LIMITED, last == null ? 0 : last.status(), null, true,
                Optional.of(limiter.nextFreeIn()), "no rate-limit slot within the retry budget", null);
    }

    private SnapTradeException giveUp(Operation operation, String userId, Failure failure, int attempts, long start) {
        log.giveUp(operation, userId, failure, attempts, Duration.ofNanos(System.nanoTime() - start));
        return new SnapTradeException(failure.kind(), failure.status(), failure.code(),
                failure.retryAfter().orElse(null),
                operation.logName() + " failed after " + attempts + " attempt(s): " + failure.reason(),
                failure.cause());
    }
}
