package com.connectionkeeper.sweep;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.connectionkeeper.testkit.Integration;
import com.connectionkeeper.testkit.RepoPaths;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.Test;

/** The deployment artifact template.yaml points at: Lambda's zip layout, with the gateway and no test code. */
@Integration
class ArtifactIT {
    private static final Path ZIP = RepoPaths.root().resolve("functions/sweep/target/sweep.zip");

    @Test
    void theZipIsWhereTheTemplateSaysAndHasLambdasLayout() throws IOException {
        String template = Files.readString(RepoPaths.template());
        assertTrue(template.contains("CodeUri: functions/sweep/target/sweep.zip"));
        assertTrue(template.contains("Handler: com.connectionkeeper.sweep.SweepHandler::handleRequest"));
        try (ZipFile zip = new ZipFile(ZIP.toFile())) {
            assertTrue(zip.getEntry("com/connectionkeeper/sweep/SweepHandler.class") != null, "handler at root");
            for (String jar : List.of("ck-core", "ck-snaptrade", "snaptrade-java-sdk", "url-connection-client",
                    "aws-lambda-java-events")) {
                assertTrue(zip.stream().anyMatch(e -> e.getName().matches("lib/" + jar + "-.*\\.jar")), jar);
            }
        }
    }

    @Test
    void theZipCarriesNoTestCode() throws IOException {
        try (ZipFile zip = new ZipFile(ZIP.toFile())) {
            List<String> forbidden = zip.stream().map(ZipEntry::getName)
                    .map(n -> n.toLowerCase(Locale.ROOT))
                    .filter(n -> n.contains("testkit") || n.contains("junit") || n.contains("simulator")
                            || n.contains("aws-lambda-java-tests"))
                    .toList();
            assertEquals(List.of(), forbidden);
        }
    }
}
