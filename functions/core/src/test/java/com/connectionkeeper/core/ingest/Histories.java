package com.connectionkeeper.core.ingest;

import com.connectionkeeper.core.model.EventType;
import com.connectionkeeper.core.model.WebhookEvent;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;

/**
 * Random webhook histories for property tests: a few users and connections, few distinct times (so ties happen),
 * every event type, then delivered with duplicates, reorders and replays.
 */
public final class Histories {
    public static final Instant T0 = Instant.parse("2024-03-01T10:00:00.000001Z");
    private static final List<EventType> TYPES = List.of(EventType.values());

    private Histories() {
    }

    private static final AtomicInteger FRESH = new AtomicInteger();

    /** Like {@link #deliveries(String)}, with user ids no earlier try used: each try starts on an empty table slice. */
    public static Arbitrary<List<WebhookEvent>> deliveriesForFreshUsers(String tag) {
        return deliveries("").map(list -> {
            String prefix = tag + FRESH.incrementAndGet() + "-";
            return list.stream().map(e -> new WebhookEvent(e.webhookId(), prefix + e.userId(), e.type(),
                    e.wireType(), e.eventTime(), e.connectionId(), e.brokerageId(), e.attemptResult(),
                    e.recordedJson())).toList();
        });
    }

    /** A delivery sequence: each event of a random history, some several times, in a random order. */
    public static Arbitrary<List<WebhookEvent>> deliveries(String userPrefix) {
        return events(userPrefix).list().ofMinSize(1).ofMaxSize(14).flatMap(history -> {
            List<WebhookEvent> unique = new ArrayList<>();
            for (int i = 0; i < history.size(); i++) {
                unique.add(withWebhookId(history.get(i), "wh-" + i));
            }
            Arbitrary<List<WebhookEvent>> replays = Arbitraries.of(unique).list().ofMaxSize(8);
            return replays.flatMap(extra -> {
                List<WebhookEvent> all = new ArrayList<>(unique);
                all.addAll(extra);
                return Arbitraries.shuffle(all);
            });
        });
    }

    private static Arbitrary<WebhookEvent> events(String userPrefix) {
        Arbitrary<String> user = Arbitraries.of(userPrefix + "alice", userPrefix + "bob");
        Arbitrary<EventType> type = Arbitraries.of(TYPES);
        Arbitrary<Integer> second = Arbitraries.integers().between(0, 5);
        Arbitrary<String> connection = Arbitraries.of("conn-1", "conn-2", "conn#3%");
        Arbitrary<String> brokerage = Arbitraries.of("b-1", "b-2").injectNull(0.5);
        Arbitrary<String> attempt = Arbitraries.of("SUCCESS", "FAILED_LOGIN").injectNull(0.3);
        Arbitrary<Boolean> missingConnection = Arbitraries.of(true, false, false, false, false, false, false);
        return Combinators.combine(user, type, second, connection, brokerage, attempt, missingConnection)
                .as((u, t, s, c, b, a, noConnection) -> {
                    String connectionId = switch (t.effect()) {
                        case USER_REGISTRATION, USER_DELETION, USER_ATTEMPT -> null;
                        default -> noConnection ? null : c;
                    };
                    String wire = t == EventType.UNKNOWN ? "SOMETHING_NEW" : t.name();
                    return new WebhookEvent("tbd", u, t, wire, T0.plusSeconds(s), connectionId, b,
                            t.effect() == EventType.Effect.USER_ATTEMPT ? a : null, "{}");
                });
    }

    private static WebhookEvent withWebhookId(WebhookEvent e, String webhookId) {
        return new WebhookEvent(webhookId, e.userId(), e.type(), e.wireType(), e.eventTime(), e.connectionId(),
                e.brokerageId(), e.attemptResult(), "{\"webhookId\":\"" + webhookId + "\"}");
    }
}
