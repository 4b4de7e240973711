package com.connectionkeeper.simulator;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;

/**
 * How a {@link SnapTradeSimulator} behaves: credentials, port, rate limit, webhooks, portal, clock, token lifetimes and
 * lost webhooks; immutable.
 */
public final class SimulatorConfig {
    private final String clientId;
    private final String consumerKey;
    private final int port;
    private final int rateLimit;
    private final Duration window;
    private final URI webhookUrl;
    private final Duration webhookFirstRetry;
    private final Duration webhookDelay;
    private final Duration portalSessionTtl;
    private final Duration timestampTolerance;
    private final Clock clock;
    private final long seed;
    private final TokenLifetimes tokenLifetimes;
    private final double lostWebhookShare;

    private SimulatorConfig(Builder b) {
        this.clientId = requireText(b.clientId, "clientId");
        this.consumerKey = requireText(b.consumerKey, "consumerKey");
        this.port = b.port;
        this.rateLimit = b.rateLimit;
        this.window = Objects.requireNonNull(b.window, "window");
        this.webhookUrl = b.webhookUrl;
        this.webhookFirstRetry = Objects.requireNonNull(b.webhookFirstRetry, "webhookFirstRetry");
        this.webhookDelay = Objects.requireNonNull(b.webhookDelay, "webhookDelay");
        if (webhookDelay.isNegative()) {
            throw new IllegalArgumentException("webhookDelay must not be negative");
        }
        this.portalSessionTtl = Objects.requireNonNull(b.portalSessionTtl, "portalSessionTtl");
        this.timestampTolerance = Objects.requireNonNull(b.timestampTolerance, "timestampTolerance");
        this.clock = Objects.requireNonNull(b.clock, "clock");
        this.seed = b.seed;
        this.tokenLifetimes = Objects.requireNonNull(b.tokenLifetimes, "tokenLifetimes");
        this.lostWebhookShare = b.lostWebhookShare;
        if (!(lostWebhookShare >= 0 && lostWebhookShare <= 1)) {
            throw new IllegalArgumentException("lostWebhookShare must be from 0 to 1, not " + lostWebhookShare);
        }
        if (port < 0 || port > 65535 || rateLimit < 1 || window.isNegative() || window.isZero()) {
            throw new IllegalArgumentException("port 0..65535, rateLimit >= 1 and a positive window are required");
        }
    }

    /** A builder with SnapTrade's defaults: free port, 250 requests per rolling 60 s, retries from 30 min, 5 min TTL. */
    public static Builder builder(String clientId, String consumerKey) {
        return new Builder(clientId, consumerKey);
    }

    /** The defaults for these credentials. */
    public static SimulatorConfig of(String clientId, String consumerKey) {
        return builder(clientId, consumerKey).build();
    }

    public String clientId() {
        return clientId;
    }

    public String consumerKey() {
        return consumerKey;
    }

    /** The loopback port to listen on; 0 picks a free one. */
    public int port() {
        return port;
    }

    /** Requests allowed per client in any rolling {@link #window()}. */
    public int rateLimit() {
        return rateLimit;
    }

    public Duration window() {
        return window;
    }

    /** Where webhooks are POSTed, or null to only record them. */
    public URI webhookUrl() {
        return webhookUrl;
    }

    /** How long after its event a webhook's first attempt goes out (SnapTrade's own latency; default none). */
    public Duration webhookDelay() {
        return webhookDelay;
    }

    /** Delay before the first of at most 3 retries of a failed webhook; each next one doubles (SnapTrade: 30 min). */
    public Duration webhookFirstRetry() {
        return webhookFirstRetry;
    }

    /** How long a Connection Portal link stays usable (SnapTrade: 5 min). */
    public Duration portalSessionTtl() {
        return portalSessionTtl;
    }

    /** How far a request's {@code timestamp} may be from the clock (the wall clock under a {@link SimulatedClock}). */
    public Duration timestampTolerance() {
        return timestampTolerance;
    }

    /**
     * The clock for timestamps checks, dates in bodies, webhook times, portal links and token expiries (not for the
     * rate limit window). A {@link SimulatedClock} runs token expiries as it advances; signed requests are then checked
     * against the wall clock, as the SDK signs with its caller's wall clock. On any other clock token expiries run on
     * each API call or control read and every second.
     */
    public Clock clock() {
        return clock;
    }

    /** The seed of the token lifetimes drawn and of which webhooks are lost: the same seed, the same draws. */
    public long seed() {
        return seed;
    }

    /** How long each brokerage's access tokens live (default: {@link TokenLifetimes#none()}, they never expire). */
    public TokenLifetimes tokenLifetimes() {
        return tokenLifetimes;
    }

    /**
     * The share (0 to 1) of CONNECTION_BROKEN webhooks of token expiries that are lost: recorded (status LOST, and in
     * {@link SnapTradeSimulator#expiries()}), never sent. Default 0; other webhooks are never lost.
     */
    public double lostWebhookShare() {
        return lostWebhookShare;
    }

    /** A copy to change. */
    public Builder toBuilder() {
        return new Builder(clientId, consumerKey).port(port).rateLimit(rateLimit).window(window)
                .webhookUrl(webhookUrl).webhookFirstRetry(webhookFirstRetry).webhookDelay(webhookDelay)
                .portalSessionTtl(portalSessionTtl)
                .timestampTolerance(timestampTolerance).clock(clock).seed(seed).tokenLifetimes(tokenLifetimes)
                .lostWebhookShare(lostWebhookShare);
    }

    private static String requireText(String value, String name) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(name + " must not be blank");
        }
        return value;
    }

    /** Builds a {@link SimulatorConfig}. */
    public static final class Builder {
        private final String clientId;
        private final String consumerKey;
        private int port;
        private int rateLimit = 250;
        private Duration window = Duration.ofSeconds(60);
        private URI webhookUrl;
        private Duration webhookFirstRetry = Duration.ofMinutes(30);
        private Duration webhookDelay = Duration.ZERO;
        private Duration portalSessionTtl = Duration.ofMinutes(5);
        private Duration timestampTolerance = Duration.ofMinutes(5);
        private Clock clock = Clock.systemUTC();
        private long seed;
        private TokenLifetimes tokenLifetimes = TokenLifetimes.none();
        private double lostWebhookShare;

        private Builder(String clientId, String consumerKey) {
            this.clientId = clientId;
            this.consumerKey = consumerKey;
        }

        public Builder port(int value) {
            this.port = value;
            return this;
        }

        public Builder rateLimit(int value) {
            this.rateLimit = value;
            return this;
        }

        public Builder window(Duration value) {
            this.window = value;
            return this;
        }

        public Builder webhookUrl(URI value) {
            this.webhookUrl = value;
            return this;
        }

        public Builder webhookFirstRetry(Duration value) {
            this.webhookFirstRetry = value;
            return this;
        }

        public Builder webhookDelay(Duration value) {
            this.webhookDelay = value;
            return this;
        }

        public Builder portalSessionTtl(Duration value) {
            this.portalSessionTtl = value;
            return this;
        }

        public Builder timestampTolerance(Duration value) {
            this.timestampTolerance = value;
            return this;
        }

        public Builder clock(Clock value) {
            this.clock = value;
            return this;
        }

        public Builder seed(long value) {
            this.seed = value;
            return this;
        }

        public Builder tokenLifetimes(TokenLifetimes value) {
            this.tokenLifetimes = value;
            return this;
        }

        public Builder lostWebhookShare(double value) {
            this.lostWebhookShare = value;
            return this;
        }

        public SimulatorConfig build() {
            return new SimulatorConfig(this);
        }
    }
}
