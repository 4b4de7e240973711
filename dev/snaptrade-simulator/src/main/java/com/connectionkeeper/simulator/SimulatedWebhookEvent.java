package com.connectionkeeper.simulator;

/** A state change the simulator announces by webhook; connection fields are null for user events. */
record SimulatedWebhookEvent(String eventType, String userId, String connectionId, String brokerageId) {

    static SimulatedWebhookEvent user(String eventType, String userId) {
        return new SimulatedWebhookEvent(eventType, userId, null, null);
    }

    static SimulatedWebhookEvent connection(String eventType, SimulatedConnection connection) {
        return new SimulatedWebhookEvent(eventType, connection.userId(), connection.id(), connection.brokerageId());
    }
}
