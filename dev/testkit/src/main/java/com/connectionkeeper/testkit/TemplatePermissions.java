package com.connectionkeeper.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What template.yaml lets each function do: every Allow of its role's inline policies and of the role policies
 * attached to it, as {@code "action resource"} grants, the resource named by the template's logical id (e.g.
 * {@code dynamodb:Query ConnectionsTable/index/ByRetry}, {@code kms:Decrypt KeeperKey}). Statements it cannot read so
 * ({@code *} resources but for the actions AWS accepts on {@code *} only, wildcard actions, Deny, resources it does not
 * recognise) are {@link #problems}.
 */
public final class TemplatePermissions {
    private static final Pattern SUB_OF_ARN = Pattern.compile("^\\$\\{(\\w+)\\.Arn}(/.*)?$");
    /** Actions without resource-level permissions: AWS accepts them on "*" only. */
    public static final Set<String> ONLY_ON_STAR = Set.of("dynamodb:ListStreams");

    private final Map<String, Set<String>> grants = new TreeMap<>();
    private final Map<String, List<JsonNode>> kmsConditions = new TreeMap<>();
    private final List<String> problems = new ArrayList<>();

    private TemplatePermissions(JsonNode template) {
        JsonNode resources = template.path("Resources");
        for (Iterator<Map.Entry<String, JsonNode>> it = resources.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> r = it.next();
            if (!"AWS::Serverless::Function".equals(r.getValue().path("Type").asText())) {
                continue;
            }
            String function = r.getKey();
            JsonNode properties = r.getValue().path("Properties");
            grants.put(function, new TreeSet<>());
            if (properties.has("Policies")) {
                problems.add(function + ": SAM Policies (grant more than the code calls; use its role)");
            }
            JsonNode role = properties.path("Role").path("Fn::GetAtt");
            if (!role.isArray() || role.size() != 2 || !"Arn".equals(role.get(1).asText())
                    || !resources.has(role.get(0).asText())) {
                problems.add(function + ": no role of its own (Role: !GetAtt <Role>.Arn)");
                continue;
            }
            String roleId = role.get(0).asText();
            JsonNode roleProperties = resources.path(roleId).path("Properties");
            if (roleProperties.has("ManagedPolicyArns")) {
                problems.add(roleId + ": managed policies (their grants are not in the template)");
            }
            for (JsonNode policy : roleProperties.path("Policies")) {
                read(function, roleId, policy.path("PolicyDocument"));
            }
            for (Iterator<Map.Entry<String, JsonNode>> all = resources.fields(); all.hasNext(); ) {
                Map.Entry<String, JsonNode> p = all.next();
                if ("AWS::IAM::RolePolicy".equals(p.getValue().path("Type").asText())
                        && roleId.equals(p.getValue().path("Properties").path("RoleName").path("Ref").asText())) {
                    read(function, p.getKey(), p.getValue().path("Properties").path("PolicyDocument"));
                }
            }
        }
    }

    /** The permissions of the template's functions. */
    public static TemplatePermissions of(JsonNode template) {
        return new TemplatePermissions(template);
    }

    /** Each function's grants, {@code "action resource"}, sorted. */
    public Map<String, Set<String>> grants() {
        return grants;
    }

    /** The Condition of each statement with a KMS action, per function. */
    public Map<String, List<JsonNode>> kmsConditions() {
        return kmsConditions;
    }

    /** What cannot be read as a grant on a named resource. */
    public List<String> problems() {
        return problems;
    }

    private void read(String function, String where, JsonNode document) {
        for (JsonNode statement : document.path("Statement")) {
            if (!"Allow".equals(statement.path("Effect").asText())) {
                problems.add(where + ": a statement that is not an Allow");
                continue;
            }
            List<String> actions = list(statement.path("Action"));
            List<JsonNode> resources = new ArrayList<>();
            if (statement.path("Resource").isArray()) {
                statement.path("Resource").forEach(resources::add);
            } else {
                resources.add(statement.path("Resource"));
            }
            if (actions.stream().anyMatch(a -> a.startsWith("kms:"))) {
                kmsConditions.computeIfAbsent(function, f -> new ArrayList<>()).add(statement.path("Condition"));
            }
            for (String action : actions) {
                if (action.contains("*")) {
                    problems.add(where + ": wildcard action " + action);
                }
                for (JsonNode resource : resources) {
                    String name = resourceName(resource);
                    if (name.equals("*") && !ONLY_ON_STAR.contains(action)) {
                        problems.add(where + ": " + action + " on *");
                    } else if (name.startsWith("?")) {
                        problems.add(where + ": " + action + " on a resource not named by the template: " + resource);
                    }
                    grants.get(function).add(action + " " + name);
                }
            }
        }
    }

    /** The resource as the template's logical id, with any path ({@code Table/index/Name}); "*"; or "?" + text. */
    static String resourceName(JsonNode resource) {
        if (resource.isTextual()) {
            return resource.asText().equals("*") ? "*" : "?" + resource.asText();
        }
        JsonNode getAtt = resource.path("Fn::GetAtt");
        if (getAtt.isArray() && getAtt.size() == 2) {
            String attribute = getAtt.get(1).asText();
            return getAtt.get(0).asText() + (attribute.equals("Arn") ? "" : "." + attribute);
        }
        if (resource.path("Fn::Sub").isTextual()) {
            Matcher m = SUB_OF_ARN.matcher(resource.path("Fn::Sub").asText());
            if (m.matches() && (m.group(2) == null || !m.group(2).startsWith("/*"))) {
                return m.group(1) + (m.group(2) == null ? "" : m.group(2));
            }
        }
        if (resource.path("Ref").isTextual()) {
            return resource.path("Ref").asText();
        }
        JsonNode choice = resource.path("Fn::If");
        if (choice.isArray() && choice.size() == 3) {
            // the resource the template creates, or the one a parameter names in its stead
            return resourceName(choice.get(1));
        }
        return "?" + resource;
    }

    private static List<String> list(JsonNode node) {
        List<String> out = new ArrayList<>();
        if (node.isArray()) {
            node.forEach(n -> out.add(n.asText()));
        } else {
            out.add(node.asText());
        }
        return out;
    }
}
