package com.connectionkeeper.signature;

/**
 * A body beyond the {@link CanonicalJson.Limits} its canonical form may be computed under: refused before the
 * expensive work. The message names the bound, never the input.
 */
public final class BoundsExceededException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    BoundsExceededException(String message) {
        super(message, null, false, false);
    }
}
