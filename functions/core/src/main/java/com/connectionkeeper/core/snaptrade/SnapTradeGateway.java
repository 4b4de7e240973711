package com.connectionkeeper.core.snaptrade;

import java.util.List;

/**
 * Everything the project asks of SnapTrade, in domain terms. The one implementation (module functions/snaptrade)
 * adds timeouts, retries with backoff, a shared rate limit, and maps every failure to a {@link SnapTradeException}.
 */
public interface SnapTradeGateway {

    /** All of the user's connections (SnapTrade: listBrokerageAuthorizations). */
    List<BrokerageConnection> listConnections(UserCredentials user);

    /** One connection (SnapTrade: detailBrokerageAuthorization); {@link SnapTradeException.Kind#NOT_FOUND} if unknown. */
    BrokerageConnection connection(UserCredentials user, String connectionId);

    /** A Connection Portal link that repairs {@code request.connectionId()} in reconnect mode (loginSnapTradeUser). */
    LoginLink reconnectLink(UserCredentials user, ReconnectRequest request);

    /** Registers a user at SnapTrade and returns its secret (registerSnapTradeUser). */
    UserCredentials registerUser(String userId);

    /**
     * Rotates the user's secret (resetSnapTradeUserSecret) and returns the new one; the old one stops working at once.
     * SnapTrade needs the current secret for it, so a secret that was never stored cannot be recovered this way. Not
     * repeated after a lost answer: a reset that reached SnapTrade has already retired the secret we hold.
     */
    UserCredentials resetUserSecret(UserCredentials user);

    /** Deletes the user at SnapTrade (asynchronous there; USER_DELETED follows by webhook). */
    void deleteUser(String userId);

    /** HTTP requests this gateway has sent to SnapTrade so far, every attempt and retry included. */
    long requestsSent();

    /**
     * How long a call starting now would wait for its rate-limit slot at least (SnapTrade paused us, or the budget of
     * the current sub-window is spent); zero when one is free.
     */
    default java.time.Duration nextSlotIn() {
        return java.time.Duration.ZERO;
    }

    /** Of those, the ones SnapTrade answered 429 (over its rate limit), retried or not. */
    default long rateLimitedAnswers() {
        return 0;
    }
}
