package com.connectionkeeper.api;

import com.connectionkeeper.accounts.ReturnState;
import com.connectionkeeper.api.token.StateCheck;
import com.connectionkeeper.core.config.Config;
import com.connectionkeeper.core.log.JsonLog;
import com.connectionkeeper.core.runtime.Entropy;
import com.connectionkeeper.core.runtime.SnapStartPriming;
import com.connectionkeeper.snaptrade.SnapTradeSdkGateway;
import com.connectionkeeper.store.DynamoTable;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;

/**
 * The API function's SnapStart hooks. Before the snapshot ({@link #prime}): a reconnect state for a user no one has is
 * signed and verified with the key in force, a sample request body is parsed, the SnapTrade SDK client is built and a
 * sample answer mapped (no request to SnapTrade), and the table gets one read of an item nothing writes — nothing is
 * written, no one's data is read. After a restore ({@link #restore}): randomness is re-seeded (each environment its own
 * nonces and jitter) and the secrets are counted as expired, so their next use reads them again (the snapshot's may be
 * days old; a restore hook makes no network call: it must end within Lambda's 10 s).
 */
final class ApiSnapStart {
    /** The user of the priming's state (made and checked in memory, never handed out or stored). */
    static final String PRIMING_USER = "snapstart#priming";

    private final Config config;
    private final DynamoTable table;
    private final SnapTradeSdkGateway snaptrade;
    private final LinkKeys keys;
    private final Clock clock;

    /**
     * What {@link #prime} did, each true when that part ran as in a real request: the state verified, the body parsed,
     * the SDK's sample mapped, the priming read answered (no item, as always).
     */
    record Priming(boolean stateVerified, boolean bodyParsed, boolean snapTradeMapped, boolean storeRead) {
    }

    ApiSnapStart(Config config, DynamoTable table, SnapTradeSdkGateway snaptrade, LinkKeys keys, Clock clock) {
        this.config = config;
        this.table = table;
        this.snaptrade = snaptrade;
        this.keys = keys;
        this.clock = clock;
    }

    /** Each step best-effort ({@link SnapStartPriming}): a failed one is logged, the rest still runs. */
    Priming prime() {
        long started = System.nanoTime();
        boolean verified = SnapStartPriming.step("api", "state", () -> {
            Instant now = clock.instant();
            String token = keys.stateCodec().sign(new ReturnState(PRIMING_USER, "priming", "",
                    ReturnState.randomNonce(), now.plus(Duration.ofMinutes(1))));
            return keys.verify(token, now) instanceof StateCheck.Valid;
        });
        boolean parsed = SnapStartPriming.step("api", "body",
                () -> Body.parse("{\"userSecret\":\"priming\"}", Set.of("userSecret"), false) != null);
        boolean mapped = SnapStartPriming.step("api", "snaptrade", snaptrade::prime);
        boolean read = SnapStartPriming.step("api", "store", table::primeRead);
        Priming priming = new Priming(verified, parsed, mapped, read);
        JsonLog.info("snapstart_primed", "function", "api", "stateVerified", verified, "bodyParsed", parsed,
                "snapTradeMapped", mapped, "storeRead", read, "ms", (System.nanoTime() - started) / 1_000_000);
        return priming;
    }

    void restore() {
        Entropy.reseed();
        config.expireSecrets(); // read again at their next use: no network call in the restore hook
        JsonLog.info("snapstart_restored", "function", "api");
    }
}
