package com.connectionkeeper.api;

import com.connectionkeeper.accounts.ReturnUrlAllowList;
import com.connectionkeeper.api.token.ReturnOutcomeSigner;
import com.connectionkeeper.core.config.Config;
import com.connectionkeeper.core.log.Emf;
import com.connectionkeeper.core.config.EnvironmentVariables;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;

/**
 * The API's own settings, read once at init; the keys of reconnect links are read where they are used
 * ({@link LinkKeys}), so a rotation in the function's secrets reaches them.
 *
 * @param access           who may act for which user ({@code AUTH_MODE} IAM or JWT, {@code JWT_USER_CLAIM})
 * @param allowList        the app's return URLs a reconnect link may send the browser back to
 * @param keys             sign and verify the {@code state} of reconnect links ({@code RECONNECT_STATE_KEY}) and
 *                         sign the landing's redirect to the app: with {@code RETURN_OUTCOME_KEY} when set (the app
 *                         then holds only that key), else with a key derived from {@code RECONNECT_STATE_KEY}
 * @param returnLandingUrl where SnapTrade's portal sends the browser back to us; empty: {@code https://<host of the
 *                         request>/reconnect/return} ({@code RETURN_LANDING_URL} overrides, e.g. a custom domain)
 * @param stateTtl         how long a reconnect link's state is accepted at the landing
 * @param linksPerWindow   reconnect links SnapTrade may be asked to mint per user and window (a link returned again
 *                         does not count)
 * @param linkWindow       the fixed window of {@code linksPerWindow}
 * @param metrics          the declarations of the API's metric lines (docs/operations.md → "Metrics")
 */
record ApiSettings(Access access, ReturnUrlAllowList allowList, LinkKeys keys,
                   Optional<String> returnLandingUrl, Duration stateTtl, int linksPerWindow, Duration linkWindow,
                   ApiMetrics metrics) {
    static final String ENV_AUTH_MODE = "AUTH_MODE";
    static final String ENV_JWT_USER_CLAIM = "JWT_USER_CLAIM";
    static final String ENV_ALLOW_LIST = "RETURN_URL_ALLOW_LIST";
    static final String ENV_STATE_KEY = "RECONNECT_STATE_KEY";
    static final String ENV_OUTCOME_KEY = "RETURN_OUTCOME_KEY";
    static final String ENV_LANDING_URL = "RETURN_LANDING_URL";
    static final String ENV_STATE_TTL_MINUTES = "RECONNECT_STATE_TTL_MINUTES";
    static final String ENV_LINKS_PER_WINDOW = "RECONNECT_LINKS_PER_WINDOW";
    static final String ENV_LINK_WINDOW_SECONDS = "RECONNECT_LINK_WINDOW_SECONDS";
    static final String LANDING_PATH = "/reconnect/return";

    /** From the function's configuration: the state and outcome keys are secrets, the rest plain settings. */
    static ApiSettings from(Config config) {
        EnvironmentVariables env = config.settings();
        Access access = new Access(Access.Mode.parse(env.optional(ENV_AUTH_MODE).orElse("IAM")),
                env.optional(ENV_JWT_USER_CLAIM).orElse("sub"));
        ReturnUrlAllowList allowList = ReturnUrlAllowList.parse(env.optional(ENV_ALLOW_LIST).orElse(""));
        Duration stateTtl = Duration.ofMinutes(env.positiveInt(ENV_STATE_TTL_MINUTES, 60));
        return new ApiSettings(access, allowList,
                new LinkKeys(config, stateTtl, Clock.systemUTC()),
                env.optional(ENV_LANDING_URL),
                stateTtl,
                env.positiveInt(ENV_LINKS_PER_WINDOW, 10),
                Duration.ofSeconds(env.positiveInt(ENV_LINK_WINDOW_SECONDS, 900)),
                new ApiMetrics(env.optional(Emf.NAMESPACE_VARIABLE).orElse(Emf.DEFAULT_NAMESPACE)));
    }

    /**
     * {@code RETURN_OUTCOME_KEY} when set (at least 32 characters, not the state key), else the key derived from
     * {@code RECONNECT_STATE_KEY}. A bad key stops the function at init with a message naming the variable.
     */
    static ReturnOutcomeSigner outcomeSigner(String stateKey, Optional<String> own) {
        if (own.isEmpty()) {
            return ReturnOutcomeSigner.fromStateKey(stateKey);
        }
        if (own.get().length() < ReturnOutcomeSigner.MIN_OUTCOME_KEY_CHARS) {
            throw new IllegalStateException(ENV_OUTCOME_KEY + " must be at least "
                    + ReturnOutcomeSigner.MIN_OUTCOME_KEY_CHARS + " characters (got " + own.get().length()
                    + "); leave it empty to derive the outcome key from " + ENV_STATE_KEY);
        }
        if (own.get().equals(stateKey)) {
            throw new IllegalStateException(ENV_OUTCOME_KEY + " must differ from " + ENV_STATE_KEY
                    + ": the app holding it could sign reconnect states");
        }
        return ReturnOutcomeSigner.fromOutcomeKey(own.get());
    }

    /** The landing URL for a request that came to {@code host}. */
    String landingUrl(String host) {
        return returnLandingUrl.orElseGet(() -> "https://" + host + LANDING_PATH);
    }
}
