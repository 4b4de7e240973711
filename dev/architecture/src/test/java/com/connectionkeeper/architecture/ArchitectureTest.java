package com.connectionkeeper.architecture;

import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.connectionkeeper.testkit.RepoPaths;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.core.importer.Location;
import com.tngtech.archunit.lang.ArchRule;
import java.io.File;
import java.net.URI;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The architecture rules hold for the production classes of every module (test classes not imported). */
class ArchitectureTest {
    static final String ROOT = "com.connectionkeeper";

    private static JavaClasses production;

    /**
     * The reactor's own classpath entries (each module's target/classes, or its jar once packaged, all below the
     * repository root), less test classes: scanning the whole classpath for the package would open every library jar.
     */
    @BeforeAll
    static void importProductionClasses() {
        Path repository = RepoPaths.root().toAbsolutePath().normalize();
        Set<Location> modules = Stream.of(System.getProperty("java.class.path").split(File.pathSeparator))
                .map(entry -> Path.of(entry).toAbsolutePath().normalize())
                .filter(entry -> entry.startsWith(repository))
                .map(entry -> entry.toString().endsWith(".jar")
                        ? Location.of(URI.create("jar:" + entry.toUri() + "!/"))
                        : Location.of(entry))
                .collect(Collectors.toSet());
        production = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importLocations(modules)
                .that(resideInAPackage(ROOT + ".."));
    }

    /** At least this many production classes in each package (nested ones count), so an empty import cannot pass. */
    static Map<String, Integer> minimumClasses() {
        Map<String, Integer> minimum = new LinkedHashMap<>();
        minimum.put("core.model", 10);
        minimum.put("core.ingest", 2);
        minimum.put("core.reconcile", 1);
        minimum.put("core.sweep", 2);
        minimum.put("core.secrets", 1);
        minimum.put("core.snaptrade", 4);
        minimum.put("core.config", 1);
        minimum.put("core.log", 1);
        minimum.put("accounts", 3);
        minimum.put("signature", 6);
        minimum.put("store", 3);
        minimum.put("snaptrade", 6);
        minimum.put("webhook", 2);
        minimum.put("sweep", 2);
        minimum.put("api", 8);
        minimum.put("simulator", 15);
        minimum.put("testkit", 4);
        return minimum;
    }

    @Test
    void everyModuleIsImportedAndNoTestClass() {
        minimumClasses().forEach((name, minimum) -> {
            int count = production.that(resideInAPackage(ROOT + "." + name + "..")).size();
            assertTrue(count >= minimum, ROOT + "." + name + ": " + count + " production classes imported, expected at"
                    + " least " + minimum);
        });
        assertFalse(production.contain(ArchitectureTest.class), "test classes were imported");
        assertTrue(production.that(resideInAPackage(ROOT + ".architecture..")).isEmpty(),
                "the architecture module's own (test) classes were imported");
    }

    /** The rules (a) to (e) of {@link ArchitectureRules}, over the production classes. */
    static Stream<Named<ArchRule>> rules() {
        return ArchitectureRules.all(ROOT).stream().map(rule -> Named.of(rule.getDescription(), rule));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rules")
    void holds(ArchRule rule) {
        rule.check(production);
    }
}
