package com.connectionkeeper.architecture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.connectionkeeper.testkit.RepoPaths;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every test class that needs dynalite, the simulator, a child JVM, a container or a built zip carries
 * {@code @Integration}, so {@code mvn -B test -Pfast} runs the fast tier only; and the scan that says so reports an
 * untagged one (broken copies of real test sources and small made-up ones).
 */
class TestTiersTest {
    private static final Path WEBHOOK_TESTS = Path.of("functions/webhook/src/test/java");
    private static final String WEBHOOK_PACKAGE = "com/connectionkeeper/webhook/";

    @Test
    void everyIntegrationTestClassIsTagged() {
        TestTiers.Scan scan = TestTiers.scan(RepoPaths.root());
        assertEquals(List.of(), scan.untagged(), "test classes of the integration tier without @Integration");
        // the scan saw the repository's tests: an empty or mislocated scan cannot pass
        assertTrue(scan.testClasses() >= 70, scan.testClasses() + " test classes scanned");
        assertTrue(scan.integrationTestClasses() >= 40, scan.integrationTestClasses() + " integration test classes");
        assertTrue(scan.testClasses() - scan.integrationTestClasses() >= 25, "fast test classes");
        assertTier(scan, "functions/webhook/src/test/java/" + WEBHOOK_PACKAGE + "WebhookHandlerTest.java", true);
        assertTier(scan, "functions/webhook/src/test/java/" + WEBHOOK_PACKAGE + "WebhookEventParserTest.java", false);
        assertTier(scan, "functions/signature/src/test/java/com/connectionkeeper/signature/CanonicalJsonTest.java",
                false);
    }

    @Test
    void anUntaggedCopyIsReported(@TempDir Path repository) throws IOException {
        copyTree(RepoPaths.root().resolve(WEBHOOK_TESTS), repository.resolve(WEBHOOK_TESTS));
        assertEquals(List.of(), TestTiers.scan(repository).untagged(), "the copy as it is");

        Path tests = repository.resolve(WEBHOOK_TESTS).resolve(WEBHOOK_PACKAGE);
        untag(tests.resolve("DynamoFailureTest.java")); // names Dynalite itself
        untag(tests.resolve("WebhookHandlerTest.java")); // only through the helper LocalWebhook
        untag(tests.resolve("KeyLimitsPropertiesTest.java")); // a jqwik property class
        untag(tests.resolve("ArtifactIT.java")); // reads the built zip
        Path made = repository.resolve("dev/made/src/test/java/com/connectionkeeper/made");
        write(made.resolve("ChildJvmTest.java"), """
                package com.connectionkeeper.made;

                import org.junit.jupiter.api.Test;

                class ChildJvmTest {
                    @Test
                    void starts() throws Exception {
                        new ProcessBuilder("java", "-version").start().waitFor();
                    }
                }
                """);
        write(made.resolve("SimulatorUserTest.java"), """
                package com.connectionkeeper.made;

                import com.connectionkeeper.simulator.SnapTradeSimulator;
                import org.junit.jupiter.api.Test;

                class SimulatorUserTest {
                    @Test
                    void runs() {
                        SnapTradeSimulator.class.getName();
                    }
                }
                """);
        write(made.resolve("MentionsOnlyInCommentsTest.java"), """
                package com.connectionkeeper.made;

                import org.junit.jupiter.api.Test;

                /** Not on Dynalite, not the SnapTradeSimulator, no ProcessBuilder: a fast test. */
                class MentionsOnlyInCommentsTest {
                    @Test
                    void fast() {
                        String words = "Dynalite SnapTradeSimulator"; // words only
                    }
                }
                """);
        write(made.resolve("TaggedByHandTest.java"), """
                package com.connectionkeeper.made;

                import com.connectionkeeper.testkit.Dynalite;
                import net.jqwik.api.Property;
                import net.jqwik.api.Tag;

                @Tag("integration")
                class TaggedByHandTest {
                    @Property
                    boolean onDynalite() {
                        return Dynalite.class != null;
                    }
                }
                """);

        assertEquals(List.of(
                "dev/made/src/test/java/com/connectionkeeper/made/ChildJvmTest.java",
                "dev/made/src/test/java/com/connectionkeeper/made/SimulatorUserTest.java",
                WEBHOOK_TESTS + "/" + WEBHOOK_PACKAGE + "ArtifactIT.java",
                WEBHOOK_TESTS + "/" + WEBHOOK_PACKAGE + "DynamoFailureTest.java",
                WEBHOOK_TESTS + "/" + WEBHOOK_PACKAGE + "KeyLimitsPropertiesTest.java",
                WEBHOOK_TESTS + "/" + WEBHOOK_PACKAGE + "WebhookHandlerTest.java"),
                TestTiers.scan(repository).untagged());
    }

    private static void assertTier(TestTiers.Scan scan, String file, boolean integration) {
        Path path = RepoPaths.root().resolve(file);
        assertTrue(Files.isRegularFile(path), file);
        assertEquals(integration, scan.integration().contains(path), file);
    }

    private static void untag(Path file) throws IOException {
        String text = Files.readString(file);
        String untagged = text.replace("import com.connectionkeeper.testkit.Integration;\n", "")
                .replace("@Integration\n", "");
        assertFalse(untagged.equals(text), file + " had no @Integration to remove");
        Files.writeString(file, untagged);
    }

    private static void write(Path file, String text) throws IOException {
        Files.createDirectories(file.getParent());
        Files.writeString(file, text);
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> files = Files.walk(from)) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                Path target = to.resolve(from.relativize(file).toString());
                Files.createDirectories(target.getParent());
                Files.copy(file, target);
            }
        }
    }
}
