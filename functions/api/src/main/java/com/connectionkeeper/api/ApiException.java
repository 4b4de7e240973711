package com.connectionkeeper.api;

import java.util.Map;

/**
 * A request the HTTP layer refuses with an error status and a message for the caller (a body or path id that cannot
 * be read, no route, no access); nothing was changed. The services' own refusals are {@link ServiceException}s.
 */
final class ApiException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final int status;
    private final transient Map<String, String> headers;

    ApiException(int status, String message) {
        this(status, message, Map.of());
    }

    ApiException(int status, String message, Map<String, String> headers) {
        super(message);
        this.status = status;
        this.headers = headers;
    }

    int status() {
        return status;
    }

    Map<String, String> headers() {
        return headers;
    }

    static ApiException badRequest(String message) {
        return new ApiException(400, message);
    }

    static ApiException notFound(String message) {
        return new ApiException(404, message);
    }
}
