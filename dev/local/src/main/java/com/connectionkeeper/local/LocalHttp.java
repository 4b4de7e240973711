package com.connectionkeeper.local;

import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.OutputStream;
import java.util.Map;
import java.util.concurrent.ThreadFactory;

/** What the local stack's small HTTP servers share: daemon threads by name, and a response with its body. */
final class LocalHttp {
    private LocalHttp() {
    }

    /** Daemon threads named {@code name}: nothing of the stack keeps the JVM up after Ctrl-C. */
    static ThreadFactory daemons(String name) {
        return r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        };
    }

    /** Sends {@code status} with {@code headers} and {@code body} (none when empty). */
    static void reply(HttpExchange exchange, int status, Map<String, String> headers, byte[] body) throws IOException {
        headers.forEach((k, v) -> exchange.getResponseHeaders().add(k, v));
        exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        if (body.length > 0) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        }
    }
}
