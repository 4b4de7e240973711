package com.connectionkeeper.core.snaptrade;

import java.time.Duration;
import java.util.Optional;

/** A SnapTrade call that failed, classified so callers can decide without knowing HTTP or the SDK. */
public final class SnapTradeException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** Why it failed. */
    public enum Kind {
        /** 401/403, code 1076, or a user secret SnapTrade does not accept. Retrying will not help. */
        CREDENTIALS_REJECTED,
        /** The user or connection does not exist at SnapTrade. */
        NOT_FOUND,
        /** 429 after the gateway's retries. */
        RATE_LIMITED,
        /** 5xx, timeouts, connection failures after the gateway's retries. */
        UNAVAILABLE,
        /** The thing to create exists already (registerUser: a user with that id). */
        CONFLICT,
        /** A 2xx answer we cannot read, or a 4xx we did not expect. */
        BAD_RESPONSE
    }

    private final Kind kind;
    private final int httpStatus;
    private final transient Duration retryAfter;

    public SnapTradeException(Kind kind, int httpStatus, Duration retryAfter, String message, Throwable cause) {
        super(message, cause);
        this.kind = kind;
        this.httpStatus = httpStatus;
        this.retryAfter = retryAfter;
    }

    public Kind kind() {
        return kind;
    }

    /** The last HTTP status SnapTrade answered, or 0 when there was no answer. */
    public int httpStatus() {
        return httpStatus;
    }

    /** How long SnapTrade asked us to wait (rate limits), if it said. */
    public Optional<Duration> retryAfter() {
        return Optional.ofNullable(retryAfter);
    }
}
