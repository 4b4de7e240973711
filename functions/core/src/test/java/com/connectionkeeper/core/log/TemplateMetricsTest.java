package com.connectionkeeper.core.log;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.connectionkeeper.testkit.CloudFormationTemplate;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The alarms and the dashboard of template.yaml watch metrics the functions declare: in the stack's namespace, each
 * metric one of {@link MetricNames} with exactly the dimensions of one of its declared dimension sets (CloudWatch
 * matches a metric by name and all its dimensions: a missing or extra one watches nothing, silently), and Lambda's own
 * metrics by a function of the template. Each check fails on a broken copy.
 */
class TemplateMetricsTest {
    static final String NAMESPACE = "ConnectionKeeper/${AWS::StackName}";
    private static final ObjectMapper JSON = new ObjectMapper();
    /** A SEARCH expression's schema and metric name: {namespace,dim,...} MetricName="X". */
    private static final Pattern SEARCH = Pattern.compile(
            "\\{((?:\\$\\{[^}]*}|[^}])*)}\\s*MetricName=\"([^\"]+)\"");

    private static ObjectNode template() {
        return (ObjectNode) CloudFormationTemplate.load().tree().deepCopy();
    }

    /** Every problem with the metrics the template's alarms and dashboard name, one line each. */
    static List<String> problems(JsonNode template) {
        List<String> out = new ArrayList<>();
        JsonNode resources = template.path("Resources");
        for (Iterator<Map.Entry<String, JsonNode>> it = resources.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> r = it.next();
            JsonNode p = r.getValue().path("Properties");
            switch (r.getValue().path("Type").asText()) {
                case "AWS::CloudWatch::Alarm" -> {
                    if (p.has("MetricName")) {
                        alarmMetric(r.getKey(), namespace(p.path("Namespace")), p.path("MetricName").asText(),
                                names(p.path("Dimensions")), p.path("Dimensions"), resources, out);
                    }
                    for (JsonNode m : p.path("Metrics")) {
                        JsonNode metric = m.path("MetricStat").path("Metric");
                        if (!metric.isMissingNode()) {
                            alarmMetric(r.getKey() + "/" + m.path("Id").asText(),
                                    namespace(metric.path("Namespace")), metric.path("MetricName").asText(),
                                    names(metric.path("Dimensions")), metric.path("Dimensions"), resources, out);
                        }
                    }
                }
                case "AWS::CloudWatch::Dashboard" -> dashboard(r.getKey(), p.path("DashboardBody"), resources, out);
                default -> { }
            }
        }
        return out;
    }

    private static String namespace(JsonNode value) {
        return value.isTextual() ? value.asText() : value.path("Fn::Sub").asText();
    }

    private static List<String> names(JsonNode dimensions) {
        List<String> names = new ArrayList<>();
        dimensions.forEach(d -> names.add(d.path("Name").asText()));
        return names;
    }

    private static void alarmMetric(String where, String namespace, String metric, List<String> dimensions,
                                    JsonNode values, JsonNode resources, List<String> out) {
        if (namespace.equals("AWS/Lambda")) {
            for (JsonNode d : values) {
                String function = d.path("Value").path("Ref").asText();
                if (!d.path("Name").asText().equals("FunctionName")
                        || !"AWS::Serverless::Function".equals(resources.path(function).path("Type").asText())) {
                    out.add(where + ": AWS/Lambda " + metric + " not by FunctionName of a function of the template");
                }
            }
            return;
        }
        if (namespace.startsWith("AWS/")) {
            return; // another service's own metric (SQS)
        }
        ours(where, namespace, metric, dimensions, out);
    }

    private static void ours(String where, String namespace, String metric, List<String> dimensions,
                             List<String> out) {
        if (!namespace.equals(NAMESPACE)) {
            out.add(where + ": namespace " + namespace + " is not the functions' (" + NAMESPACE + ")");
            return;
        }
        List<List<String>> declared = MetricNames.DIMENSIONS.get(metric);
        if (declared == null) {
            out.add(where + ": no function declares a metric " + metric);
            return;
        }
        boolean matches = declared.stream().anyMatch(set -> new TreeSet<>(set).equals(new TreeSet<>(dimensions))
                && set.size() == dimensions.size());
        if (!matches) {
            out.add(where + ": " + metric + " is not declared with the dimensions " + dimensions + " (declared: "
                    + declared + ")");
        }
    }

    /** The dashboard body's metrics, with its ${...} left as written (the namespace stays comparable). */
    private static void dashboard(String id, JsonNode body, JsonNode resources, List<String> out) {
        String text = body.path("Fn::Sub").asText(body.asText());
        JsonNode parsed;
        try {
            parsed = JSON.readTree(text);
        } catch (IOException e) {
            out.add(id + ": the body is not JSON: " + e.getMessage());
            return;
        }
        for (JsonNode widget : parsed.path("widgets")) {
            String title = id + " \"" + widget.path("properties").path("title").asText() + "\"";
            for (JsonNode row : widget.path("properties").path("metrics")) {
                List<String> plain = new ArrayList<>();
                for (JsonNode cell : row) {
                    if (cell.isTextual()) {
                        plain.add(cell.asText());
                    } else if (cell.has("expression")) {
                        String expression = cell.path("expression").asText();
                        Matcher m = SEARCH.matcher(expression);
                        if (expression.contains("SEARCH(") && !SEARCH.matcher(expression).find()) {
                            out.add(title + ": a SEARCH this check cannot read: " + expression);
                        }
                        while (m.find()) {
                            String[] schema = m.group(1).split(",");
                            List<String> dims = new ArrayList<>(List.of(schema).subList(1, schema.length));
                            ours(title, schema[0], m.group(2), dims.stream().map(String::trim).toList(), out);
                        }
                    }
                }
                if (plain.size() >= 2) {
                    List<String> dims = new ArrayList<>();
                    for (int i = 2; i + 1 < plain.size(); i += 2) {
                        dims.add(plain.get(i));
                    }
                    if (plain.get(0).equals("AWS/Lambda")) {
                        String value = plain.size() > 3 ? plain.get(3) : "";
                        String function = value.startsWith("${") ? value.substring(2, value.length() - 1) : "";
                        if (!"AWS::Serverless::Function".equals(resources.path(function).path("Type").asText())) {
                            out.add(title + ": AWS/Lambda " + plain.get(1) + " not by a function of the template");
                        }
                    } else {
                        ours(title, plain.get(0), plain.get(1), dims, out);
                    }
                }
            }
        }
    }

    @Test
    void theAlarmsAndTheDashboardWatchMetricsTheFunctionsDeclare() {
        assertEquals(List.of(), problems(template()));
    }

    @Test
    void theTemplateHasAlarmsAndADashboardOnTheIssuesMetrics() {
        String yaml = template().toString();
        for (String metric : List.of(MetricNames.WEBHOOKS, MetricNames.BROKEN_CONNECTIONS, MetricNames.TIME_TO_REPAIR,
                MetricNames.REPAIRED_WITHIN_DAY_OF_LINK, MetricNames.RECONNECT_LINKS,
                MetricNames.SWEEP_PASS_AGE_MINUTES, MetricNames.SWEEP_PASS_EXPECTED_MINUTES,
                MetricNames.SNAPTRADE_RATE_LIMITED, MetricNames.SNAPTRADE_CLIENT_REJECTED,
                MetricNames.BROKEN_CONNECTIONS_PERCENT, MetricNames.CONNECTIONS)) {
            assertTrue(yaml.contains("\"" + metric + "\"") || yaml.contains("\\\"" + metric + "\\\""),
                    metric + " is watched");
        }
    }

    @Test
    void aRenamedMetricAMissingDimensionOrAnotherNamespaceFails() {
        ObjectNode broken = template();
        ObjectNode resources = (ObjectNode) broken.path("Resources");
        ((ObjectNode) resources.path("BrokenShareAlarm").path("Properties")).put("MetricName", "BrokenPercent");
        ((ObjectNode) resources.path("WebhookUnauthorizedAlarm").path("Properties").path("Dimensions").get(0))
                .put("Name", "status");
        ((ObjectNode) resources.path("SnapTradeClientRejectedAlarm").path("Properties")).put("Namespace",
                "ConnectionKeeper");
        ((ObjectNode) resources.path("WebhookFunctionErrorsAlarm").path("Properties").path("Dimensions").get(0))
                .set("Value", JSON.createObjectNode().put("Ref", "WebhookFunctionRole"));
        assertEquals(List.of(
                "WebhookFunctionErrorsAlarm: AWS/Lambda Errors not by FunctionName of a function of the template",
                "WebhookUnauthorizedAlarm: Webhooks is not declared with the dimensions [status] (declared: [[], "
                        + "[result], [result, eventType]])",
                "SnapTradeClientRejectedAlarm: namespace ConnectionKeeper is not the functions' (" + NAMESPACE + ")",
                "BrokenShareAlarm: no function declares a metric BrokenPercent"), problems(broken));
    }

    @Test
    void aDashboardWidgetOnAnUndeclaredMetricOrDimensionFails() {
        ObjectNode broken = template();
        ObjectNode properties = (ObjectNode) broken.path("Resources").path("Dashboard").path("Properties");
        ObjectNode body = (ObjectNode) properties.path("DashboardBody");
        String text = body.path("Fn::Sub").asText()
                .replace("MetricName=\\\"BrokenConnections\\\"", "MetricName=\\\"Broken\\\"")
                .replace("MetricName=\"BrokenConnections\"", "MetricName=\"Broken\"")
                .replace("\"TimeToRepair\", \"transition\", \"fixed\"", "\"TimeToRepair\", \"brokerage\", \"fixed\"");
        body.set("Fn::Sub", TextNode.valueOf(text));
        List<String> problems = problems(broken);
        assertTrue(problems.stream().anyMatch(p -> p.endsWith(": no function declares a metric Broken")), problems
                .toString());
        assertEquals(3, problems.stream().filter(p -> p.contains("TimeToRepair is not declared with the dimensions "
                + "[brokerage]")).count(), problems.toString());
    }
}
