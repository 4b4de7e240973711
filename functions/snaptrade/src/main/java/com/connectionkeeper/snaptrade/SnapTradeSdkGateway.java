package com.connectionkeeper.snaptrade;

import com.connectionkeeper.core.config.Config;
import com.connectionkeeper.core.log.JsonLog;
import com.connectionkeeper.core.runtime.Entropy;
import com.connectionkeeper.core.snaptrade.BrokerageConnection;
import com.connectionkeeper.core.snaptrade.LoginLink;
import com.connectionkeeper.core.snaptrade.ReconnectRequest;
import com.connectionkeeper.core.snaptrade.RequestWindows;
import com.connectionkeeper.core.snaptrade.SnapTradeException.Kind;
import com.connectionkeeper.core.snaptrade.SnapTradeException;
import com.connectionkeeper.core.snaptrade.SnapTradeGateway;
import com.connectionkeeper.core.snaptrade.UserCredentials;
import com.google.gson.reflect.TypeToken;
import com.snaptrade.client.ApiException;
import com.snaptrade.client.JSON;
import com.snaptrade.client.Snaptrade;
import com.snaptrade.client.api.AuthenticationApi;
import com.snaptrade.client.model.BrokerageAuthorization;
import com.snaptrade.client.model.UserIDandSecret;
import java.util.List;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.DoubleSupplier;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * {@link SnapTradeGateway} on SnapTrade's Java SDK 5.0.157: one SDK client with explicit timeouts, one client-wide
 * rolling-window rate limit, retries with full-jitter backoff within a time budget. Thread-safe; build it once per
 * process.
 *
 * <p>The client id and consumer key may change while the process runs (a rotation in Secrets Manager): the SDK client
 * is rebuilt when the function's secrets hold other keys, and a call SnapTrade refuses for our signature (code
 * {@code 1076}) makes the function read its secrets again at once and, if they changed, is sent once more with the
 * new keys.
 */
public final class SnapTradeSdkGateway implements SnapTradeGateway {
    /** SnapTrade's code for a request whose signature it could not verify (a wrong or rotated consumer key). */
    static final String SIGNATURE_REJECTED = "1076";

    /** The client's credentials: the keys every request is signed with. {@link #toString()} hides the key. */
    public record ClientKeys(String clientId, String consumerKey) {
        @Override
        public String toString() {
            return "ClientKeys[clientId=" + clientId + ", consumerKey=***]";
        }
    }

    /** An SDK client and the keys it was built with. */
    private record Client(ClientKeys keys, Snaptrade sdk) {
    }

    /** A request of the SDK client in force when it is (re)sent. */
    @FunctionalInterface
    private interface Request<T> {
        T send(Snaptrade sdk) throws ApiException;
    }

    private final SnapTradeSettings settings;
    private final Supplier<ClientKeys> keys;
    private final BooleanSupplier refreshKeys;
    private final Limiter limiter;
    private final CallRunner runner;
    private final Consumer<String> log;
    private volatile Client client;

    /** The production gateway: real sleeps, random jitter, log lines on stdout, the settings' fixed keys. */
    public static SnapTradeSdkGateway create(SnapTradeSettings settings) {
        return new SnapTradeSdkGateway(settings, Sleeper.SYSTEM, Entropy::unit,
                System.out::println);
    }

    /**
     * The production gateway of a function: settings from {@code config}, and the keys read from its secrets where
     * they are used, so a rotation reaches the gateway without a restart.
     */
    public static SnapTradeSdkGateway fromConfig(Config config) {
        return fromConfig(config, SnapTradeSettings.from(config), null);
    }

    /**
     * As {@link #fromConfig(Config)}, taking every slot from the deployment's shared budget: {@code windows} gives
     * the shared counters of a client id, {@code priority} is this function's place in the queue, and the plan comes
     * from the function's settings ({@link BudgetPlan#from}).
     */
    public static SnapTradeSdkGateway fromConfig(Config config, Function<String, RequestWindows> windows,
                                                 CallPriority priority) {
        SnapTradeSettings settings = SnapTradeSettings.from(config);
        return fromConfig(config, settings, new SharedBudget(windows.apply(settings.clientId()),
                BudgetPlan.from(config), priority));
    }

    private static SnapTradeSdkGateway fromConfig(Config config, SnapTradeSettings settings, SharedBudget budget) {
        return new SnapTradeSdkGateway(settings, () -> new ClientKeys(
                config.secret(SnapTradeSettings.ENV_CLIENT_ID).orElse(settings.clientId()),
                config.secret(SnapTradeSettings.ENV_CONSUMER_KEY).orElse(settings.consumerKey())),
                config::refreshSecrets, Sleeper.SYSTEM, Entropy::unit,
                System.out::println, budget);
    }

    /**
     * A gateway with its waiting, jitter and logging substituted (tests), signing with the settings' fixed keys.
     *
     * @param sleeper waits between attempts
     * @param random  jitter source, values in [0, 1]
     * @param log     receives each JSON log line
     */
    public SnapTradeSdkGateway(SnapTradeSettings settings, Sleeper sleeper, DoubleSupplier random,
                               Consumer<String> log) {
        this(settings, () -> new ClientKeys(settings.clientId(), settings.consumerKey()), () -> false, sleeper,
                random, log);
    }

    /**
     * A gateway whose keys come from {@code keys} at each call, and which asks {@code refreshKeys} to read them
     * again (true: they changed) when SnapTrade rejects our signature.
     */
    public SnapTradeSdkGateway(SnapTradeSettings settings, Supplier<ClientKeys> keys, BooleanSupplier refreshKeys,
                               Sleeper sleeper, DoubleSupplier random, Consumer<String> log) {
        this(settings, keys, refreshKeys, sleeper, random, log, null);
    }

    /**
     * A gateway that takes its slots from the deployment's shared {@code budget} (null: only this process's own
     * limit, {@link SnapTradeSettings#requestsPerWindow()}; with a budget, that limit is the fallback when the shared
     * count is unreachable).
     */
    public SnapTradeSdkGateway(SnapTradeSettings settings, Supplier<ClientKeys> keys, BooleanSupplier refreshKeys,
                               Sleeper sleeper, DoubleSupplier random, Consumer<String> log, SharedBudget budget) {
        this.settings = settings;
        this.keys = keys;
        this.refreshKeys = refreshKeys;
        this.log = log;
        RollingWindowLimiter own = new RollingWindowLimiter(settings.requestsPerWindow(), settings.window());
        this.limiter = budget == null ? own : new SharedLimiter(budget.windows(), budget.plan(), budget.priority(), own,
                budget.wallMillis(), log);
        ClientKeys first = keys.get();
        this.client = new Client(first, newSdk(first));
        this.runner = new CallRunner(limiter, new Backoff(settings.initialBackoff(), settings.maxBackoff(), random),
                sleeper, new CallLog(log), settings.retryBudget());
    }

    /**
     * Runs a request with the keys in force; once more if SnapTrade rejected our signature and the keys held are not
     * the ones it was signed with — read again now, or by another call meanwhile (several calls run at once, and the
     * secrets are read again at most every 30 s).
     */
    private <T> T run(Operation operation, String userId, Request<T> request) {
        AtomicReference<ClientKeys> signedWith = new AtomicReference<>();
        try {
            return runner.run(operation, userId, () -> {
                Client c = client();
                signedWith.set(c.keys());
                return request.send(c.sdk());
            });
        } catch (SnapTradeException e) {
            if (e.kind() != Kind.CLIENT_REJECTED || !e.code().filter(SIGNATURE_REJECTED::equals).isPresent()) {
                throw e;
            }
            refreshKeys.getAsBoolean();
            if (client().keys().equals(signedWith.get())) {
                throw e; // the keys held are the ones SnapTrade refused
            }
            log.accept(JsonLog.line("WARN", "snaptrade_keys_refreshed", "operation", operation.logName(),
                    "userId", userId, "reason", "SnapTrade rejected our signature (1076); the secrets held new keys"));
            return runner.run(operation, userId, () -> request.send(client().sdk()));
        }
    }

    /**
     * SnapStart priming, without a request to SnapTrade: the SDK client for the keys in force, and a sample list of
     * connections (as SnapTrade answers it) through the SDK's JSON and our mapping. True when the sample mapped to
     * one broken connection, as it should.
     */
    public boolean prime() {
        client();
        List<BrokerageAuthorization> sample = JSON.deserialize(PRIMING_CONNECTIONS,
                new TypeToken<List<BrokerageAuthorization>>() { }.getType());
        List<BrokerageConnection> mapped = sample.stream().map(ConnectionMapper::connection).toList();
        return mapped.size() == 1 && mapped.get(0).disabled();
    }

    /** One connection as SnapTrade lists it (broken), for {@link #prime}. */
    private static final String PRIMING_CONNECTIONS = "[{\"id\":\"00000000-0000-0000-0000-000000000000\","
            + "\"created_date\":\"2024-01-01T00:00:00.000000Z\",\"updated_date\":\"2024-01-02T00:00:00.000000Z\","
            + "\"brokerage\":{\"id\":\"00000000-0000-0000-0000-000000000001\",\"slug\":\"PRIMING\","
            + "\"name\":\"Priming\",\"display_name\":\"Priming\",\"enabled\":true,\"maintenance_mode\":false,"
            + "\"is_degraded\":false,\"aws_s3_square_logo_url\":null,\"open_url\":null},\"name\":\"Connection-1\",\"type\":\"read\",\"disabled\":true,"
            + "\"disabled_date\":\"2024-01-02T00:00:00.000000Z\",\"meta\":{}}]";

    /** The SDK client for the keys in force, rebuilt when they changed. */
    private Client client() {
        Client current = client;
        ClientKeys now = keys.get();
        if (now.equals(current.keys())) {
            return current;
        }
        synchronized (this) {
            if (!now.equals(client.keys())) {
                client = new Client(now, newSdk(now));
            }
            return client;
        }
    }

    private Snaptrade newSdk(ClientKeys with) {
        return SnapTradeClients.create(settings.withKeys(with), limiter::remaining);
    }

    @Override
    public List<BrokerageConnection> listConnections(UserCredentials user) {
        return run(Operation.LIST_CONNECTIONS, user.userId(), snaptrade -> snaptrade.connections
                .listBrokerageAuthorizations(user.userId(), user.userSecret()).execute()
                .stream().map(ConnectionMapper::connection).toList());
    }

    @Override
    public BrokerageConnection connection(UserCredentials user, String connectionId) {
        UUID id = connectionUuid(connectionId);
        return run(Operation.CONNECTION, user.userId(), snaptrade -> ConnectionMapper.connection(snaptrade.connections
                .detailBrokerageAuthorization(id, user.userId(), user.userSecret()).execute()));
    }

    @Override
    public LoginLink reconnectLink(UserCredentials user, ReconnectRequest request) {
        return run(Operation.RECONNECT_LINK, user.userId(), snaptrade -> {
            AuthenticationApi.LoginSnapTradeUserRequestBuilder login = snaptrade.authentication
                    .loginSnapTradeUser(user.userId(), user.userSecret())
                    .reconnect(request.connectionId())
                    .connectionType(request.type().wire());
            if (request.customRedirect() != null) {
                login.customRedirect(request.customRedirect());
            }
            if (request.immediateRedirect() != null) {
                login.immediateRedirect(request.immediateRedirect());
            }
            if (request.darkMode() != null) {
                login.darkMode(request.darkMode());
            }
            return ConnectionMapper.loginLink(login.execute());
        });
    }

    @Override
    public UserCredentials registerUser(String userId) {
        Objects.requireNonNull(userId, "userId");
        UserIDandSecret registered = run(Operation.REGISTER_USER, userId,
                snaptrade -> requireSecret(snaptrade.authentication.registerSnapTradeUser(userId).execute()));
        return new UserCredentials(registered.getUserId() == null ? userId : registered.getUserId(),
                registered.getUserSecret());
    }

    @Override
    public UserCredentials resetUserSecret(UserCredentials user) {
        Objects.requireNonNull(user, "user");
        UserIDandSecret reset = run(Operation.RESET_USER_SECRET, user.userId(),
                snaptrade -> requireSecret(snaptrade.authentication.resetSnapTradeUserSecret().userId(user.userId())
                        .userSecret(user.userSecret()).execute()));
        return new UserCredentials(user.userId(), reset.getUserSecret());
    }

    @Override
    public void deleteUser(String userId) {
        Objects.requireNonNull(userId, "userId");
        run(Operation.DELETE_USER, userId, snaptrade -> snaptrade.authentication.deleteSnapTradeUser(userId).execute());
    }

    private static UserIDandSecret requireSecret(UserIDandSecret registered) {
        if (registered == null || registered.getUserSecret() == null || registered.getUserSecret().isBlank()) {
            throw new IllegalArgumentException("answer without userSecret");
        }
        return registered;
    }

    /** SnapTrade's connection ids are UUIDs; anything else cannot exist there. */
    private static UUID connectionUuid(String connectionId) {
        try {
            return UUID.fromString(Objects.requireNonNull(connectionId, "connectionId"));
        } catch (IllegalArgumentException e) {
            throw new SnapTradeException(Kind.NOT_FOUND, 0, null, "connection id is not a UUID", e);
        }
    }

    @Override
    public long requestsSent() {
        return runner.attempts();
    }

    @Override
    public java.time.Duration nextSlotIn() {
        return limiter.nextFreeIn();
    }

    @Override
    public long rateLimitedAnswers() {
        return runner.rateLimited();
    }
}
