package com.connectionkeeper.core.log;

import com.connectionkeeper.core.json.JsonText;
import java.util.List;
import java.util.Objects;

/**
 * CloudWatch Embedded Metric Format: a log line that also declares metrics. CloudWatch Logs turns the line's members
 * named in the {@code _aws} metadata into metric values (numbers) and dimensions (strings) — no client, no extra
 * call, no extra line: the function's own JSON log line carries them ({@link JsonLog#metrics}). Written by hand with
 * {@link JsonText}, as every log line is.
 */
public final class Emf {
    /** The environment variable naming the namespace (the template sets one per stack). */
    public static final String NAMESPACE_VARIABLE = "METRICS_NAMESPACE";
    public static final String DEFAULT_NAMESPACE = "ConnectionKeeper";

    private Emf() {
    }

    /** A metric of a line: the member that holds its value, and its CloudWatch unit ({@code Count}, ...). */
    public record Metric(String name, String unit) {
        public Metric {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(unit, "unit");
        }
    }

    /**
     * What a line declares: its namespace, its dimension sets (each a list of the line's string members; CloudWatch
     * allows 30 per set) and its metrics (at most 100). Build it once, use it for every line.
     */
    public record Declaration(String namespace, List<List<String>> dimensions, List<Metric> metrics) {
        public Declaration {
            Objects.requireNonNull(namespace, "namespace");
            dimensions = List.copyOf(dimensions.stream().map(List::copyOf).toList());
            metrics = List.copyOf(metrics);
            if (metrics.isEmpty() || metrics.size() > 100 || dimensions.stream().anyMatch(d -> d.size() > 30)) {
                throw new IllegalArgumentException("1 to 100 metrics, at most 30 dimensions per set");
            }
        }

        /** Appends the {@code "_aws"} member, without a leading comma. */
        void appendTo(StringBuilder out, long timestampMillis) {
            out.append("\"_aws\":{\"Timestamp\":");
            JsonText.number(out, timestampMillis);
            out.append(",\"CloudWatchMetrics\":[{\"Namespace\":");
            JsonText.string(out, namespace);
            out.append(",\"Dimensions\":[");
            for (int i = 0; i < dimensions.size(); i++) {
                out.append(i == 0 ? "[" : ",[");
                List<String> set = dimensions.get(i);
                for (int j = 0; j < set.size(); j++) {
                    if (j > 0) {
                        out.append(',');
                    }
                    JsonText.string(out, set.get(j));
                }
                out.append(']');
            }
            out.append("],\"Metrics\":[");
            for (int i = 0; i < metrics.size(); i++) {
                out.append(i == 0 ? "{\"Name\":" : ",{\"Name\":");
                JsonText.string(out, metrics.get(i).name());
                out.append(",\"Unit\":");
                JsonText.string(out, metrics.get(i).unit());
                out.append('}');
            }
            out.append("]}]}");
        }
    }
}
