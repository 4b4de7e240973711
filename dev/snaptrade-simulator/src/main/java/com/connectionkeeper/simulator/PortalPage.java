package com.connectionkeeper.simulator;

/** The Connection Portal's minimal HTML. */
final class PortalPage {
    private PortalPage() {
    }

    static String form(PortalSession s) {
        boolean reconnect = s.reconnect() != null;
        String title = reconnect ? "Reconnect connection " + escape(s.reconnect()) : "Connect a brokerage";
        String fields = reconnect
                ? option("SUCCESS", "Log in to the same account (fixes the connection)", true)
                        + option("DIFFERENT_ACCOUNT", "Log in to a different account", false)
                : "<p><label>Brokerage <input name=\"brokerage\" value=\""
                        + escape(s.broker() == null ? PortalSessions.DEFAULT_BROKER : s.broker()) + "\"></label></p>"
                        + "<p><label>Account <input name=\"account\" placeholder=\"a new login\"></label></p>"
                        + option("SUCCESS", "Connect", true);
        return page(title, "<form method=\"post\">"
                + "<p>User " + escape(s.userId()) + ", access: " + escape(s.connectionType()) + "</p>"
                + fields
                + option("ERROR", "Fail with an error", false)
                + "<p><label>status_code <input name=\"status_code\" value=\"500\"></label> "
                + "<label>error_code <input name=\"error_code\" value=\"1000\"></label></p>"
                + option("ABANDONED", "Close the portal", false)
                + "<p><button type=\"submit\">Continue</button></p></form>");
    }

    static String message(String text) {
        return page("SnapTrade simulator", "<p>" + escape(text) + "</p>");
    }

    private static String option(String value, String label, boolean checked) {
        return "<p><label><input type=\"radio\" name=\"outcome\" value=\"" + value + "\"" + (checked ? " checked" : "")
                + "> " + escape(label) + "</label></p>";
    }

    private static String page(String title, String body) {
        return "<!doctype html><html><head><meta charset=\"utf-8\"><title>" + title + "</title></head><body><h1>"
                + title + "</h1>" + body + "</body></html>";
    }

    private static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
