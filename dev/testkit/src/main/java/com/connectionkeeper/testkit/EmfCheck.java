package com.connectionkeeper.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.StreamSupport;

/**
 * What CloudWatch requires of an Embedded Metric Format log line before it extracts metrics from it: {@code _aws} with
 * a numeric {@code Timestamp} and {@code CloudWatchMetrics}, each with a {@code Namespace}, {@code Dimensions} (sets of
 * at most 30 names) and {@code Metrics} (1 to 100, each with a {@code Name}); every dimension a string member of the
 * line, every metric a number (or an array of numbers) member of the line. A line that breaks a rule is a plain log
 * line to CloudWatch: its metrics are silently lost — hence the check.
 */
public final class EmfCheck {
    private EmfCheck() {
    }

    /** What is wrong with the line as EMF; empty when CloudWatch would take its metrics. */
    public static List<String> problems(JsonNode line) {
        List<String> out = new ArrayList<>();
        JsonNode aws = line.path("_aws");
        if (!aws.path("Timestamp").isNumber()) {
            out.add("_aws.Timestamp is not a number");
        }
        JsonNode directives = aws.path("CloudWatchMetrics");
        if (!directives.isArray() || directives.isEmpty()) {
            out.add("_aws.CloudWatchMetrics is not a non-empty array");
            return out;
        }
        for (JsonNode d : directives) {
            if (!d.path("Namespace").isTextual() || d.path("Namespace").asText().isEmpty()) {
                out.add("a directive without Namespace");
            }
            for (JsonNode set : d.path("Dimensions")) {
                if (set.size() > 30) {
                    out.add("a dimension set of more than 30");
                }
                for (JsonNode name : set) {
                    if (!line.path(name.asText()).isTextual()) {
                        out.add("dimension " + name.asText() + " is not a string member of the line");
                    }
                }
            }
            JsonNode metrics = d.path("Metrics");
            if (!metrics.isArray() || metrics.isEmpty() || metrics.size() > 100) {
                out.add("Metrics is not 1 to 100 metrics");
            }
            for (JsonNode m : metrics) {
                JsonNode value = line.path(m.path("Name").asText());
                boolean numbers = value.isNumber() || value.isArray() && value.size() > 0
                        && StreamSupport.stream(value.spliterator(), false).allMatch(JsonNode::isNumber);
                if (!numbers) {
                    out.add("metric " + m.path("Name").asText() + " is not a number member of the line");
                }
            }
        }
        return out;
    }
}
