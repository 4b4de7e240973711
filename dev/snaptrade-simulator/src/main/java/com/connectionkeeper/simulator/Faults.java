package com.connectionkeeper.simulator;

import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/** The faults armed per endpoint; each call of an endpoint consults them in the order they were injected. */
public final class Faults {
    private final Map<Endpoint, List<Armed>> armed = new EnumMap<>(Endpoint.class);

    /** Arms {@code fault} on {@code endpoint}, after any already armed there. */
    public synchronized Faults inject(Endpoint endpoint, Fault fault) {
        armed.computeIfAbsent(endpoint, e -> new ArrayList<>()).add(new Armed(fault));
        return this;
    }

    public synchronized void clear(Endpoint endpoint) {
        armed.remove(endpoint);
    }

    public synchronized void clearAll() {
        armed.clear();
    }

    /** The faults still armed on {@code endpoint} (a spent "next n calls" fault is gone). */
    public synchronized List<Fault> armed(Endpoint endpoint) {
        return armed.getOrDefault(endpoint, List.of()).stream().map(a -> a.fault).toList();
    }

    /**
     * What this call of {@code endpoint} suffers: the summed latency of every latency fault that fires, and the first
     * other fault that fires (or null). Only faults that fire are used up.
     */
    synchronized Outcome fire(Endpoint endpoint) {
        List<Armed> list = armed.getOrDefault(endpoint, List.of());
        Duration latency = Duration.ZERO;
        Fault terminal = null;
        for (Armed a : new ArrayList<>(list)) {
            boolean latencyFault = a.fault.kind() == Fault.Kind.LATENCY;
            if ((latencyFault || terminal == null) && a.fires()) {
                if (latencyFault) {
                    latency = latency.plus(a.fault.delay());
                } else {
                    terminal = a.fault;
                }
                if (a.spent()) {
                    list.remove(a);
                }
            }
        }
        return new Outcome(latency, terminal);
    }

    /** The effect on one call. */
    record Outcome(Duration latency, Fault terminal) {
    }

    /** A fault with its remaining count. */
    private static final class Armed {
        private final Fault fault;
        private int remaining;

        Armed(Fault fault) {
            this.fault = fault;
            this.remaining = fault.times();
        }

        boolean fires() {
            if (remaining > 0) {
                remaining--;
                return true;
            }
            return remaining < 0 && ThreadLocalRandom.current().nextDouble() < fault.fraction();
        }

        boolean spent() {
            return remaining == 0;
        }
    }
}
