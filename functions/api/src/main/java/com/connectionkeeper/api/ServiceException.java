package com.connectionkeeper.api;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * Why a service ({@link UserService}, {@link ReconnectService}) did not do what was asked, in the domain's words, with
 * a message for the caller; nothing was changed. {@link Api} turns it into an HTTP status (SnapTrade's own failures
 * are {@code SnapTradeException}s).
 */
final class ServiceException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** What kind of refusal. */
    enum Kind {
        /** No such user or connection (here, or at SnapTrade). */
        NOT_FOUND,
        /** The state forbids it: the user exists already, was deleted, has no secret; the connection is not broken. */
        CONFLICT,
        /** The input is not acceptable, e.g. a return URL off the allow-list. */
        INVALID_INPUT,
        /** The connection was deleted: there is nothing to reconnect. */
        GONE,
        /** SnapTrade refuses the user's secret or does not know the user: it cannot be done with what we hold. */
        REFUSED_BY_SNAPTRADE,
        /** The user asked too often; {@link #retryAfter()} says when it may ask again. */
        RATE_LIMITED,
        /** Another attempt is under way; {@link #retryAfter()} says when to try again. */
        BUSY
    }

    private final Kind kind;
    private final transient Duration retryAfter;

    private ServiceException(Kind kind, String message, Duration retryAfter) {
        super(message);
        this.kind = kind;
        this.retryAfter = retryAfter;
    }

    Kind kind() {
        return kind;
    }

    /** When to ask again: set for RATE_LIMITED and BUSY only. */
    Optional<Duration> retryAfter() {
        return Optional.ofNullable(retryAfter);
    }

    static ServiceException notFound(String message) {
        return new ServiceException(Kind.NOT_FOUND, message, null);
    }

    static ServiceException conflict(String message) {
        return new ServiceException(Kind.CONFLICT, message, null);
    }

    static ServiceException invalidInput(String message) {
        return new ServiceException(Kind.INVALID_INPUT, message, null);
    }

    static ServiceException gone(String message) {
        return new ServiceException(Kind.GONE, message, null);
    }

    static ServiceException refusedBySnapTrade(String message) {
        return new ServiceException(Kind.REFUSED_BY_SNAPTRADE, message, null);
    }

    static ServiceException rateLimited(String message, Duration retryAfter) {
        return new ServiceException(Kind.RATE_LIMITED, message, Objects.requireNonNull(retryAfter));
    }

    static ServiceException busy(String message, Duration retryAfter) {
        return new ServiceException(Kind.BUSY, message, Objects.requireNonNull(retryAfter));
    }
}
