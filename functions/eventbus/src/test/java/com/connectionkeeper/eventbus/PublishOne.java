package com.connectionkeeper.eventbus;

import com.connectionkeeper.core.config.EnvironmentConfig;
import java.util.List;

/** Publishes one event with the production wiring, configured by the environment alone (a test runs it). */
public final class PublishOne {
    private PublishOne() {
    }

    public static void main(String[] args) {
        List<String> failed = EventBridgePublisher.fromConfig(EnvironmentConfig.fromSystem())
                .publish(EventBridgePublisherTest.events(1));
        System.exit(failed.isEmpty() ? 0 : 3);
    }
}
