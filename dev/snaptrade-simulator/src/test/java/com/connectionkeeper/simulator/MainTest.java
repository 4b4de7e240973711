package com.connectionkeeper.simulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.connectionkeeper.testkit.Integration;
import java.net.URI;
import java.time.Duration;
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
