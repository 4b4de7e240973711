package com.connectionkeeper.webhook;

/** A webhook body that is authentic JSON but cannot be applied; the message is safe to return to the sender. */
public final class InvalidWebhookException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public InvalidWebhookException(String message) {
        super(message, null, false, false);
    }
}
