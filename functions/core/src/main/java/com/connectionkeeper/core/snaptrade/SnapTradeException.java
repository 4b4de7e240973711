package com.connectionkeeper.core.snaptrade;

import java.time.Duration;
import java.util.Optional;

/** A SnapTrade call that failed, classified so callers can decide without knowing HTTP or the SDK. */
public final class SnapTradeException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** Why it failed. */
    public enum Kind {
        /** SnapTrade does not accept the user's id or secret (code 1083). Retrying will not help. */
        CREDENTIALS_REJECTED,
        /**
         * SnapTrade does not accept our client: signature (1076 — wrong consumer key, clock skew), permission (1066),
         * or a 401/403 without a known code. Every call fails alike; no user is to blame.
         */
        CLIENT_REJECTED,
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
    private final String code;

    public SnapTradeException(Kind kind, int httpStatus, Duration retryAfter, String message, Throwable cause) {
        this(kind, httpStatus, null, retryAfter, message, cause);
    }

    /** With SnapTrade's own error code (e.g. {@code 1076}: our request's signature was not accepted). */
    public SnapTradeException(Kind kind, int httpStatus, String code, Duration retryAfter, String message,
                              Throwable cause) {
        super(message, cause);
        this.kind = kind;
        this.httpStatus = httpStatus;
        this.code = code;
        this.retryAfter = retryAfter;
    }

    public Kind kind() {
        return kind;
    }

    /** SnapTrade's error code of the last answer, if it gave one. */
    public Optional<String> code() {
        return Optional.ofNullable(code);
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
