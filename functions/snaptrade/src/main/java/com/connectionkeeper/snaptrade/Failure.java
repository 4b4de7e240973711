package com.connectionkeeper.snaptrade;

import com.connectionkeeper.core.snaptrade.SnapTradeException.Kind;
import java.time.Duration;
import java.util.Optional;

/**
 * One failed attempt, classified.
 *
 * @param kind       what it becomes if it is the last attempt
 * @param status     the HTTP status, or 0 when there was no answer
 * @param code       SnapTrade's error code, or null
 * @param retryable  whether another attempt may succeed
 * @param retryAfter how long SnapTrade asked us to wait, if it said
 * @param reason     a short description for logs and the exception message (never a secret)
 * @param cause      the SDK's exception
 */
record Failure(Kind kind, int status, String code, boolean retryable, Optional<Duration> retryAfter, String reason,
               Throwable cause) {
}
