package com.connectionkeeper.core.config;

import com.connectionkeeper.core.log.JsonLog;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A function's secrets from a {@link SecretSource}, read once when the function starts and kept: read again when they
 * are older than the TTL (a rotated key reaches every container within it), and at once when something they sign or
 * verify was rejected ({@link #refreshAfterRejection}) — at most once per {@code minInterval}, so a flood of forged
 * webhooks cannot turn into a flood of reads. A read that fails after the first keeps the values held and is tried
 * again after {@code minInterval}. Thread-safe.
 */
public final class CachedSecrets {
    private final SecretSource source;
    private final Clock clock;
    private final Duration ttl;
    private final Duration minInterval;
    private volatile Map<String, String> values;
    private volatile Instant readAt;
    private volatile Instant triedAt;
    private long reads;

    /** Reads the source now: a function whose secrets cannot be read fails at init, saying why. */
    public CachedSecrets(SecretSource source, Clock clock, Duration ttl, Duration minInterval) {
        this.source = Objects.requireNonNull(source, "source");
        this.clock = clock;
        this.ttl = ttl;
        this.minInterval = minInterval;
        this.values = Map.copyOf(read());
        this.readAt = clock.instant();
        this.triedAt = readAt;
    }

    /** The secret by name (blank counts as unset), re-read first when the values are older than the TTL. */
    public Optional<String> get(String name) {
        Instant now = clock.instant();
        if (!now.isBefore(readAt.plus(ttl)) && !now.isBefore(triedAt.plus(minInterval))) {
            reload(now, true);
        }
        return Optional.ofNullable(values.get(name)).map(String::trim).filter(v -> !v.isEmpty());
    }

    /**
     * Re-reads now because a signature or key was rejected (the key may have been rotated), unless a read was tried
     * within {@code minInterval}. True when a value changed.
     */
    public boolean refreshAfterRejection() {
        return reload(clock.instant(), false);
    }

    /**
     * Counts the values held as expired, however recent the last read or try, without reading: after a SnapStart
     * restore they are as old as the snapshot (days, perhaps, and a key may have been rotated since), so the next
     * {@link #get} reads them again before using them. No read here: a restore hook must end within Lambda's 10 s, and
     * a read that fails would keep them all the same.
     */
    public void expire() {
        synchronized (this) {
            readAt = Instant.MIN;
            triedAt = Instant.MIN;
        }
    }

    /** Reads made so far, failed ones included (tests, benchmarks). */
    public synchronized long reads() {
        return reads;
    }

    private synchronized boolean reload(Instant now, boolean expired) {
        if (now.isBefore(triedAt.plus(minInterval)) || (expired && now.isBefore(readAt.plus(ttl)))) {
            return false; // read or tried just now, by this thread or another
        }
        triedAt = now;
        Map<String, String> fresh;
        try {
            fresh = Map.copyOf(read());
        } catch (RuntimeException e) {
            JsonLog.error("secrets_refresh_failed", "source", source.describe(), "why", expired ? "ttl" : "rejection",
                    "error", e.getMessage());
            return false;
        }
        boolean changed = !fresh.equals(values);
        values = fresh;
        readAt = now;
        if (changed) {
            JsonLog.info("secrets_changed", "source", source.describe(), "why", expired ? "ttl" : "rejection");
        }
        return changed;
    }

    private synchronized Map<String, String> read() {
        reads++;
        return source.read();
    }
}
