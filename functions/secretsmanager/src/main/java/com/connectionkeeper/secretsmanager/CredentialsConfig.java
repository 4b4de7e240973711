package com.connectionkeeper.secretsmanager;

import com.connectionkeeper.core.config.CachedSecrets;
import com.connectionkeeper.core.config.Config;
import com.connectionkeeper.core.config.EnvironmentConfig;
import com.connectionkeeper.core.config.SecretsConfig;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;

/**
 * The {@link Config} of a function that holds secrets, chosen by its environment: with {@code CREDENTIALS_SECRET_ID}
 * (what the template sets) its secrets come from that Secrets Manager secret, read at init and again after
 * {@code CREDENTIALS_TTL_SECONDS} (default 300) or when SnapTrade rejects our signature; without it (the local stack,
 * tests) from the environment, like every plain setting.
 */
public final class CredentialsConfig {
    public static final String CREDENTIALS_SECRET_ID = Config.CREDENTIALS_SECRET_ID;
    public static final String CREDENTIALS_TTL_SECONDS = "CREDENTIALS_TTL_SECONDS";
    public static final int DEFAULT_TTL_SECONDS = 300;
    /** The least time between two reads after rejections (forged webhooks must not turn into reads). */
    public static final Duration MIN_REFRESH_INTERVAL = Duration.ofSeconds(30);

    private CredentialsConfig() {
    }

    /** The process environment's choice, made once at init. */
    public static Config fromSystem() {
        return from(System.getenv());
    }

    /** The choice {@code env} makes: Secrets Manager when it names a secret, else the environment itself. */
    public static Config from(Map<String, String> env) {
        EnvironmentConfig plain = new EnvironmentConfig(env);
        if (plain.settings().optional(CREDENTIALS_SECRET_ID).isEmpty()) {
            return plain;
        }
        return over(env, new SecretsManagerSource(SecretsManagerCall.fromConfig(plain),
                plain.settings().required(CREDENTIALS_SECRET_ID)), Clock.systemUTC());
    }

    /** Secrets from {@code source} (read now), plain settings from {@code env}. */
    static SecretsConfig over(Map<String, String> env, SecretsManagerSource source, Clock clock) {
        int ttl = new EnvironmentConfig(env).settings().positiveInt(CREDENTIALS_TTL_SECONDS, DEFAULT_TTL_SECONDS);
        return new SecretsConfig(env, new CachedSecrets(source, clock, Duration.ofSeconds(ttl),
                MIN_REFRESH_INTERVAL));
    }
}
