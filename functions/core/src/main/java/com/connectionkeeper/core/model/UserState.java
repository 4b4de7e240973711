package com.connectionkeeper.core.model;

import java.time.Instant;

/**
 * What we know of one SnapTrade user.
 *
 * @param status             null while we have only seen attempts for the user, not a registration
 * @param watermark          the newest registration/deletion applied
 * @param deletionWatermark  the newest deletion applied: a connection first seen later with an older event is deleted
 * @param lastAttempt        the latest connection attempt, or null
 */
public record UserState(
        String userId,
        UserStatus status,
        Instant registeredAt,
        Instant deletedAt,
        Watermark watermark,
        Watermark deletionWatermark,
        ConnectionAttempt lastAttempt) {

    static UserState empty(String userId) {
        return new UserState(userId, null, null, null, null, null, null);
    }
}
