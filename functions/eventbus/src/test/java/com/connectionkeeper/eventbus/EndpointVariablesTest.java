package com.connectionkeeper.eventbus;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.connectionkeeper.testkit.Integration;
import com.connectionkeeper.testkit.LoopbackEventBridge;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The production client sets no endpoint: the SDK's standard variables point it elsewhere. Proven in a JVM of its
 * own, whose environment holds nothing but the variable under test, the region, the bus name and dummy keys.
 */
@Integration
class EndpointVariablesTest {
    @ParameterizedTest
    @ValueSource(strings = {"AWS_ENDPOINT_URL_EVENTBRIDGE", "AWS_ENDPOINT_URL"})
    void theSdksEndpointVariablesReachTheLocalBus(String variable) throws Exception {
        try (LoopbackEventBridge bus = new LoopbackEventBridge()) {
            ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-cp", System.getProperty("java.class.path"), PublishOne.class.getName());
            Map<String, String> env = pb.environment();
            env.keySet().removeIf(k -> k.startsWith("AWS_"));
            env.put(variable, bus.endpoint().toString());
            env.put("AWS_REGION", "eu-west-1");
            env.put("AWS_ACCESS_KEY_ID", "local");
            env.put("AWS_SECRET_ACCESS_KEY", "local");
            env.put("EVENT_BUS_NAME", "ck-local-bus");
            Process p = pb.inheritIO().start();
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new AssertionError("publisher JVM did not finish");
            }
            assertEquals(0, p.exitValue());
            assertEquals(List.of("ck-local-bus"), bus.accepted().stream().map(LoopbackEventBridge.Entry::busName)
                    .toList());
        }
    }
}
