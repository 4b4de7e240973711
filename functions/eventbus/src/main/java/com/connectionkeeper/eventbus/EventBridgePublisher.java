package com.connectionkeeper.eventbus;

import com.connectionkeeper.aws.AwsClientDefaults;
import com.connectionkeeper.core.config.Config;
import com.connectionkeeper.core.lifecycle.EventPublisher;
import com.connectionkeeper.core.lifecycle.LifecycleEvent;
import com.connectionkeeper.core.log.JsonLog;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;
import software.amazon.awssdk.services.eventbridge.model.PutEventsRequest;
import software.amazon.awssdk.services.eventbridge.model.PutEventsRequestEntry;
import software.amazon.awssdk.services.eventbridge.model.PutEventsResponse;
import software.amazon.awssdk.services.eventbridge.model.PutEventsResultEntry;

/**
 * The EventBridge adapter of {@link EventPublisher}: {@code PutEvents} with at most 10 entries per call, in order.
 * Entries EventBridge fails with a retryable code (InternalFailure, ThrottlingException), and calls that fail whole,
 * are sent again, up to {@code attempts} rounds with doubling pauses; what still fails is returned (and logged by id
 * and error code), never thrown.
 */
public final class EventBridgePublisher implements EventPublisher {
    /** EventBridge's limit of entries per PutEvents call. */
    public static final int MAX_ENTRIES_PER_CALL = 10;
    private static final Set<String> RETRYABLE = Set.of("InternalFailure", "ThrottlingException");

    /** Pauses between rounds; tests pass one that does not sleep. */
    @FunctionalInterface
    public interface Pause {
        void pause(Duration d) throws InterruptedException;
    }

    private final EventBridgeClient client;
    private final String busName;
    private final int attempts;
    private final Duration firstPause;
    private final Pause pause;

    public EventBridgePublisher(EventBridgeClient client, String busName, int attempts, Duration firstPause,
                                Pause pause) {
        if (attempts < 1) {
            throw new IllegalArgumentException("attempts must be at least 1");
        }
        this.client = client;
        this.busName = busName;
        this.attempts = attempts;
        this.firstPause = firstPause;
        this.pause = pause;
    }

    /** Production wiring: the bus from {@code EVENT_BUS_NAME}, 3 rounds, 100 ms then 200 ms between them. */
    public static EventBridgePublisher fromConfig(Config config) {
        return new EventBridgePublisher(client(config), config.eventBusName(), 3, Duration.ofMillis(100),
                d -> Thread.sleep(d.toMillis()));
    }

    /**
     * The client, with every function's AWS client defaults ({@link AwsClientDefaults}). No endpoint is set here:
     * the SDK itself honours {@code AWS_ENDPOINT_URL_EVENTBRIDGE} and {@code AWS_ENDPOINT_URL},
     * which is how tests and the local stack point it at a local endpoint.
     */
    public static EventBridgeClient client(Config config) {
        return AwsClientDefaults.apply(EventBridgeClient.builder(), config).build();
    }

    @Override
    public List<String> publish(List<? extends LifecycleEvent> events) {
        List<LifecycleEvent> pending = new ArrayList<>(events);
        Set<String> failed = new LinkedHashSet<>();
        Duration wait = firstPause;
        for (int round = 1; round <= attempts && !pending.isEmpty(); round++) {
            if (round > 1) {
                try {
                    pause.pause(wait);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
                wait = wait.multipliedBy(2);
            }
            List<LifecycleEvent> again = new ArrayList<>();
            for (int from = 0; from < pending.size(); from += MAX_ENTRIES_PER_CALL) {
                int to = Math.min(pending.size(), from + MAX_ENTRIES_PER_CALL);
                send(pending.subList(from, to), again, failed, round);
            }
            pending = again;
        }
        for (LifecycleEvent e : pending) {
            failed.add(e.id());
        }
        return List.copyOf(failed);
    }

    /** One PutEvents call: retryable failures go to {@code again}, the others to {@code failed}. */
    private void send(List<LifecycleEvent> chunk, List<LifecycleEvent> again, Set<String> failed, int round) {
        List<PutEventsRequestEntry> entries = new ArrayList<>(chunk.size());
        for (LifecycleEvent e : chunk) {
            entries.add(PutEventsRequestEntry.builder()
                    .eventBusName(busName)
                    .source(EventDetails.SOURCE)
                    .detailType(e.kind().detailType())
                    .detail(EventDetails.detail(e))
                    .time(e.time())
                    .build());
        }
        PutEventsResponse response;
        try {
            response = client.putEvents(PutEventsRequest.builder().entries(entries).build());
        } catch (SdkException ex) {
            JsonLog.warn("event_publish_call_failed", "round", round, "entries", chunk.size(),
                    "error", ex.getClass().getSimpleName());
            again.addAll(chunk);
            return;
        }
        List<PutEventsResultEntry> results = response.entries();
        for (int i = 0; i < chunk.size(); i++) {
            LifecycleEvent e = chunk.get(i);
            String code = i < results.size() ? results.get(i).errorCode() : "MissingResult";
            if (code == null) {
                continue;
            }
            boolean retry = RETRYABLE.contains(code);
            JsonLog.warn("event_publish_entry_failed", "round", round, "eventId", e.id(),
                    "detailType", e.kind().detailType(), "userId", e.userId(), "errorCode", code, "retry", retry);
            if (retry) {
                again.add(e);
            } else {
                failed.add(e.id());
            }
        }
    }
}
