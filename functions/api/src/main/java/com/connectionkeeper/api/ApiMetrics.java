package com.connectionkeeper.api;

import com.connectionkeeper.core.log.Emf;
import com.connectionkeeper.core.log.MetricNames;
import java.util.List;

/**
 * The API's metrics, declared in its own log lines (Embedded Metric Format; docs/operations.md → "Metrics"): reconnect
 * links by result ({@code issued}, {@code reused}: a live link handed out again, {@code limited}: refused by the per-
 * user limit) and the return landing's outcomes. Links issued against repairs within a day of a link (the lifecycle
 * function's {@code RepairedWithinDayOfLink}) is the links' conversion.
 */
record ApiMetrics(Emf.Declaration links, Emf.Declaration landings) {
    static final String LINKS = MetricNames.RECONNECT_LINKS;
    static final String LANDINGS = MetricNames.RETURN_LANDINGS;

    ApiMetrics(String namespace) {
        this(new Emf.Declaration(namespace, MetricNames.BY_RESULT, List.of(new Emf.Metric(LINKS, "Count"))),
                new Emf.Declaration(namespace, MetricNames.BY_OUTCOME, List.of(new Emf.Metric(LANDINGS, "Count"))));
    }
}
