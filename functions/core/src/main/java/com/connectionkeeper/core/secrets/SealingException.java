package com.connectionkeeper.core.secrets;

/**
 * A secret could not be sealed or opened. The message names the user and the reason, never the secret nor key
 * material.
 */
public final class SealingException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** Why. */
    public enum Kind {
        /**
         * The sealed form does not open here: sealed for another user or table, with another key, tampered, or not a
         * sealed secret at all. Retrying will not help.
         */
        REFUSED,
        /** The sealing service could not be reached or refused us for now (KMS throttling, timeouts, 5xx). */
        UNAVAILABLE
    }

    private final Kind kind;

    public SealingException(Kind kind, String message, Throwable cause) {
        super(message, cause);
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }
}
