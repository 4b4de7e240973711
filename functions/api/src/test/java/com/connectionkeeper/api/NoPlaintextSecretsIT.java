package com.connectionkeeper.api;

import com.connectionkeeper.testkit.Integration;
import com.connectionkeeper.testkit.SecretScan;
import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * Runs after this module's whole suite (failsafe): the report its dynalite wrote when the suite ended
 * ({@link SecretScan}) shows that no attribute of any item of any table holds a user secret the simulator issued —
 * every secret the suite stored went in sealed.
 */
@Integration
class NoPlaintextSecretsIT {
    @Test
    void noTableOfTheSuiteHoldsAPlaintextSecret() throws IOException {
        SecretScan.assertSuiteLeftNoPlaintext(Path.of("target", "secret-scan"));
    }
}
