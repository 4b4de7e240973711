package com.connectionkeeper.simulator;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import java.io.IOException;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The Connection Portal: GET {@code /portal/{sessionId}} shows a form, POST completes it and redirects to the
 * session's customRedirect with SnapTrade's {@code status=…} query (or shows the result when there is none).
 */
final class PortalHandler implements HttpHandler {
    private final PortalSessions sessions;

    PortalHandler(PortalSessions sessions) {
        this.sessions = sessions;
    }

    @Override
    public void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String form = Exchanges.body(exchange);
            String id = exchange.getRequestURI().getPath().substring("/portal/".length());
            Optional<PortalSession> session = sessions.usable(id);
            if (session.isEmpty()) {
                Exchanges.send(exchange, 410, Exchanges.HTML,
                        PortalPage.message("This Connection Portal link has expired or was already used."));
                return;
            }
            switch (exchange.getRequestMethod()) {
                case "GET" -> Exchanges.send(exchange, 200, Exchanges.HTML, PortalPage.form(session.get()));
                case "POST" -> complete(exchange, session.get(), QueryString.parse(form));
                default -> Exchanges.send(exchange, 405, Exchanges.HTML, PortalPage.message("Use GET or POST."));
            }
        }
    }

    private void complete(HttpExchange exchange, PortalSession session, Map<String, String> form) throws IOException {
        PortalSessions.Outcome outcome;
        try {
            outcome = PortalSessions.Outcome.valueOf(form.getOrDefault("outcome", "").toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            Exchanges.send(exchange, 400, Exchanges.HTML,
                    PortalPage.message("outcome must be SUCCESS, DIFFERENT_ACCOUNT, ERROR or ABANDONED."));
            return;
        }
        String result;
        try {
            result = sessions.complete(session, new PortalSessions.Choice(outcome, form.get("brokerage"),
                    form.get("account"), form.get("status_code"), form.get("error_code")));
        } catch (IllegalStateException e) {
            Exchanges.send(exchange, 410, Exchanges.HTML, PortalPage.message(e.getMessage()));
            return;
        }
        String redirect = session.customRedirect();
        if (redirect == null || redirect.isBlank()) {
            Exchanges.send(exchange, 200, Exchanges.HTML, PortalPage.message("Done: " + result));
        } else {
            Exchanges.redirect(exchange, redirect + (redirect.contains("?") ? "&" : "?") + result);
        }
    }
}
