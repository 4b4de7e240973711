package com.connectionkeeper.core.model;

import java.time.Instant;

/**
 * The rules for user-level events: registration and deletion share one watermark (newest wins); connection attempts
 * have their own (the newest attempt is kept). Pure: the DynamoDB store carries out the same with conditional updates.
 */
public final class UserRules {
    private UserRules() {
    }

    /** Whether a registration or deletion at this event's watermark may be applied. */
    public static boolean registrationApplies(UserState current, WebhookEvent e) {
        return registrationApplies(current, e.watermark());
    }

    /** Whether a registration or deletion at {@code watermark} may be applied (they share the user's watermark). */
    public static boolean registrationApplies(UserState current, Watermark watermark) {
        return current == null || current.watermark() == null || !current.watermark().isAfter(watermark);
    }

    /** Whether an attempt at this event's watermark is the newest. */
    public static boolean attemptApplies(UserState current, WebhookEvent e) {
        return current == null || current.lastAttempt() == null
                || !current.lastAttempt().watermark().isAfter(e.watermark());
    }

    /** The user after USER_REGISTERED, USER_DELETED, CONNECTION_ATTEMPTED or CONNECTION_FAILED (unchanged if stale). */
    public static UserState apply(UserState current, WebhookEvent e) {
        UserState u = current == null ? UserState.empty(e.userId()) : current;
        switch (e.type()) {
            case USER_REGISTERED -> {
                if (!registrationApplies(current, e)) {
                    return u;
                }
                return new UserState(u.userId(), UserStatus.ACTIVE, e.eventTime(), u.deletedAt(), e.watermark(),
                        u.deletionWatermark(), u.lastAttempt());
            }
            case USER_DELETED -> {
                return deleted(current, e.userId(), e.watermark(), e.eventTime());
            }
            case CONNECTION_ATTEMPTED, CONNECTION_FAILED -> {
                if (!attemptApplies(current, e)) {
                    return u;
                }
                ConnectionAttempt attempt = new ConnectionAttempt(
                        e.type().name(), e.attemptResult(), e.brokerageId(), e.eventTime(), e.watermark());
                return new UserState(u.userId(), u.status(), u.registeredAt(), u.deletedAt(), u.watermark(),
                        u.deletionWatermark(), attempt);
            }
            default -> throw new IllegalArgumentException("not a user event: " + e.type());
        }
    }

    /**
     * The user after its deletion at {@code watermark} and {@code deletedAt}, whoever deleted it (SnapTrade's
     * USER_DELETED webhook, our API); unchanged if stale.
     */
    public static UserState deleted(UserState current, String userId, Watermark watermark, Instant deletedAt) {
        UserState u = current == null ? UserState.empty(userId) : current;
        if (!registrationApplies(current, watermark)) {
            return u;
        }
        return new UserState(u.userId(), UserStatus.DELETED, u.registeredAt(), deletedAt, watermark, watermark,
                u.lastAttempt());
    }
}
