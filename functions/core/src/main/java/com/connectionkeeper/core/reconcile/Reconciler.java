package com.connectionkeeper.core.reconcile;

import com.connectionkeeper.core.ingest.ConnectionStore;
import com.connectionkeeper.core.model.HistoryEntry;
import com.connectionkeeper.core.model.IngestResult;
import com.connectionkeeper.core.model.Source;
import com.connectionkeeper.core.model.Transition;
import com.connectionkeeper.core.reconcile.Observations.Observation;
import com.connectionkeeper.core.snaptrade.BrokerageConnection;
import java.time.Clock;
import java.time.Instant;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * Applies what SnapTrade said of a user's connections (the sweep's list, an import's list, the portal return's
 * detail): each observation under the watermark rules, each kept in the connection's history. Shared by every
 * caller so an observation means the same wherever it comes from.
 */
public final class Reconciler {
    private final ConnectionStore store;
    private final Clock clock;

    public Reconciler(ConnectionStore store, Clock clock) {
        this.store = store;
        this.clock = clock;
    }

    /** Reconciles the user's connections with SnapTrade's list; the transitions made, by kind. */
    public Map<Transition, Integer> reconcile(String userId, List<BrokerageConnection> listed, Instant observedAt,
                                              String observationId, Source source) {
        Map<Transition, Integer> transitions = new EnumMap<>(Transition.class);
        for (Observation o : Observations.observe(store.connections(userId), listed, observedAt, observationId,
                source)) {
            transitions.merge(apply(userId, o, observationId, observedAt), 1, Integer::sum);
        }
        return transitions;
    }

    /** Applies one observation and records it; the transition it made ({@link Transition#NONE} when stale). */
    public Transition apply(String userId, Observation o, String observationId, Instant observedAt) {
        boolean applied = store.applyToConnection(userId, o.connectionId(), o.change()).applied();
        String eventType = o.seen().eventType(o.change().source());
        store.recordHistory(new HistoryEntry(userId, o.connectionId(), observationId, eventType, observedAt,
                clock.instant(), applied ? IngestResult.APPLIED : IngestResult.STALE,
                "{\"seen\":\"" + o.seen() + "\"}", o.change().source()));
        return applied ? o.transition() : Transition.NONE;
    }
}
