package com.connectionkeeper.architecture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.Location;
import com.tngtech.archunit.core.importer.Locations;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.EvaluationResult;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Each rule of {@link ArchitectureRules}, run against the deliberately violating classes below
 * {@code com.connectionkeeper.architecture.fixture} (imported from their location in this module's test classes),
 * reports exactly the fixtures that break it: a rule that can no longer fail would fail here.
 */
class ArchitectureRulesFailTest {
    static final String FIXTURE = "com.connectionkeeper.architecture.fixture";

    private static JavaClasses fixtures;

    @BeforeAll
    static void importFixtures() {
        Set<Location> locations = Locations.ofPackage(FIXTURE);
        fixtures = new ClassFileImporter().importLocations(locations);
        assertEquals(17, fixtures.size(), "fixture classes imported");
    }

    @Test
    void domainUsingJacksonAwsLambdaOrSnapTradeSdkFails() {
        String report = violations(ArchitectureRules.domainUsesNoInfrastructureLibrary(FIXTURE));
        for (String offender : List.of("core.model.JacksonInDomain", "core.ingest.AwsSdkInDomain",
                "core.reconcile.LambdaInDomain", "core.sweep.SnapTradeSdkInDomain")) {
            assertTrue(report.contains(FIXTURE + "." + offender), offender + " not reported:\n" + report);
        }
        for (String library : List.of("com.fasterxml.jackson.databind.ObjectMapper",
                "software.amazon.awssdk.services.dynamodb.model.AttributeValue",
                "com.amazonaws.services.lambda.runtime.Context", "com.snaptrade.client.ApiException")) {
            assertTrue(report.contains(library), library + " not reported:\n" + report);
        }
        assertFalse(report.contains("fixture.store."), "an adapter is not the domain:\n" + report);
    }

    @Test
    void domainUsingAnAdapterFailsButItsOwnPortDoesNot() {
        String report = violations(ArchitectureRules.domainUsesNoAdapterOrHandler(FIXTURE));
        assertTrue(report.contains(FIXTURE + ".accounts.StoreInDomain"), report);
        assertTrue(report.contains(FIXTURE + ".core.sweep.AdapterInDomain"), report);
        assertFalse(report.contains("UsesPort"), "core.snaptrade is the domain's port, not the adapter:\n" + report);
    }

    @Test
    void handlerUsingAnotherHandlerFails() {
        String report = violations(ArchitectureRules.handlersAreIndependent(FIXTURE));
        assertTrue(report.contains(FIXTURE + ".webhook.HandlerUsingApi"), report);
        assertFalse(report.contains("HandlerUsingSimulator"), report);
    }

    @Test
    void productionUsingTheSimulatorOrTheTestKitFails() {
        String report = violations(ArchitectureRules.productionUsesNoTestOnlyCode(FIXTURE));
        assertTrue(report.contains(FIXTURE + ".sweep.HandlerUsingSimulator"), report);
        assertTrue(report.contains(FIXTURE + ".store.Adapter"), report);
    }

    @Test
    void packageCycleFails() {
        String report = violations(ArchitectureRules.noPackageCycles(FIXTURE));
        assertTrue(report.contains("cyclea") && report.contains("cycleb"), report);
        assertFalse(report.contains("webhook"), "only the one cycle:\n" + report);
    }

    private static String violations(ArchRule rule) {
        EvaluationResult result = rule.evaluate(fixtures);
        assertTrue(result.hasViolation(), rule.getDescription() + " found no violation in the fixtures");
        return String.join("\n", result.getFailureReport().getDetails());
    }
}
