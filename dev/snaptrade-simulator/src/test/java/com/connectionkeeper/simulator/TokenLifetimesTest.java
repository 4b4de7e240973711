package com.connectionkeeper.simulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.connectionkeeper.testkit.Integration;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Per-brokerage token lifetimes: the text form, the default for other brokerages, and errors naming the bad entry. */
@Integration
class TokenLifetimesTest {
    @Test
    void eachBrokerageGetsItsOwnDistributionAndOthersTheDefault() {
        TokenLifetimes lifetimes = TokenLifetimes.parse("ALPACA=normal(14d,12h);questrade=fixed(7d);*=exponential(30d)");
        assertEquals(LifetimeDistribution.normal(Duration.ofDays(14), Duration.ofHours(12)),
                lifetimes.forBrokerage("alpaca"));
        assertEquals(LifetimeDistribution.fixed(Duration.ofDays(7)), lifetimes.forBrokerage("QUESTRADE"));
        assertEquals(LifetimeDistribution.exponential(Duration.ofDays(30)), lifetimes.forBrokerage("SCHWAB"));
        assertEquals("ALPACA=normal(14d,12h);QUESTRADE=fixed(7d);*=exponential(30d)", lifetimes.toString());
        assertEquals(lifetimes, TokenLifetimes.parse(lifetimes.toString()));
        assertTrue(lifetimes.anyExpire());
    }

    @Test
    void withoutADefaultOtherBrokeragesNeverExpire() {
        TokenLifetimes lifetimes = TokenLifetimes.parse(" QUESTRADE = fixed(7d) ; ");
        assertEquals(LifetimeDistribution.never(), lifetimes.forBrokerage("ALPACA"));
        assertEquals(TokenLifetimes.none(), TokenLifetimes.parse(""));
        assertEquals(TokenLifetimes.none(), TokenLifetimes.parse("*=none"));
        assertFalse(TokenLifetimes.none().anyExpire());
        assertEquals("*=none", TokenLifetimes.none().toString());
        assertEquals(TokenLifetimes.none().with("ALPACA", LifetimeDistribution.fixed(Duration.ofDays(1)))
                .otherwise(LifetimeDistribution.fixed(Duration.ofDays(2))), TokenLifetimes.parse("ALPACA=fixed(1d);*=fixed(2d)"));
    }

    @Test
    void badEntriesAreNamed() {
        assertError("ALPACA=normal(14d,12h);QUESTRADE", "\"QUESTRADE\"", "SLUG=distribution");
        assertError("ALPACA=fixed(7d);QUESTRADE=fixd(7d)", "\"QUESTRADE=fixd(7d)\"", "fixd");
        assertError("ALPACA=fixed(7d);alpaca=fixed(8d)", "\"alpaca=fixed(8d)\"", "ALPACA twice");
        assertError("AL PACA=fixed(7d)", "\"AL PACA=fixed(7d)\"", "AL PACA");
        assertError("=fixed(7d)", "\"=fixed(7d)\"", "brokerage slug");
    }

    private static void assertError(String text, String entry, String reason) {
        Refusals.assertRefused(() -> TokenLifetimes.parse(text), entry, reason);
    }
}
