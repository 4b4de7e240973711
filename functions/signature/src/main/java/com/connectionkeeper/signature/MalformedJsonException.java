package com.connectionkeeper.signature;

/** Text that Python's {@code json.loads} would reject; the message never quotes the input. */
public final class MalformedJsonException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    MalformedJsonException(String message) {
        super(message, null, false, false);
    }
}
