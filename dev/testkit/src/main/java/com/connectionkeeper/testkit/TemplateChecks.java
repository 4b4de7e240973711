package com.connectionkeeper.testkit;

import com.connectionkeeper.testkit.CloudFormationTemplate.Invocation;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Checks of template.yaml that its schema cannot make, each a place where a deployment would break only when it runs:
 * every function's {@code Handler} names a class of its {@code CodeUri} zip that Lambda can run (a public no-arg
 * constructor, a Lambda handler interface, the method); every function has a log group with a retention; every route
 * of the HTTP API has an integration that invokes a function, and a permission that lets API Gateway invoke it for
 * that route; a SnapStart function has an alias, is invoked only through it (SnapStart covers published versions, not
 * $LATEST), and its handler has runtime hooks ({@code org.crac.Resource}); a function published through an alias has
 * every parameter its environment reads in its {@code VersionDescription} (SAM publishes no version for a
 * parameter-only update otherwise). {@link #problems} lists what is wrong, one line each.
 */
public final class TemplateChecks {
    private static final List<String> HANDLER_INTERFACES = List.of(
            "com.amazonaws.services.lambda.runtime.RequestHandler",
            "com.amazonaws.services.lambda.runtime.RequestStreamHandler");

    private static final String CRAC_RESOURCE = "org.crac.Resource";
    private static final Pattern SUB_NAME = Pattern.compile("\\$\\{([A-Za-z0-9]+)}");

    private final JsonNode template;
    private final Path root;
    private final Path scratch;
    private final Map<Path, URLClassLoader> loaders = new HashMap<>();

    /** Over {@code template}; zips are resolved from {@code root} and unpacked below {@code scratch}. */
    public TemplateChecks(JsonNode template, Path root, Path scratch) {
        this.template = template;
        this.root = root;
        this.scratch = scratch;
    }

    /** Every problem found, one line each; empty when there is none. */
    public List<String> problems() {
        List<String> out = new ArrayList<>();
        JsonNode resources = template.path("Resources");
        for (Iterator<Map.Entry<String, JsonNode>> it = resources.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> r = it.next();
            String type = r.getValue().path("Type").asText();
            if (type.equals("AWS::Serverless::Function")) {
                handler(r.getKey(), r.getValue().path("Properties"), out);
                logGroup(r.getKey(), resources, out);
            } else if (type.equals("AWS::ApiGatewayV2::Route")) {
                route(r.getKey(), r.getValue().path("Properties"), resources, out);
            }
        }
        loaders.values().forEach(l -> {
            try {
                l.close();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
        loaders.clear();
        return out;
    }

    private void handler(String function, JsonNode properties, List<String> out) {
        String handler = properties.path("Handler").asText();
        Path zip = root.resolve(properties.path("CodeUri").asText());
        int sep = handler.indexOf("::");
        if (sep <= 0) {
            out.add(function + ": Handler " + handler + " is not Class::method");
            return;
        }
        if (!Files.isRegularFile(zip)) {
            out.add(function + ": no zip at " + root.relativize(zip) + " (build it: mvn package)");
            return;
        }
        String className = handler.substring(0, sep);
        String methodName = handler.substring(sep + 2);
        Class<?> c;
        try {
            c = Class.forName(className, false, loader(zip));
        } catch (ClassNotFoundException e) {
            out.add(function + ": no class " + className + " in " + root.relativize(zip));
            return;
        }
        List<String> implemented = new ArrayList<>();
        for (Class<?> k = c; k != null; k = k.getSuperclass()) {
            for (Class<?> i : k.getInterfaces()) {
                implemented.add(i.getName());
            }
        }
        if (implemented.stream().noneMatch(HANDLER_INTERFACES::contains)) {
            out.add(function + ": " + className + " implements no Lambda handler interface");
        }
        boolean method = Stream.of(c.getMethods()).map(Method::getName).anyMatch(methodName::equals);
        if (!method) {
            out.add(function + ": " + className + " has no public method " + methodName);
        }
        boolean snapStart = "PublishedVersions".equals(properties.path("SnapStart").path("ApplyOn").asText());
        if (snapStart && !implemented.contains(CRAC_RESOURCE)) {
            out.add(function + ": SnapStart, but " + className + " has no runtime hooks (" + CRAC_RESOURCE
                    + "): its secrets would be as old as the snapshot");
        }
        if (snapStart && !properties.has("AutoPublishAlias")) {
            out.add(function + ": SnapStart applies to published versions, but it has no AutoPublishAlias");
        }
        if (properties.has("AutoPublishAlias")) {
            versionDescription(function, properties, out);
        }
        boolean constructor = Stream.of(c.getConstructors()).anyMatch(k -> k.getParameterCount() == 0)
                && Modifier.isPublic(c.getModifiers());
        if (!constructor) {
            out.add(function + ": " + className + " has no public no-arg constructor for Lambda");
        }
    }

    /**
     * SAM publishes a new version when the code or the template's text changes, not when a parameter does: each
     * parameter the function's environment reads (its own and Globals', directly or through a condition) must be in its
     * {@code VersionDescription}, whose change makes CloudFormation publish a version.
     */
    private void versionDescription(String function, JsonNode properties, List<String> out) {
        Set<String> read = new TreeSet<>();
        parameters(template.at("/Globals/Function/Environment"), read);
        parameters(properties.path("Environment"), read);
        Set<String> described = new TreeSet<>();
        parameters(properties.path("VersionDescription"), described);
        read.removeAll(described);
        if (!read.isEmpty()) {
            out.add(function + ": published through an alias, but a change of " + read + " would publish no version "
                    + "(not in its VersionDescription)");
        }
    }

    /** The template parameters {@code node} depends on: Refs, ${...} of Fn::Sub, conditions of Fn::If. */
    private void parameters(JsonNode node, Set<String> into) {
        JsonNode params = template.path("Parameters");
        if (node.isObject()) {
            if (node.has("Ref") && params.has(node.path("Ref").asText())) {
                into.add(node.path("Ref").asText());
            }
            JsonNode sub = node.path("Fn::Sub");
            if (!sub.isMissingNode()) {
                String text = sub.isArray() ? sub.path(0).asText() : sub.asText();
                JsonNode variables = sub.isArray() ? sub.path(1) : MissingNode.getInstance();
                Matcher m = SUB_NAME.matcher(text);
                while (m.find()) {
                    if (params.has(m.group(1)) && !variables.has(m.group(1))) {
                        into.add(m.group(1));
                    }
                }
                parameters(variables, into);
            }
            JsonNode condition = node.path("Fn::If");
            if (condition.isArray()) {
                parameters(template.path("Conditions").path(condition.path(0).asText()), into);
            }
            node.fields().forEachRemaining(e -> {
                if (!e.getKey().equals("Fn::Sub")) {
                    parameters(e.getValue(), into);
                }
            });
        } else if (node.isArray()) {
            node.forEach(n -> parameters(n, into));
        }
    }

    private URLClassLoader loader(Path zip) {
        return loaders.computeIfAbsent(zip, z -> {
            try {
                Path dir = Files.createTempDirectory(Files.createDirectories(scratch), "zip");
                LambdaZip.unpack(z, dir);
                List<URL> urls = new ArrayList<>(List.of(dir.toUri().toURL()));
                Path lib = dir.resolve("lib");
                if (Files.isDirectory(lib)) {
                    try (Stream<Path> jars = Files.list(lib)) {
                        for (Path jar : jars.sorted().toList()) {
                            urls.add(jar.toUri().toURL());
                        }
                    }
                }
                return new URLClassLoader(urls.toArray(URL[]::new), ClassLoader.getPlatformClassLoader());
            } catch (MalformedURLException e) {
                throw new IllegalStateException(e);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }

    private static void logGroup(String function, JsonNode resources, List<String> out) {
        String name = "/aws/lambda/${" + function + "}";
        for (JsonNode r : resources) {
            JsonNode p = r.path("Properties");
            if (r.path("Type").asText().equals("AWS::Logs::LogGroup")
                    && name.equals(p.path("LogGroupName").path("Fn::Sub").asText())) {
                if (!p.has("RetentionInDays")) {
                    out.add(function + ": its log group keeps logs forever (no RetentionInDays)");
                }
                return;
            }
        }
        out.add(function + ": no log group " + name + " (Lambda would create one that keeps logs forever)");
    }

    private static void route(String id, JsonNode properties, JsonNode resources, List<String> out) {
        String key = properties.path("RouteKey").asText();
        String target = properties.path("Target").path("Fn::Sub").asText();
        String integration = target.startsWith("integrations/${") && target.endsWith("}")
                ? target.substring("integrations/${".length(), target.length() - 1) : null;
        Optional<Invocation> invoked = integration == null ? Optional.empty() : CloudFormationTemplate.invocation(
                resources.path(integration).path("Properties").path("IntegrationUri"));
        if (invoked.isEmpty() || !"AWS::Serverless::Function".equals(
                resources.path(invoked.get().function()).path("Type").asText())) {
            out.add(key + " (" + id + "): no integration that invokes a function");
            return;
        }
        String function = invoked.get().function();
        JsonNode functionProperties = resources.path(function).path("Properties");
        boolean snapStart = "PublishedVersions".equals(functionProperties.path("SnapStart").path("ApplyOn").asText());
        if (snapStart && !invoked.get().viaAlias()) {
            out.add(key + ": invokes " + function + " unqualified ($LATEST), which SnapStart does not cover: "
                    + "invoke !Ref " + function + ".Alias");
        }
        if (invoked.get().viaAlias() && !functionProperties.has("AutoPublishAlias")) {
            out.add(key + ": invokes " + function + ".Alias, but " + function + " has no AutoPublishAlias");
        }
        int space = key.indexOf(' ');
        String wanted = key.substring(0, space) + key.substring(space + 1).replaceAll("\\{[^}]+}", "*");
        for (JsonNode r : resources) {
            JsonNode p = r.path("Properties");
            if (r.path("Type").asText().equals("AWS::Lambda::Permission")
                    && invoked.equals(CloudFormationTemplate.invocation(p.path("FunctionName")))
                    && "lambda:InvokeFunction".equals(p.path("Action").asText())
                    && "apigateway.amazonaws.com".equals(p.path("Principal").asText())
                    && covers(p.path("SourceArn").path("Fn::Sub").asText(), wanted)) {
                return;
            }
        }
        out.add(key + ": no permission lets API Gateway invoke " + function
                + (invoked.get().viaAlias() ? ".Alias" : "") + " for this route");
    }

    /**
     * The source ARN ({@code …:${KeeperHttpApi}/*}, or {@code …:${KeeperHttpApi}/*&#47;<METHOD>/<path>}) covers the
     * route ({@code <METHOD>/<path>}, path parameters as {@code *}).
     */
    private static boolean covers(String sourceArn, String methodAndPath) {
        int api = sourceArn.indexOf("${KeeperHttpApi}/");
        if (api < 0) {
            return false;
        }
        String rest = sourceArn.substring(api + "${KeeperHttpApi}/".length());
        if (rest.equals("*")) {
            return true;
        }
        return rest.equals("*/" + methodAndPath); // any stage, this method and path
    }
}
