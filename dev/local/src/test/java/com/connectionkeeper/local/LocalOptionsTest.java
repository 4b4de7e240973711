package com.connectionkeeper.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The options of ./keeper local: defaults, each option, and a clear error for each kind of bad one. */
class LocalOptionsTest {

    @Test
    void defaults() {
        LocalOptions o = LocalOptions.parse(new String[0]);
        assertEquals(3000, o.port());
        assertEquals(8787, o.simulatorPort());
        assertEquals(Duration.ofSeconds(30), o.sweepEvery());
        assertEquals(Duration.ofSeconds(60), o.remindersEvery());
        assertFalse(o.demo());
        assertFalse(o.help());
    }

    @Test
    void everyOption() {
        LocalOptions o = LocalOptions.parse(new String[] {"--port", "3100", "--simulator-port", "0", "--sweep-every",
                "5", "--reminders-every", "7", "--demo-and-exit"});
        assertEquals(3100, o.port());
        assertEquals(0, o.simulatorPort());
        assertEquals(Duration.ofSeconds(5), o.sweepEvery());
        assertEquals(Duration.ofSeconds(7), o.remindersEvery());
        assertTrue(o.demo() && o.exitAfterDemo());
        assertTrue(LocalOptions.parse(new String[] {"--help"}).help());
    }

    @Test
    void badOptionsNameThemselves() {
        for (String[] args : new String[][] {{"--port", "0"}, {"--port", "70000"}, {"--port", "x"}, {"--port"},
                {"--sweep-every", "0"}, {"--colour", "red"}, {"--simulator-port", "-1"}}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> LocalOptions.parse(args));
            assertTrue(e.getMessage().contains(args[0]), e.getMessage());
        }
    }
}
