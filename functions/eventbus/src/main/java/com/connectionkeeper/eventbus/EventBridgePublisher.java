package com.connectionkeeper.eventbus;

import com.connectionkeeper.aws.AwsClientDefaults;
import com.connectionkeeper.core.config.Config;
import com.connectionkeeper.core.lifecycle.EventPublisher;
import com.connectionkeeper.core.lifecycle.LifecycleEvent;
import com.connectionkeeper.core.log.JsonLog;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;
import software.amazon.awssdk.services.eventbridge.model.PutEventsRequest;
import software.amazon.awssdk.services.eventbridge.model.PutEventsRequestEntry;
import software.amazon.awssdk.services.eventbridge.model.PutEventsResponse;
import software.amazon.awssdk.services.eventbridge.model.PutEventsResultEntry;

/**
 * The EventBridge adapter of {@link EventPublisher}: {@code PutEvents} with at most 10 entries per call, in order,
 * at most one event per subject in a call, so one failing entry cannot be overtaken by a later event of its
 * connection. Entries EventBridge fails with a retryable code (InternalFailure, ThrottlingException), and calls that
 * fail whole, are sent again, up to {@code attempts} rounds with doubling pauses; an event that still fails holds
 * back the later events of its subject; both are returned (and the failure logged by id and error code), never
 * thrown.
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
        Set<String> blocked = new HashSet<>(); // subjects with an event that failed for good
        List<String> failed = new ArrayList<>();
        while (!pending.isEmpty()) {
            // the next call: events in order, at most one per subject (a later one of a subject in this call waits
            // for the next), none of a blocked subject (held back: reported with the failed one)
            List<LifecycleEvent> chunk = new ArrayList<>(MAX_ENTRIES_PER_CALL);
            Set<String> subjects = new HashSet<>();
            Iterator<LifecycleEvent> it = pending.iterator();
            while (it.hasNext() && chunk.size() < MAX_ENTRIES_PER_CALL) {
                LifecycleEvent e = it.next();
                if (blocked.contains(e.subject())) {
                    failed.add(e.id());
                    it.remove();
                } else if (subjects.add(e.subject())) {
                    chunk.add(e);
                    it.remove();
                }
            }
            for (LifecycleEvent lost : sendInRounds(chunk)) {
                failed.add(lost.id());
                blocked.add(lost.subject());
            }
        }
        return List.copyOf(failed);
    }

    /**
     * One call's events, sent again while some fail with a retryable code, up to {@code attempts} rounds with
     * doubling pauses; answers those that failed for good.
     */
    private List<LifecycleEvent> sendInRounds(List<LifecycleEvent> chunk) {
        List<LifecycleEvent> pending = chunk;
        List<LifecycleEvent> lost = new ArrayList<>();
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
            send(pending, again, lost, round);
            pending = again;
        }
        lost.addAll(pending);
        return lost;
    }

    /** One PutEvents call: retryable failures go to {@code again}, the others to {@code lost}. */
    private void send(List<LifecycleEvent> chunk, List<LifecycleEvent> again, List<LifecycleEvent> lost, int round) {
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
                lost.add(e);
            }
        }
    }
}
