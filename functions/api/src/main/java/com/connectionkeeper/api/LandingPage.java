package com.connectionkeeper.api;

import com.connectionkeeper.accounts.ReturnUrls;
import com.connectionkeeper.api.ReconnectService.Landing;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The return landing's HTTP side: reads the portal's query, and answers the browser with a small HTML page — a
 * refusal (400, no redirect) or the outcome when the app gave no URL — or the redirect to the app's return URL with
 * the signed outcome.
 */
final class LandingPage {
    private LandingPage() {
    }

    /**
     * Our landing URL already carries {@code ?state=…}; SnapTrade is documented to append its own parameters, and
     * should it append them with a second {@code ?} they arrive inside {@code state}
     * ({@code state=TOKEN?status=SUCCESS}): split them off rather than refuse every return. A token never holds '?'.
     * Empty when those parameters are not decodable (a stray '%', invalid UTF-8): anonymous input, refused with 400.
     */
    static Optional<Map<String, String>> portalQuery(Map<String, String> received) {
        Map<String, String> original = received == null ? Map.of() : received;
        String state = original.get("state");
        int q = state == null ? -1 : state.indexOf('?');
        if (q < 0) {
            return Optional.of(original);
        }
        Map<String, String> query = new LinkedHashMap<>(original);
        query.put("state", state.substring(0, q));
        for (String pair : state.substring(q + 1).split("&")) {
            int eq = pair.indexOf('=');
            Optional<String> name = PercentDecoding.queryComponent(eq < 0 ? pair : pair.substring(0, eq));
            Optional<String> value = eq < 0 ? Optional.of("") : PercentDecoding.queryComponent(pair.substring(eq + 1));
            if (name.isEmpty() || value.isEmpty()) {
                return Optional.empty();
            }
            if (!name.get().isEmpty()) {
                query.putIfAbsent(name.get(), value.get());
            }
        }
        return Optional.of(query);
    }

    /** What the landing established, for the browser. */
    static ApiResponse of(Landing landing) {
        if (landing instanceof Landing.Refused refused) {
            return refused(switch (refused.why()) {
                case INVALID_STATE, EXPIRED -> "This reconnect link is not valid or has expired.";
                case RETURN_URL_NOT_ALLOWED -> "This reconnect link's return address is no longer allowed.";
                case UNKNOWN_LINK -> "This reconnect link is not known here.";
            });
        }
        if (landing instanceof Landing.Shown shown) {
            return outcome(shown.outcome().status(), shown.outcome().reason());
        }
        Landing.ToApp app = (Landing.ToApp) landing;
        Map<String, String> params = new LinkedHashMap<>();
        params.put("status", app.outcome().status());
        params.put("connectionId", app.connectionId());
        if (app.outcome().reason() != null) {
            params.put("reason", app.outcome().reason());
        }
        params.put("userId", app.userId());
        params.put("link", app.linkId());
        params.put("at", Long.toString(app.at()));
        params.put("signature", app.signature());
        return ApiResponse.redirect(ReturnUrls.withOutcome(app.returnUrl(), params));
    }

    static ApiResponse refused(String message) {
        return ApiResponse.html(400, page("Reconnect link refused", message));
    }

    static ApiResponse outcome(String status, String reason) {
        String message = switch (status) {
            case "SUCCESS" -> "NOT_VERIFIED".equals(reason)
                    ? "The connection portal reports success; the connection will be confirmed shortly."
                    : "Your brokerage connection is repaired. You can close this page.";
            case "ABANDONED" -> "The connection was not repaired: the portal was closed before finishing.";
            default -> "The connection was not repaired" + (reason == null ? "." : " (" + reason + ").");
        };
        return ApiResponse.html(200, page("Reconnect: " + status, message));
    }

    private static String page(String title, String message) {
        return "<!doctype html><html><head><meta charset=\"utf-8\"><title>" + escape(title)
                + "</title></head><body><h1>" + escape(title) + "</h1><p>" + escape(message) + "</p></body></html>";
    }

    static String escape(String text) {
        StringBuilder out = new StringBuilder(text.length());
        for (char c : text.toCharArray()) {
            switch (c) {
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '&' -> out.append("&amp;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#39;");
                default -> out.append(c);
            }
        }
        return out.toString();
    }
}
