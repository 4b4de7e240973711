package com.connectionkeeper.api;

import com.connectionkeeper.core.domain.AccountStore;
import com.connectionkeeper.core.domain.AccountStore.Account;
import com.connectionkeeper.core.domain.ConnectionState;
import com.connectionkeeper.core.domain.Delivery;
import com.connectionkeeper.core.domain.EventType;
import com.connectionkeeper.core.domain.IngestResult;
import com.connectionkeeper.core.domain.Reconciler;
import com.connectionkeeper.core.domain.Source;
import com.connectionkeeper.core.domain.StateStore;
import com.connectionkeeper.core.domain.SweepQueue;
import com.connectionkeeper.core.domain.UserDeletion;
import com.connectionkeeper.core.domain.WebhookEvent;
import com.connectionkeeper.core.snaptrade.BrokerageConnection;
import com.connectionkeeper.core.snaptrade.SnapTradeException;
import com.connectionkeeper.core.snaptrade.SnapTradeGateway;
import com.connectionkeeper.core.snaptrade.UserCredentials;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** Users through the API: register at SnapTrade, import one registered elsewhere, delete, read its connections. */
final class UserService {
    private final StateStore store;
    private final AccountStore accounts;
    private final SweepQueue sweep;
    private final SnapTradeGateway snaptrade;
    private final Reconciler reconciler;
    private final Clock clock;

    UserService(StateStore store, AccountStore accounts, SweepQueue sweep, SnapTradeGateway snaptrade, Clock clock) {
        this.store = store;
        this.accounts = accounts;
        this.sweep = sweep;
        this.snaptrade = snaptrade;
        this.reconciler = new Reconciler(store, clock);
        this.clock = clock;
    }

    /** POST /users: registers at SnapTrade and stores the secret; 409 if we or SnapTrade know the user already. */
    ObjectNode register(String userId, String requestId) {
        Optional<Account> known = accounts.account(userId);
        if (known.isPresent() && !known.get().deleted() && known.get().hasSecret()) {
            throw ApiException.conflict("user '" + userId + "' already exists");
        }
        UserCredentials registered;
        try {
            registered = snaptrade.registerUser(userId);
        } catch (SnapTradeException e) {
            if (e.kind() == SnapTradeException.Kind.CONFLICT) {
                throw ApiException.conflict("SnapTrade already has a user '" + userId + "' (registered elsewhere): "
                        + "import its secret with PUT /users/{userId}/secret");
            }
            throw e;
        }
        Instant now = clock.instant();
        if (!accounts.createUser(userId, registered.userSecret(), now, requestId)) {
            throw ApiException.conflict("user '" + userId + "' already exists");
        }
        record(userId, requestId, "API_USER_REGISTERED", now, IngestResult.APPLIED);
        return ApiResponse.MAPPER.createObjectNode().put("userId", userId).put("status", "ACTIVE");
    }

    /** PUT /users/{userId}/secret: checks the secret with SnapTrade, stores it, reconciles the connections at once. */
    ObjectNode importSecret(String userId, String userSecret, String requestId) {
        if (accounts.account(userId).map(Account::deleted).orElse(false)) {
            throw ApiException.conflict("user '" + userId + "' was deleted; register it again with POST /users");
        }
        Instant observedAt = clock.instant();
        List<BrokerageConnection> listed;
        try {
            listed = snaptrade.listConnections(new UserCredentials(userId, userSecret));
        } catch (SnapTradeException e) {
            switch (e.kind()) {
                case CREDENTIALS_REJECTED -> throw new ApiException(422, "SnapTrade rejected this userSecret for user '"
                        + userId + "'; nothing was stored");
                case NOT_FOUND -> throw new ApiException(422, "SnapTrade has no user '" + userId
                        + "'; nothing was stored");
                default -> throw e;
            }
        }
        if (!store.saveUserSecret(userId, userSecret)) {
            throw ApiException.conflict("user '" + userId + "' was deleted; register it again with POST /users");
        }
        reconciler.reconcile(userId, listed, observedAt, requestId, Source.API);
        sweep.markVerified(userId, observedAt);
        return connections(userId);
    }

    /** DELETE /users/{userId}: deletes at SnapTrade, then the user and its connections here; the secret is dropped. */
    ObjectNode delete(String userId, String requestId) {
        Optional<Account> account = accounts.account(userId);
        if (account.isEmpty() && store.connections(userId).isEmpty()) {
            throw noUser(userId); // as GET: a user known only from connection webhooks is known
        }
        int deleted = 0;
        if (!account.map(Account::deleted).orElse(false)) {
            try {
                snaptrade.deleteUser(userId);
            } catch (SnapTradeException e) {
                if (e.kind() != SnapTradeException.Kind.NOT_FOUND) {
                    throw e; // SnapTrade still has the user: delete nothing here, the caller may retry
                }
            }
            Instant now = clock.instant();
            WebhookEvent deletion = new WebhookEvent(requestId, userId, EventType.USER_DELETED,
                    EventType.USER_DELETED.name(), now, null, null, null, "{\"via\":\"api\"}");
            UserDeletion.Result result = UserDeletion.apply(store, deletion, Source.API);
            deleted = result.connectionsDeleted();
            record(userId, requestId, EventType.USER_DELETED.name(), now, result.result());
        }
        accounts.forgetSecret(userId);
        return ApiResponse.MAPPER.createObjectNode().put("userId", userId).put("status", "DELETED")
                .put("connectionsDeleted", deleted);
    }

    /** GET /users/{userId}/connections: from DynamoDB only. */
    ObjectNode connections(String userId) {
        Optional<Account> account = accounts.account(userId);
        List<ConnectionState> connections = store.connections(userId);
        if (account.isEmpty() && connections.isEmpty()) {
            throw noUser(userId);
        }
        return ConnectionViews.of(userId, account.map(Account::lastVerifiedAt).orElse(null), connections);
    }

    static ApiException noUser(String userId) {
        return ApiException.notFound("no user '" + userId + "'");
    }

    private void record(String userId, String requestId, String type, Instant at, IngestResult result) {
        store.recordDelivery(new Delivery(userId, null, requestId, type, at, at, result, "{\"via\":\"api\"}",
                Source.API));
    }
}
