package com.connectionkeeper.eventbus;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.connectionkeeper.testkit.Integration;
import com.connectionkeeper.testkit.LoopbackEventBridge;
import com.connectionkeeper.testkit.OwnJvm;
import java.util.List;
import java.util.Map;
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
            assertEquals(0, OwnJvm.run(PublishOne.class, Map.of(variable, bus.endpoint().toString(),
                    "AWS_REGION", "eu-west-1", "AWS_ACCESS_KEY_ID", "local", "AWS_SECRET_ACCESS_KEY", "local",
                    "EVENT_BUS_NAME", "ck-local-bus")));
            assertEquals(List.of("ck-local-bus"), bus.accepted().stream().map(LoopbackEventBridge.Entry::busName)
                    .toList());
        }
    }
}
