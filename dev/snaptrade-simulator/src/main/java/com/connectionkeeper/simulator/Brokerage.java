package com.connectionkeeper.simulator;

import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

/**
 * A brokerage the simulator knows, by slug; any slug works, a few well-known ones get their real names. The id is a
 * stable name-based uuid, so it is the same in every run.
 */
record Brokerage(String id, String slug, String name) {
    private static final Map<String, String> KNOWN = Map.of(
            "ALPACA", "Alpaca",
            "QUESTRADE", "Questrade",
            "ROBINHOOD", "Robinhood",
            "SCHWAB", "Charles Schwab",
            "FIDELITY", "Fidelity",
            "ETRADE", "E*Trade",
            "WEALTHSIMPLETRADE", "Wealthsimple",
            "INTERACTIVE-BROKERS-FLEX", "Interactive Brokers");

    static Brokerage of(String slug) {
        String upper = slug.toUpperCase(Locale.ROOT);
        String id = UUID.nameUUIDFromBytes(("brokerage:" + upper).getBytes(StandardCharsets.UTF_8)).toString();
        return new Brokerage(id, upper, KNOWN.getOrDefault(upper, upper));
    }
}
