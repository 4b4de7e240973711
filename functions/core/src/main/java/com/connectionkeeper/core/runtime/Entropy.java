package com.connectionkeeper.core.runtime;

import java.security.SecureRandom;

/**
 * The one source of randomness for what must differ between execution environments: nonces of reconnect states and
 * the jitter of retries. With SnapStart one initialised snapshot resumes many environments, so anything seeded during
 * init would repeat in each of them (the same nonces, every container retrying in step); {@link #reseed} after a
 * restore gives each environment its own generator. Thread-safe.
 */
public final class Entropy {
    private static volatile SecureRandom random = seeded();
    private static volatile long generation;

    private Entropy() {
    }

    /** {@code count} random bytes (nonces). */
    public static byte[] bytes(int count) {
        byte[] bytes = new byte[count];
        random.nextBytes(bytes);
        return bytes;
    }

    /** A random number in [0, 1) (jitter). */
    public static double unit() {
        return random.nextDouble();
    }

    /**
     * Replaces the generator with a new one seeded now, from the system (call after a SnapStart restore, before
     * anything random is made).
     */
    public static synchronized void reseed() {
        random = seeded();
        generation++;
    }

    /** How many times {@link #reseed} ran in this process (tests). */
    public static long generation() {
        return generation;
    }

    private static SecureRandom seeded() {
        SecureRandom fresh = new SecureRandom();
        fresh.nextBytes(new byte[1]); // seed now, not at the first nonce
        return fresh;
    }
}
