package com.connectionkeeper.api;

/** The small HTML pages of the return landing: a refusal (400, no redirect) or the outcome when the app gave no URL. */
final class LandingPage {
    private LandingPage() {
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
