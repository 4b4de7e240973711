package com.connectionkeeper.api.token;

import com.connectionkeeper.accounts.ReturnState;
import java.util.Objects;

/**
 * The outcome of checking a {@code state} token ({@link ReturnStateCodec#verify}): the state it carries, or why it
 * was refused. A refused token gets no redirect.
 */
public sealed interface StateCheck permits StateCheck.Valid, StateCheck.Invalid {

    /** Why a token was refused. */
    enum Reason {
        /** Not a token of ours: null, empty, too long, bad characters, wrong version or shape, unreadable payload. */
        MALFORMED,
        /** Well-formed, but the signature is not ours over this content (forged, tampered, or another key). */
        BAD_SIGNATURE,
        /** Authentic, but its expiry has passed (a token expires at {@code expiresAt} itself). */
        EXPIRED
    }

    /** An authentic, unexpired token and the state it carries. */
    record Valid(ReturnState state) implements StateCheck {
        public Valid {
            Objects.requireNonNull(state, "state");
        }
    }

    /** A refused token. */
    record Invalid(Reason reason) implements StateCheck {
        public Invalid {
            Objects.requireNonNull(reason, "reason");
        }
    }

    /** True for {@link Valid}. */
    default boolean isValid() {
        return this instanceof Valid;
    }
}
