package com.connectionkeeper.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Every environment variable a function's code reads is set by the template for that function, or documented in the
 * README's "Configuration" table as not required (a default, or optional): what a function reads comes from its own
 * {@code settings_read} log line at the end of its init (core {@code EnvironmentVariables}), so nothing is listed by
 * hand. {@link #problems} names what is wrong, one line each.
 */
public final class SettingsCheck {
    private static final Pattern NAME = Pattern.compile("`([A-Z][A-Z0-9_]+)`");

    private SettingsCheck() {
    }

    /**
     * @param reads  the names {@code function} read: true when set in its environment, false when unset
     * @param readme the README's text
     */
    public static List<String> problems(JsonNode template, String function, Map<String, Boolean> reads,
                                        String readme) {
        Map<String, String> documented = documented(readme);
        List<String> set = setBy(template, function);
        List<String> out = new ArrayList<>();
        reads.forEach((name, present) -> {
            String required = documented.get(name);
            boolean optional = required != null && !required.startsWith("yes");
            if (!set.contains(name) && !optional) {
                out.add(function + ": " + name + " is read, but the template does not set it and the README's "
                        + "Configuration table " + (required == null ? "does not list it" : "says it is required"));
            }
        });
        return out;
    }

    /** The names the template sets for the function unconditionally: Globals' and its own variables. */
    static List<String> setBy(JsonNode template, String function) {
        List<String> names = new ArrayList<>();
        for (JsonNode variables : List.of(template.at("/Globals/Function/Environment/Variables"),
                template.path("Resources").path(function).at("/Properties/Environment/Variables"))) {
            variables.fields().forEachRemaining(e -> {
                JsonNode branches = e.getValue().path("Fn::If");
                boolean conditional = branches.isArray() && (branches.path(1).path("Ref").asText().equals(
                        "AWS::NoValue") || branches.path(2).path("Ref").asText().equals("AWS::NoValue"));
                if (!conditional) {
                    names.add(e.getKey());
                }
            });
        }
        return names;
    }

    /** The README's Configuration table: each variable named in a row's first cell, to that row's "required" cell. */
    static Map<String, String> documented(String readme) {
        int start = readme.indexOf("\n## Configuration");
        if (start < 0) {
            throw new IllegalArgumentException("the README has no \"## Configuration\" section");
        }
        int end = readme.indexOf("\n## ", start + 1);
        Map<String, String> out = new HashMap<>();
        for (String line : readme.substring(start, end < 0 ? readme.length() : end).split("\n")) {
            String[] cells = line.split("\\|");
            if (line.startsWith("| `") && cells.length > 2) {
                Matcher m = NAME.matcher(cells[1]);
                while (m.find()) {
                    out.put(m.group(1), cells[2].trim());
                }
            }
        }
        return out;
    }
}
