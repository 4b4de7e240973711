package com.connectionkeeper.api;

import com.connectionkeeper.api.ApiRequest.Caller;
import java.util.Locale;

/**
 * Who may act for which user. API Gateway authenticates (IAM SigV4 by default, or a JWT authorizer); this checks
 * what it established: with IAM the caller is the app's backend and may act for any user; with JWT the configured
 * claim must equal the user in the path, so one end user can never read or repair another's connections. A request
 * that reaches a management route with no identity at all (a misconfigured route) is refused too.
 */
final class Access {
    /** How management routes are authorized (the template's choice, passed as {@code AUTH_MODE}). */
    enum Mode {
        IAM, JWT;

        static Mode parse(String value) {
            try {
                return valueOf(value.trim().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("AUTH_MODE must be IAM or JWT, got: " + value, e);
            }
        }
    }

    private final Mode mode;
    private final String userClaim;

    Access(Mode mode, String userClaim) {
        this.mode = mode;
        this.userClaim = userClaim;
    }

    /** Throws 401 without the expected identity, 403 when a JWT caller asks for another user. */
    void requireUser(Caller caller, String userId) {
        switch (mode) {
            case IAM -> {
                if (caller.kind() != Caller.Kind.IAM) {
                    throw new ApiException(401, "this route needs IAM (SigV4) authorization");
                }
            }
            case JWT -> {
                if (caller.kind() != Caller.Kind.JWT) {
                    throw new ApiException(401, "this route needs a bearer token (JWT)");
                }
                String subject = caller.claims().get(userClaim);
                if (subject == null || subject.isEmpty()) {
                    throw new ApiException(403, "the token has no '" + userClaim + "' claim naming its user");
                }
                if (!subject.equals(userId)) {
                    throw new ApiException(403, "this token may only act for its own user");
                }
            }
            default -> throw new IllegalStateException(mode.name());
        }
    }
}
