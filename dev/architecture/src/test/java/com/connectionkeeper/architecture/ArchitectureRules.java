package com.connectionkeeper.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.CompositeArchRule;
import java.util.List;

/**
 * The project's architecture as ArchUnit rules, over the packages below a root: {@code com.connectionkeeper} for the
 * production classes, {@code com.connectionkeeper.architecture.fixture} for the deliberately violating fixtures that
 * prove each rule can fail (same rule, other root).
 */
final class ArchitectureRules {
    /** The pure domain, below the root: no AWS, no SnapTrade SDK, no Jackson, no adapter, no handler. */
    static final List<String> DOMAIN = List.of(
            "core.model", "core.ingest", "core.reconcile", "core.sweep", "core.secrets", "core.snaptrade", "accounts");

    /** Libraries the domain never sees: the AWS SDKs and Lambda libraries, SnapTrade's SDK, Jackson. */
    static final String[] INFRASTRUCTURE_LIBRARIES = {
        "software.amazon..", "com.amazonaws..", "com.konfigthis..", "com.snaptrade..", "com.fasterxml.."
    };

    /**
     * The adapters and handlers, below the root. {@code snaptrade..} is the SDK adapter; the domain's port
     * {@code core.snaptrade} is not below it.
     */
    static final List<String> ADAPTERS_AND_HANDLERS = List.of("store", "webhook", "sweep", "api", "snaptrade");

    /** The Lambda handlers, below the root. */
    static final List<String> HANDLERS = List.of("webhook", "sweep", "api");

    /** Test-only code, below the root: the SnapTrade simulator and the test kit. */
    static final List<String> TEST_ONLY = List.of("simulator", "testkit");

    private ArchitectureRules() {}

    /** (a) The domain imports no AWS, SnapTrade SDK or Jackson type. */
    static ArchRule domainUsesNoInfrastructureLibrary(String root) {
        return noClasses().that().resideInAnyPackage(below(root, DOMAIN))
                .should().dependOnClassesThat().resideInAnyPackage(INFRASTRUCTURE_LIBRARIES)
                .as("the domain (" + String.join(", ", DOMAIN) + ") imports no AWS, SnapTrade SDK or Jackson type");
    }

    /** (b) The domain imports no adapter or handler. */
    static ArchRule domainUsesNoAdapterOrHandler(String root) {
        return noClasses().that().resideInAnyPackage(below(root, DOMAIN))
                .should().dependOnClassesThat().resideInAnyPackage(below(root, ADAPTERS_AND_HANDLERS))
                .as("the domain imports no adapter or handler (" + String.join(", ", ADAPTERS_AND_HANDLERS) + ")");
    }

    /** (c) No handler imports another handler. */
    static ArchRule handlersAreIndependent(String root) {
        CompositeArchRule rule = null;
        for (String handler : HANDLERS) {
            String[] others = HANDLERS.stream().filter(other -> !other.equals(handler))
                    .map(other -> root + "." + other + "..").toArray(String[]::new);
            ArchRule one = noClasses().that().resideInAPackage(root + "." + handler + "..")
                    .should().dependOnClassesThat().resideInAnyPackage(others);
            rule = rule == null ? CompositeArchRule.of(one) : rule.and(one);
        }
        return rule.as("no handler (" + String.join(", ", HANDLERS) + ") imports another");
    }

    /** (d) Nothing but test-only code imports the simulator or the test kit. */
    static ArchRule productionUsesNoTestOnlyCode(String root) {
        return noClasses().that().resideOutsideOfPackages(below(root, TEST_ONLY))
                .should().dependOnClassesThat().resideInAnyPackage(below(root, TEST_ONLY))
                .as("no production class imports the simulator or the test kit");
    }

    /** (e) No cycle among the top-level packages below the root. */
    static ArchRule noPackageCycles(String root) {
        return slices().matching(root + ".(*)..").should().beFreeOfCycles()
                .as("no package cycle among " + root + ".(*)..");
    }

    /** Every rule above, (a) to (e). */
    static List<ArchRule> all(String root) {
        return List.of(domainUsesNoInfrastructureLibrary(root), domainUsesNoAdapterOrHandler(root),
                handlersAreIndependent(root), productionUsesNoTestOnlyCode(root), noPackageCycles(root));
    }

    static String[] below(String root, List<String> packages) {
        return packages.stream().map(name -> root + "." + name + "..").toArray(String[]::new);
    }
}
