package com.connectionkeeper.simulator;

/** A state change the simulator announces by webhook; connection fields are null for user events. */
record WebhookEvent(String eventType, String userId, String connectionId, String brokerageId) {

    static WebhookEvent user(String eventType, String userId) {
        return new WebhookEvent(eventType, userId, null, null);
    }

    static WebhookEvent connection(String eventType, SimulatedConnection connection) {
        return new WebhookEvent(eventType, connection.userId(), connection.id(), connection.brokerageId());
    }
}
