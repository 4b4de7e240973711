package com.connectionkeeper.snaptrade;

import com.connectionkeeper.core.snaptrade.BrokerageConnection;
import com.connectionkeeper.core.snaptrade.LoginLink;
import com.connectionkeeper.core.snaptrade.ReconnectRequest;
import com.connectionkeeper.core.snaptrade.SnapTradeException;
import com.connectionkeeper.core.snaptrade.SnapTradeException.Kind;
import com.connectionkeeper.core.snaptrade.SnapTradeGateway;
import com.connectionkeeper.core.snaptrade.UserCredentials;
import com.snaptrade.client.Snaptrade;
import com.snaptrade.client.api.AuthenticationApi;
import com.snaptrade.client.model.UserIDandSecret;
import java.util.List;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Consumer;
import java.util.function.DoubleSupplier;

/**
 * {@link SnapTradeGateway} on SnapTrade's Java SDK 5.0.157: one SDK client with explicit timeouts, one client-wide
 * rolling-window rate limit, retries with full-jitter backoff within a time budget. Thread-safe; build it once per
 * process.
 */
public final class SnapTradeSdkGateway implements SnapTradeGateway {
    private final Snaptrade snaptrade;
    private final CallRunner runner;

    /** The production gateway: real sleeps, random jitter, log lines on stdout. */
    public static SnapTradeSdkGateway create(SnapTradeSettings settings) {
        return new SnapTradeSdkGateway(settings, Sleeper.SYSTEM, () -> ThreadLocalRandom.current().nextDouble(),
                System.out::println);
    }

    /**
     * A gateway with its waiting, jitter and logging substituted (tests).
     *
     * @param sleeper waits between attempts
     * @param random  jitter source, values in [0, 1]
     * @param log     receives each JSON log line
     */
    public SnapTradeSdkGateway(SnapTradeSettings settings, Sleeper sleeper, DoubleSupplier random,
                               Consumer<String> log) {
        this.snaptrade = SnapTradeClients.create(settings);
        RollingWindowLimiter limiter = new RollingWindowLimiter(settings.requestsPerWindow(), settings.window());
        this.runner = new CallRunner(limiter, new Backoff(settings.initialBackoff(), settings.maxBackoff(), random),
                sleeper, new CallLog(log), settings.retryBudget());
    }

    @Override
    public List<BrokerageConnection> listConnections(UserCredentials user) {
        return runner.run(Operation.LIST_CONNECTIONS, user.userId(), () -> snaptrade.connections
                .listBrokerageAuthorizations(user.userId(), user.userSecret()).execute()
                .stream().map(ConnectionMapper::connection).toList());
    }

    @Override
    public BrokerageConnection connection(UserCredentials user, String connectionId) {
        UUID id = connectionUuid(connectionId);
        return runner.run(Operation.CONNECTION, user.userId(), () -> ConnectionMapper.connection(snaptrade.connections
                .detailBrokerageAuthorization(id, user.userId(), user.userSecret()).execute()));
    }

    @Override
    public LoginLink reconnectLink(UserCredentials user, ReconnectRequest request) {
        return runner.run(Operation.RECONNECT_LINK, user.userId(), () -> {
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
        UserIDandSecret registered = runner.run(Operation.REGISTER_USER, userId,
                () -> requireSecret(snaptrade.authentication.registerSnapTradeUser(userId).execute()));
        return new UserCredentials(registered.getUserId() == null ? userId : registered.getUserId(),
                registered.getUserSecret());
    }

    @Override
    public UserCredentials resetUserSecret(UserCredentials user) {
        Objects.requireNonNull(user, "user");
        UserIDandSecret reset = runner.run(Operation.RESET_USER_SECRET, user.userId(),
                () -> requireSecret(snaptrade.authentication.resetSnapTradeUserSecret().userId(user.userId())
                        .userSecret(user.userSecret()).execute()));
        return new UserCredentials(user.userId(), reset.getUserSecret());
    }

    @Override
    public void deleteUser(String userId) {
        Objects.requireNonNull(userId, "userId");
        runner.run(Operation.DELETE_USER, userId, () -> snaptrade.authentication.deleteSnapTradeUser(userId).execute());
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
}
