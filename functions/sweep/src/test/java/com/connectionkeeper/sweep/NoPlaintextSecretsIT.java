package com.connectionkeeper.sweep;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.connectionkeeper.testkit.Integration;
import com.connectionkeeper.testkit.SecretScan;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
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
        SecretScan.Report report = SecretScan.readAll(Path.of("target", "secret-scan"));
        assertTrue(report.reports() >= 1, "no scan report: run the suite first (mvn verify runs surefire before this)");
        assertTrue(report.items() >= 100, "the scan saw the suite's items: " + report.items());
        assertTrue(report.sealed().size() >= 10, "the suite stored sealed secrets: " + report.sealed().size());
        assertEquals(List.of(), report.plaintext(), "items holding a plaintext secret (table pk sk attribute)");
    }
}
