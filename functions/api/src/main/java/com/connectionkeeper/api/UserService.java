package com.connectionkeeper.api;

import com.connectionkeeper.accounts.AccountStore.Account;
import com.connectionkeeper.accounts.AccountStore;
import com.connectionkeeper.core.ingest.ConnectionStore;
import com.connectionkeeper.core.ingest.UserDeletion;
import com.connectionkeeper.core.log.JsonLog;
import com.connectionkeeper.core.model.ConnectionState;
import com.connectionkeeper.core.model.EventType;
import com.connectionkeeper.core.model.HistoryEntry;
import com.connectionkeeper.core.model.IngestResult;
import com.connectionkeeper.core.model.Source;
import com.connectionkeeper.core.model.UserState;
import com.connectionkeeper.core.model.Watermark;
import com.connectionkeeper.core.reconcile.Reconciler;
import com.connectionkeeper.core.secrets.SecretStore;
import com.connectionkeeper.core.snaptrade.BrokerageConnection;
import com.connectionkeeper.core.snaptrade.SnapTradeException;
import com.connectionkeeper.core.snaptrade.SnapTradeGateway;
import com.connectionkeeper.core.snaptrade.UserCredentials;
import com.connectionkeeper.core.sweep.SweepQueue;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Users through the API: register at SnapTrade, import one registered elsewhere, delete, read its connections. Answers
 * in results ({@link Registered}, {@link Connections}, …) and {@link ServiceException}s: {@link Api} makes them HTTP.
 */
final class UserService {
    private final ConnectionStore store;
    private final SecretStore secrets;
    private final AccountStore accounts;
    private final SweepQueue sweep;
    private final SnapTradeGateway snaptrade;
    private final Reconciler reconciler;
    private final Clock clock;
    /** How long one registration attempt holds the user: longer than the API function's timeout (29 s). */
    static final Duration REGISTRATION_LEASE = Duration.ofSeconds(60);

    /** A user registered at SnapTrade by us, its secret stored: ACTIVE. */
    record Registered(String userId) {
    }

    /** A user deleted (at SnapTrade and here), with how many of its live connections this request deleted. */
    record Deleted(String userId, int connectionsDeleted) {
    }

    /** A user whose secret was rotated at SnapTrade and stored: ACTIVE again. */
    record SecretReset(String userId) {
    }

    /** What we know of a user's connections, and when SnapTrade last confirmed the user (null: never). */
    record Connections(String userId, Instant lastVerifiedAt, List<ConnectionState> connections) {
    }

    UserService(ConnectionStore store, SecretStore secrets, AccountStore accounts, SweepQueue sweep,
                SnapTradeGateway snaptrade, Clock clock) {
        this.store = store;
        this.secrets = secrets;
        this.accounts = accounts;
        this.sweep = sweep;
        this.snaptrade = snaptrade;
        this.reconciler = new Reconciler(store, clock);
        this.clock = clock;
    }

    /**
     * POST /users: registers at SnapTrade and stores the secret; 409 if we or SnapTrade (registered elsewhere) know
     * the user already. No failure at any step orphans a user: the intent is recorded before SnapTrade is asked and
     * kept while SnapTrade's answer is unknown, so when a retry finds SnapTrade holding a user whose secret never
     * reached us (its answer or our write was lost), it removes that user at SnapTrade (nobody can have connected it:
     * only SnapTrade ever had its secret) and registers it again — SnapTrade cannot hand out that secret again, its
     * reset needs the current secret. Attempts never overlap (a lease on the user item), so one attempt never removes
     * what another has just registered; a definite answer ("exists", refused) ends the intent, so a user registered
     * elsewhere stays a 409 however often it is asked for.
     */
    Registered register(String userId, String requestId) {
        Optional<Account> known = accounts.account(userId);
        if (known.isPresent() && !known.get().deleted() && known.get().hasSecret()) {
            throw exists(userId);
        }
        Instant started = clock.instant();
        switch (accounts.beginRegistration(userId, started, requestId, started.plus(REGISTRATION_LEASE))) {
            case EXISTS -> throw exists(userId);
            case IN_PROGRESS -> throw ServiceException.busy("a registration of user '" + userId
                    + "' is in progress; retry shortly", REGISTRATION_LEASE);
            case STARTED -> { }
        }
        try {
            return registerHolding(userId, requestId, known.map(Account::registeringSince).isPresent(),
                    ourUnfinishedRegistration(known));
        } catch (RuntimeException e) {
            try {
                accounts.endRegistration(userId, requestId, false); // the next attempt need not wait for the lease
            } catch (RuntimeException alsoFailing) {
                e.addSuppressed(alsoFailing);
            }
            throw e;
        }
    }

    /**
     * An earlier attempt's intent whose outcome is unknown — unless SnapTrade's USER_REGISTERED webhook showed a
     * registration from before that intent (and after any deletion of an earlier user with this id): that user was
     * registered elsewhere, not by us.
     */
    private boolean ourUnfinishedRegistration(Optional<Account> known) {
        Instant since = known.map(Account::registeringSince).orElse(null);
        if (since == null) {
            return false;
        }
        Optional<UserState> user = store.user(known.get().userId());
        Instant registeredAt = user.map(UserState::registeredAt).orElse(null);
        Instant deletedAt = user.map(UserState::deletedAt).orElse(null);
        boolean elsewhere = registeredAt != null && registeredAt.isBefore(since)
                && (deletedAt == null || registeredAt.isAfter(deletedAt));
        return !elsewhere;
    }

    /**
     * Registers while holding the user. {@code earlierIntent}: an earlier attempt's outcome is unknown (a definite
     * failure of this attempt says nothing about it, so its intent stays); {@code ours}: and nothing says the user
     * SnapTrade may hold was registered elsewhere.
     */
    private Registered registerHolding(String userId, String requestId, boolean earlierIntent, boolean ours) {
        UserCredentials registered;
        try {
            registered = snaptrade.registerUser(userId);
        } catch (SnapTradeException e) {
            if (e.kind() == SnapTradeException.Kind.CONFLICT && ours) {
                registered = registerAgain(userId, requestId);
            } else {
                boolean conflict = e.kind() == SnapTradeException.Kind.CONFLICT; // not ours: registered elsewhere
                accounts.endRegistration(userId, requestId, conflict || definite(e) && !earlierIntent);
                if (e.kind() == SnapTradeException.Kind.CONFLICT) {
                    throw ServiceException.conflict("SnapTrade already has a user '" + userId
                            + "' (registered elsewhere): import its secret with PUT /users/{userId}/secret");
                }
                throw e;
            }
        }
        Instant now = clock.instant();
        if (!secrets.createUser(userId, registered.userSecret(), now, requestId)) {
            throw exists(userId);
        }
        try {
            record(userId, requestId, "API_USER_REGISTERED", now, IngestResult.APPLIED);
        } catch (RuntimeException historyOnly) {
            // the user and its secret are stored: a missing history line must not make the app retry into a 409
            JsonLog.warn("api_history_unrecorded", "requestId", requestId, "userId", userId,
                    "error", historyOnly.getClass().getSimpleName());
        }
        return new Registered(userId);
    }

    /** Whether SnapTrade's failure shows it registered nobody (else it may have: the intent must stay). */
    private static boolean definite(SnapTradeException e) {
        return switch (e.kind()) {
            case UNAVAILABLE -> false;
            case BAD_RESPONSE -> e.httpStatus() < 200 || e.httpStatus() >= 300; // a 2xx we could not read: it did
            default -> true;
        };
    }

    /**
     * An earlier attempt registered the user at SnapTrade but its secret never reached our table: the user SnapTrade
     * holds is ours, unconnected. Deletes it there and registers it again; 503 while SnapTrade is still deleting.
     */
    private UserCredentials registerAgain(String userId, String requestId) {
        JsonLog.warn("api_registration_recovered", "requestId", requestId, "userId", userId,
                "reason", "SnapTrade holds a user from an unfinished registration whose secret was never stored");
        try {
            snaptrade.deleteUser(userId);
        } catch (SnapTradeException e) {
            if (e.kind() != SnapTradeException.Kind.NOT_FOUND) {
                throw e;
            }
        }
        try {
            return snaptrade.registerUser(userId);
        } catch (SnapTradeException e) {
            if (e.kind() == SnapTradeException.Kind.CONFLICT) {
                throw ServiceException.busy("SnapTrade is still removing an unfinished registration of user '"
                        + userId + "' (its secret never reached us); retry in a few seconds", Duration.ofSeconds(5));
            }
            throw e;
        }
    }

    /** PUT /users/{userId}/secret: checks the secret with SnapTrade, stores it, reconciles the connections at once. */
    Connections importSecret(String userId, String userSecret, String requestId) {
        if (accounts.account(userId).map(Account::deleted).orElse(false)) {
            throw wasDeleted(userId);
        }
        Instant observedAt = clock.instant();
        List<BrokerageConnection> listed;
        try {
            listed = snaptrade.listConnections(new UserCredentials(userId, userSecret));
        } catch (SnapTradeException e) {
            switch (e.kind()) {
                case CREDENTIALS_REJECTED -> throw ServiceException.refusedBySnapTrade("SnapTrade rejected this "
                        + "userSecret for user '" + userId + "'; nothing was stored");
                case NOT_FOUND -> throw ServiceException.refusedBySnapTrade("SnapTrade has no user '" + userId
                        + "'; nothing was stored");
                default -> throw e;
            }
        }
        if (!secrets.saveUserSecret(userId, userSecret)) {
            throw wasDeleted(userId);
        }
        reconciler.reconcile(userId, listed, observedAt, requestId, Source.API);
        sweep.markVerified(userId, observedAt);
        return connections(userId);
    }

    /**
     * DELETE /users/{userId}: deletes at SnapTrade, then the user and its connections here; the secret is dropped.
     * Every step can be repeated: a retry after a failure part-way (the user written, some connections not) finishes
     * the recorded deletion without asking SnapTrade again, so the table ends as after a clean deletion.
     */
    Deleted delete(String userId, String requestId) {
        Optional<Account> account = accounts.account(userId);
        if (account.isEmpty() && store.connections(userId).isEmpty()) {
            throw noUser(userId); // as GET: a user known only from connection webhooks is known
        }
        int deleted;
        if (!account.map(Account::deleted).orElse(false)) {
            try {
                snaptrade.deleteUser(userId);
            } catch (SnapTradeException e) {
                if (e.kind() != SnapTradeException.Kind.NOT_FOUND) {
                    throw e; // SnapTrade still has the user: delete nothing here, the caller may retry
                }
            }
            Instant now = clock.instant();
            Watermark deletion = UserDeletion.watermark(now, requestId); // this request's id: recorded in history
            deleted = UserDeletion.apply(store, userId, deletion, now, Source.API).connectionsDeleted();
        } else {
            deleted = UserDeletion.finish(store, userId, Source.API); // deleted before (here or by SnapTrade)
        }
        boolean again = account.map(Account::deleted).orElse(false);
        store.user(userId).filter(u -> u.deletionWatermark() != null)
                .filter(u -> !again || deleted > 0 || !recorded(userId, u.deletionWatermark().tieBreaker()))
                .ifPresent(u -> record(userId, u.deletionWatermark().tieBreaker(), EventType.USER_DELETED.name(),
                        u.deletedAt(), IngestResult.APPLIED));
        secrets.forgetSecret(userId);
        return new Deleted(userId, deleted);
    }

    /**
     * POST /users/{userId}/secret/reset: rotates the secret we hold at SnapTrade (resetSnapTradeUserSecret) and
     * stores the new one; any flag ends and the user is back in the sweep. SnapTrade needs the current secret for it:
     * when it rejects the one we hold, only an import of the current secret (or a new registration) helps.
     */
    SecretReset resetSecret(String userId, String requestId) {
        Account account = accounts.account(userId).orElseThrow(() -> noUser(userId));
        if (account.deleted()) {
            throw wasDeleted(userId);
        }
        SecretStore.HeldSecret held = secrets.heldSecret(userId).orElseThrow(() -> ServiceException.conflict(
                "no secret is stored for user '" + userId + "': import it with PUT /users/{userId}/secret"));
        UserCredentials fresh;
        try {
            fresh = snaptrade.resetUserSecret(held.credentials());
        } catch (SnapTradeException e) {
            switch (e.kind()) {
                case CREDENTIALS_REJECTED -> throw ServiceException.refusedBySnapTrade("SnapTrade rejects the secret "
                        + "stored for user '" + userId + "', so it cannot rotate it either (a reset needs the current "
                        + "secret): import the current secret with PUT /users/{userId}/secret, or delete the user and "
                        + "register it again");
                case NOT_FOUND -> throw ServiceException.refusedBySnapTrade("SnapTrade has no user '" + userId + "'");
                default -> {
                    if (e.httpStatus() == 0) {
                        JsonLog.error("api_secret_reset_unanswered", "requestId", requestId, "userId", userId,
                                "hint", "SnapTrade may have rotated the secret without us hearing the new one");
                    }
                    throw e;
                }
            }
        }
        saveResetSecret(userId, fresh.userSecret(), requestId);
        Instant now = clock.instant();
        record(userId, requestId, "API_SECRET_RESET", now, IngestResult.APPLIED);
        return new SecretReset(userId);
    }

    /** The old secret is dead at SnapTrade now: the new one is tried harder than a usual write before giving up. */
    private void saveResetSecret(String userId, String secret, String requestId) {
        RuntimeException last = null;
        for (int attempt = 0; attempt < 3; attempt++) {
            try {
                if (!secrets.saveUserSecret(userId, secret)) {
                    throw ServiceException.conflict("user '" + userId + "' was deleted while its secret was reset");
                }
                return;
            } catch (ServiceException e) {
                throw e;
            } catch (RuntimeException e) {
                last = e; // DynamoDB or KMS (sealing): a blip is waited out, 0.1 s then 0.3 s
                if (attempt < 2) {
                    pause(attempt == 0 ? 100 : 300);
                }
            }
        }
        JsonLog.error("api_secret_reset_unsaved", "requestId", requestId, "userId", userId,
                "error", last.getClass().getSimpleName());
        throw last;
    }

    private static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Whether the user's history holds the deletion with this id (a retry records it once, a repeat not again). */
    private boolean recorded(String userId, String deletionId) {
        return store.history(userId, null).stream().anyMatch(d -> deletionId.equals(d.webhookId())
                && EventType.USER_DELETED.name().equals(d.eventType()));
    }

    /** GET /users/{userId}/connections: from DynamoDB only. */
    Connections connections(String userId) {
        Optional<Account> account = accounts.account(userId);
        List<ConnectionState> connections = store.connections(userId);
        if (account.isEmpty() && connections.isEmpty()) {
            throw noUser(userId);
        }
        return new Connections(userId, account.map(Account::lastVerifiedAt).orElse(null), connections);
    }

    static ServiceException noUser(String userId) {
        return ServiceException.notFound("no user '" + userId + "'");
    }

    private static ServiceException exists(String userId) {
        return ServiceException.conflict("user '" + userId + "' already exists");
    }

    private static ServiceException wasDeleted(String userId) {
        return ServiceException.conflict("user '" + userId + "' was deleted; register it again with POST /users");
    }

    private void record(String userId, String requestId, String type, Instant at, IngestResult result) {
        store.recordHistory(new HistoryEntry(userId, null, requestId, type, at, at, result, "{\"via\":\"api\"}",
                Source.API));
    }
}
