package com.connectionkeeper.core.model;

import java.time.Instant;

/**
 * The user's latest try at connecting a brokerage (CONNECTION_ATTEMPTED or CONNECTION_FAILED).
 *
 * @param result SnapTrade's {@code connectionAttemptedResult}, e.g. SUCCESS or a failure code; null if absent
 */
public record ConnectionAttempt(String eventType, String result, String brokerageId, Instant at, Watermark watermark) {
}
