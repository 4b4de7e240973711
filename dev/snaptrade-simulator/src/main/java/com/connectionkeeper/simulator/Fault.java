package com.connectionkeeper.simulator;

import java.time.Duration;
import java.util.Objects;

/**
 * A misbehaviour of one endpoint: what happens ({@link Kind}) and when (every call, the next n calls, or a fraction of
 * calls). Immutable; {@link #times(int)} and {@link #fraction(double)} return a copy.
 */
public final class Fault {
    /** What the endpoint does instead of (or, for latency, before) answering normally. */
    public enum Kind {
        /** Waits {@code delay}, then answers normally. */
        LATENCY,
        /** Answers {@code status} (5xx) with SnapTrade's 500 error body. */
        SERVER_ERROR,
        /** Hangs for {@code delay} (longer than the client's read timeout), then closes without an answer. */
        TIMEOUT,
        /** Answers 200 with a truncated, unparsable JSON body. */
        MALFORMED_JSON,
        /** Answers 200 with well-formed JSON the SDK cannot map (keys it needs missing, or of the wrong type). */
        WRONG_SHAPE,
        /** Answers 429 with SnapTrade's throttle body, {@code X-RateLimit-Reset} = {@code delay} in seconds. */
        RATE_LIMITED,
        /**
         * Answers {@code status} with an HTML page and no SnapTrade error body or rate-limit headers, as something in
         * front of SnapTrade would (a load balancer, a CDN, a wrong base URL): e.g. a 404 that is not SnapTrade's.
         */
        FOREIGN_ERROR,
        /** Answers {@code status} with SnapTrade's error body and {@code code}, e.g. 401 / 1083 for every user. */
        SNAPTRADE_ERROR,
        /**
         * Does the call (a registration registers, a reset resets), then hangs for {@code delay} and closes without
         * the answer: the caller cannot know that it happened.
         */
        LOST_ANSWER
    }

    private final Kind kind;
    private final int status;
    private final String code;
    private final Duration delay;
    private final int times;
    private final double fraction;

    private Fault(Kind kind, int status, Duration delay, int times, double fraction) {
        this(kind, status, null, delay, times, fraction);
    }

    private Fault(Kind kind, int status, String code, Duration delay, int times, double fraction) {
        this.kind = kind;
        this.status = status;
        this.code = code;
        this.delay = delay;
        this.times = times;
        this.fraction = fraction;
    }

    public static Fault latency(Duration delay) {
        return new Fault(Kind.LATENCY, 0, positive(delay), -1, 1.0);
    }

    /** A 5xx answer, e.g. 500, 502, 503. */
    public static Fault serverError(int status) {
        if (status < 500 || status > 599) {
            throw new IllegalArgumentException("a server error is 5xx, not " + status);
        }
        return new Fault(Kind.SERVER_ERROR, status, Duration.ZERO, -1, 1.0);
    }

    /** No answer for {@code hang}; pick it longer than the client's read timeout. */
    public static Fault timeout(Duration hang) {
        return new Fault(Kind.TIMEOUT, 0, positive(hang), -1, 1.0);
    }

    /** The call is done, its answer lost: no answer for {@code hang} (pick it longer than the read timeout). */
    public static Fault lostAnswer(Duration hang) {
        return new Fault(Kind.LOST_ANSWER, 0, positive(hang), -1, 1.0);
    }

    public static Fault malformedJson() {
        return new Fault(Kind.MALFORMED_JSON, 200, Duration.ZERO, -1, 1.0);
    }

    public static Fault wrongShape() {
        return new Fault(Kind.WRONG_SHAPE, 200, Duration.ZERO, -1, 1.0);
    }

    /** A 429 whose {@code X-RateLimit-Reset} and body say to wait {@code reset} (whole seconds, at least 1). */
    public static Fault rateLimited(Duration reset) {
        return new Fault(Kind.RATE_LIMITED, 429, positive(reset), -1, 1.0);
    }

    /** An answer from something that is not SnapTrade's API (HTML, no error code), e.g. a 404 or 502 of a proxy. */
    public static Fault foreignError(int status) {
        if (status < 400 || status > 599) {
            throw new IllegalArgumentException("a foreign error is 4xx or 5xx, not " + status);
        }
        return new Fault(Kind.FOREIGN_ERROR, status, Duration.ZERO, -1, 1.0);
    }

    /** SnapTrade's own error answer with {@code code}, whoever asks: e.g. 401 "1083" as if every secret were wrong. */
    public static Fault snapTradeError(int status, String code) {
        if (status < 400 || status > 599 || code == null || code.isBlank()) {
            throw new IllegalArgumentException("a SnapTrade error is 4xx or 5xx with a code");
        }
        return new Fault(Kind.SNAPTRADE_ERROR, status, code, Duration.ZERO, -1, 1.0);
    }

    /** Only the next {@code n} calls of the endpoint (then it is spent). */
    public Fault times(int n) {
        if (n < 1) {
            throw new IllegalArgumentException("times must be >= 1");
        }
        return new Fault(kind, status, code, delay, n, 1.0);
    }

    /** Each call with probability {@code p} (0 < p <= 1), until cleared. */
    public Fault fraction(double p) {
        if (!(p > 0 && p <= 1)) {
            throw new IllegalArgumentException("fraction must be in (0, 1]");
        }
        return new Fault(kind, status, code, delay, -1, p);
    }

    public Kind kind() {
        return kind;
    }

    /** The HTTP status it answers with, or 0 for latency, timeout and a lost answer. */
    public int status() {
        return status;
    }

    /** SnapTrade's error code of a {@link Kind#SNAPTRADE_ERROR}; null for the others. */
    public String code() {
        return code;
    }

    /** Latency, hang time or rate-limit reset; zero for the others. */
    public Duration delay() {
        return delay;
    }

    /** How many calls it affects, or -1 for every call (subject to {@link #fraction()}). */
    public int times() {
        return times;
    }

    public double fraction() {
        return fraction;
    }

    @Override
    public String toString() {
        return kind + (status > 0 ? " " + status : "") + (code == null ? "" : " code " + code) + (delay.isZero() ? "" : " " + delay)
                + (times > 0 ? " x" + times : fraction < 1 ? " p=" + fraction : " always");
    }

    private static Duration positive(Duration d) {
        Objects.requireNonNull(d, "duration");
        if (d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException("duration must be positive");
        }
        return d;
    }
}
