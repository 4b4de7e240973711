package com.connectionkeeper.testkit;

import java.net.URI;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/** JUnit 5 extension and static access to the test JVM's one shared dynalite, started on first use. */
public final class Dynalite implements BeforeAllCallback, ParameterResolver {

    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(Dynalite.class);

    // Stopped when the JUnit Jupiter run ends (root context closed) or else when the JVM exits. The static accessors
    // work without the extension too, e.g. from jqwik properties, which Jupiter extensions never see.
    private static DynaliteServer shared;

    /** The shared in-memory server, started now if it is not yet running. */
    public static synchronized DynaliteServer server() {
        if (shared == null) {
            shared = DynaliteServer.startInMemory();
        }
        return shared;
    }

    /** The shared server's client. */
    public static DynamoDbClient client() {
        return server().client();
    }

    /** The shared server's endpoint, for code under test that builds its own client. */
    public static URI endpoint() {
        return server().endpoint();
    }

    /** Creates a fresh, empty table with the schema of template.yaml's table on the shared server; returns its name. */
    public static String createTable() {
        return server().createTable();
    }

    /** Scans (when {@link SecretScan} is enabled) and stops the shared server, if it runs. */
    static synchronized void stopShared() {
        if (shared != null) {
            SecretScan.scanIfEnabled(shared.client());
            shared.close();
            shared = null;
        }
    }

    /** Registers, once per JUnit run, the shared server's stop at the end of the run (the root context's close). */
    @Override
    public void beforeAll(ExtensionContext context) {
        context.getRoot().getStore(NAMESPACE).getOrComputeIfAbsent(SharedServerLifetime.class,
                key -> new SharedServerLifetime(), SharedServerLifetime.class);
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == DynamoDbClient.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        return client();
    }

    /** Closed by JUnit with the root context: stops the shared server. */
    private static final class SharedServerLifetime implements AutoCloseable {

        @Override
        public void close() {
            stopShared();
        }
    }
}
