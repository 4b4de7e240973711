package com.connectionkeeper.testkit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;

import org.junit.jupiter.api.Test;

/** The repository is found from any module, and events/ fixtures read byte for byte. */
class FixturesTest {

    @Test
    void repositoryRootHoldsTheTemplateAndTheDynaliteLauncher() {
        assertTrue(Files.isRegularFile(RepoPaths.template()));
        assertTrue(Files.isRegularFile(RepoPaths.dynalite().resolve("launch.js")));
    }

    @Test
    void everyJsonFixtureReadsAsItsBytesAndText() throws IOException {
        for (String name : Fixtures.jsonNames()) {
            byte[] onDisk = Files.readAllBytes(RepoPaths.events().resolve(name));
            assertTrue(name.endsWith(".json"));
            assertArrayEquals(onDisk, Fixtures.bytes(name));
            assertEquals(new String(onDisk, StandardCharsets.UTF_8), Fixtures.string(name));
        }
    }

    @Test
    void onlyFilesUnderEventsAreFixtures() {
        assertThrows(IllegalArgumentException.class, () -> Fixtures.path("no-such-event.json"));
        assertThrows(IllegalArgumentException.class, () -> Fixtures.path("../template.yaml"));
    }
}
