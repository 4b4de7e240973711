package com.connectionkeeper.simulator;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * A simulator whose every answer, when closed, is checked against the OpenAPI spec (where shared/ is present) — all
 * but the bodies an injected fault spoiled on purpose (or that came from "something in front of SnapTrade") and the calls that got no answer.
 */
final class SpecCheckedSimulator implements AutoCloseable {
    private static final Set<Fault.Kind> SPOILED = EnumSet.of(Fault.Kind.MALFORMED_JSON, Fault.Kind.WRONG_SHAPE,
            Fault.Kind.FOREIGN_ERROR);

    final SnapTradeSimulator sim;
    private final Optional<OpenApiContract> spec;

    SpecCheckedSimulator(SimulatorConfig config) throws IOException {
        this.spec = OpenApiContract.ifPresent();
        this.sim = SnapTradeSimulator.start(config);
    }

    /** How many answers were checked against the spec (0 without shared/). */
    int checkAll() {
        List<String> errors = new ArrayList<>();
        int checked = 0;
        for (RecordedRequest r : sim.requests().all()) {
            if (spec.isEmpty() || r.endpoint() == null || r.status() == 0 || (r.fault() != null && SPOILED.contains(r.fault()))) {
                continue;
            }
            checked++;
            spec.get().errors(r.endpoint(), r.status(), r.response())
                    .forEach(e -> errors.add(r.method() + " " + r.path() + " " + r.status() + ": " + e));
        }
        assertEquals(List.of(), errors);
        return checked;
    }

    @Override
    public void close() {
        try {
            checkAll();
        } finally {
            sim.close();
        }
    }
}
