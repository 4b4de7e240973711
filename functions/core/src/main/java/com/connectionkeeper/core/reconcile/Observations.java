package com.connectionkeeper.core.reconcile;

import com.connectionkeeper.core.model.ConnectionChange.Origin;
import com.connectionkeeper.core.model.ConnectionChange;
import com.connectionkeeper.core.model.ConnectionState;
import com.connectionkeeper.core.model.ConnectionStatus;
import com.connectionkeeper.core.model.Observed;
import com.connectionkeeper.core.model.Source;
import com.connectionkeeper.core.model.Transition;
import com.connectionkeeper.core.model.Watermark;
import com.connectionkeeper.core.snaptrade.BrokerageConnection;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The sweep's rules: what SnapTrade's list of a user's connections, seen at one instant, does to what we store.
 * Every connection on either side becomes one observation, applied under the same watermark rules as webhooks, so
 * an observation never overrides a newer webhook and wins over an older one.
 */
public final class Observations {
    /** A sweep observation loses an exact tie with a webhook: SnapTrade's own event is the better witness. */
    static final int OBSERVATION_PRECEDENCE = 0;

    private Observations() {
    }

    /** What one sweep saw of one connection. */
    public enum Seen {
        /** Listed with {@code disabled == true}. */
        BROKEN,
        /** Listed and enabled. */
        ACTIVE,
        /** Known to us (not deleted) but not listed by SnapTrade. */
        ABSENT;

        /** The event type recorded on the connection and in history, for a sweep's observation. */
        public String eventType() {
            return eventType(Source.SWEEP);
        }

        /** The event type for an observation from {@code source}: SWEEP_, PORTAL_ or IMPORT_OBSERVED_... */
        public String eventType(Source source) {
            String prefix = switch (source) {
                case SWEEP -> "SWEEP";
                case PORTAL -> "PORTAL";
                case API -> "IMPORT";
                case WEBHOOK -> throw new IllegalArgumentException("a webhook is not an observation");
            };
            return prefix + "_OBSERVED_" + name();
        }
    }

    /** One observation: the connection, its status before (null: unknown to us), what was seen, the change. */
    public record Observation(String connectionId, ConnectionStatus before, Seen seen, ConnectionChange change) {

        /** The transition this observation makes when applied. */
        public Transition transition() {
            return Transition.of(before, change.status());
        }
    }

    /**
     * The observations of one user's sweep (or import: {@code source}).
     *
     * @param stored        our connections of the user (any status)
     * @param listed        SnapTrade's answer to listBrokerageAuthorizations
     * @param observedAt    when the list was requested: anything SnapTrade learned later is newer than the observation
     * @param observationId unique per sweep run (or request), the observation's tie-breaker and history id
     */
    public static List<Observation> observe(List<ConnectionState> stored, List<BrokerageConnection> listed,
                                            Instant observedAt, String observationId, Source source) {
        Map<String, ConnectionState> ours = new LinkedHashMap<>();
        stored.forEach(c -> ours.put(c.connectionId(), c));
        Watermark w = Watermark.of(observedAt, OBSERVATION_PRECEDENCE, observationId);
        List<Observation> out = new ArrayList<>();
        for (BrokerageConnection c : listed) {
            ConnectionState known = ours.remove(c.id());
            out.add(seen(known == null ? null : known.status(), c, w, observedAt, source));
        }
        for (ConnectionState gone : ours.values()) {
            if (gone.status() != ConnectionStatus.DELETED) {
                out.add(new Observation(gone.connectionId(), gone.status(), Seen.ABSENT, ConnectionChange.deleted(
                        new Origin(w, observedAt, Seen.ABSENT.eventType(source), source), null)));
            }
        }
        return out;
    }

    /** The sweep's observations ({@link Source#SWEEP}). */
    public static List<Observation> observe(List<ConnectionState> stored, List<BrokerageConnection> listed,
                                            Instant observedAt, String observationId) {
        return observe(stored, listed, observedAt, observationId, Source.SWEEP);
    }

    /**
     * One connection as SnapTrade's detail answer shows it (e.g. when the user returns from the portal).
     *
     * @param before our status of it (null: unknown to us)
     */
    public static Observation observeOne(ConnectionStatus before, BrokerageConnection detail, Instant observedAt,
                                         String observationId, Source source) {
        return seen(before, detail, Watermark.of(observedAt, OBSERVATION_PRECEDENCE, observationId), observedAt,
                source);
    }

    private static Observation seen(ConnectionStatus before, BrokerageConnection c, Watermark w, Instant observedAt,
                                    Source source) {
        Observed observed = new Observed(c.brokerageSlug(), c.brokerageName(), c.type(), observedAt);
        if (c.disabled()) {
            Instant since = c.disabledDate() != null ? c.disabledDate() : observedAt;
            return new Observation(c.id(), before, Seen.BROKEN, ConnectionChange.observedBroken(
                    new Origin(w, observedAt, Seen.BROKEN.eventType(source), source), c.brokerageId(), since,
                    observed));
        }
        boolean repaired = before == ConnectionStatus.BROKEN;
        return new Observation(c.id(), before, Seen.ACTIVE, ConnectionChange.observedActive(
                new Origin(w, observedAt, Seen.ACTIVE.eventType(source), source), c.brokerageId(), repaired,
                observed));
    }
}
