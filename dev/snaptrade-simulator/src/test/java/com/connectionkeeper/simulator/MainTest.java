package com.connectionkeeper.simulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.connectionkeeper.testkit.Integration;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** The standalone command line. */
@Integration
class MainTest {
    @Test
    void defaultsAndEveryOption() {
        SimulatorConfig defaults = Main.parse(new String[] {"--client-id", "C", "--consumer-key", "K"});
        assertEquals(8787, defaults.port());
        assertEquals(250, defaults.rateLimit());
        assertEquals(Duration.ofMinutes(30), defaults.webhookFirstRetry());
        assertEquals(Duration.ZERO, defaults.webhookDelay());
        assertNull(defaults.webhookUrl());

        SimulatorConfig all = Main.parse(new String[] {"--client-id", "C", "--consumer-key", "K", "--port", "0",
                "--webhook-url", "http://127.0.0.1:3000/webhooks/snaptrade", "--webhook-first-retry-ms", "500",
                "--webhook-delay-ms", "1500", "--rate-limit", "10", "--window-seconds", "5", "--portal-ttl-seconds", "60"});
        assertEquals(0, all.port());
        assertEquals(URI.create("http://127.0.0.1:3000/webhooks/snaptrade"), all.webhookUrl());
        assertEquals(Duration.ofMillis(500), all.webhookFirstRetry());
        assertEquals(Duration.ofMillis(1500), all.webhookDelay());
        assertEquals(10, all.rateLimit());
        assertEquals(Duration.ofSeconds(5), all.window());
        assertEquals(Duration.ofSeconds(60), all.portalSessionTtl());
    }

    @Test
    void tokenLifetimesLostWebhooksSeedAndASimulatedClock() {
        SimulatorConfig defaults = Main.parse(new String[] {"--client-id", "C", "--consumer-key", "K"});
        assertEquals(TokenLifetimes.none(), defaults.tokenLifetimes());
        assertEquals(0.0, defaults.lostWebhookShare());
        assertFalse(defaults.clock() instanceof SimulatedClock);

        SimulatorConfig all = Main.parse(new String[] {"--client-id", "C", "--consumer-key", "K", "--seed", "7",
                "--token-lifetimes", "ALPACA=normal(14d,12h);*=exponential(30d)", "--lost-webhook-share", "0.25",
                "--simulated-clock", "2026-01-05T00:00:00Z"});
        assertEquals(7, all.seed());
        assertEquals(TokenLifetimes.parse("ALPACA=normal(14d,12h);*=exponential(30d)"), all.tokenLifetimes());
        assertEquals(0.25, all.lostWebhookShare());
        assertEquals(Instant.parse("2026-01-05T00:00:00Z"), assertInstanceOf(SimulatedClock.class, all.clock()).instant());

        Instant before = Instant.now();
        Instant now = Main.parse(new String[] {"--client-id", "C", "--consumer-key", "K", "--simulated-clock", "now"})
                .clock().instant();
        assertFalse(now.isBefore(before.minusSeconds(1)));
    }

    @Test
    void badLifetimesSharesAndStartsAreRefusedNamingTheValue() {
        assertMessage("QUESTRADE=fixd(7d)", "--token-lifetimes", "QUESTRADE=fixd(7d)");
        assertMessage("1.5", "--lost-webhook-share", "1.5");
        assertMessage("half", "--lost-webhook-share", "half");
        assertMessage("tomorrow", "--simulated-clock", "tomorrow");
        assertMessage("x", "--seed", "x");
    }

    private static void assertMessage(String part, String option, String value) {
        Refusals.assertRefused(() -> Main.parse(new String[] {"--client-id", "C", "--consumer-key", "K", option, value}),
                part);
    }

    @Test
    void missingCredentialsUnknownOptionsAndBadNumbersAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> Main.parse(new String[] {"--client-id", "C"}));
        assertThrows(IllegalArgumentException.class,
                () -> Main.parse(new String[] {"--client-id", "C", "--consumer-key", "K", "--colour", "red"}));
        assertThrows(IllegalArgumentException.class,
                () -> Main.parse(new String[] {"--client-id", "C", "--consumer-key", "K", "--port", "x"}));
        assertThrows(IllegalArgumentException.class,
                () -> Main.parse(new String[] {"--client-id", "C", "--consumer-key", "K", "--rate-limit"}));
    }
}
