package com.connectionkeeper.bench;

import com.connectionkeeper.testkit.CloudFormationTemplate;
import com.connectionkeeper.testkit.RepoPaths;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * Every function zip template.yaml deploys (each CodeUri), read from the built zips: size and jars, and for the
 * webhook its targets — size, no unwanted library, and what it grew by since the previous release (the crac jar
 * SnapStart brought apart, so the rest bounds what the metrics added). {@code dev/bench/run.sh artifacts} →
 * {@code dev/bench/artifacts-results.md}.
 */
public final class Artifacts {
    /** Jars the webhook zip must not carry. */
    static final Pattern UNWANTED_JAR =
            Pattern.compile("okhttp|gson|kotlin|snaptrade|apache-client|apache5-client|httpclient|netty"
                    + "|aws-lambda-java-events|joda-time|jackson-databind|jackson-annotations");
    private static final Pattern CRAC_JAR = Pattern.compile("lib/crac-[^/]*\\.jar");
    private static final Pattern OUR_JAR = Pattern.compile("lib/ck-[^/]*\\.jar");
    /** The classes that exist only for metrics (kept in step with the code: core.log, the sweep's census). */
    private static final Pattern METRICS_CLASS = Pattern.compile(
            "com/connectionkeeper/(core/log/(Emf|MetricNames)|core/sweep/ConnectionCensus|sweep/DynamoConnectionCensus)"
                    + "(\\$.*)?\\.class");

    private Artifacts() {
    }

    public static void main(String[] args) throws IOException {
        Path root = RepoPaths.root();
        Map<String, List<String>> zips = new TreeMap<>(); // CodeUri → the functions deployed from it
        JsonNode resources = CloudFormationTemplate.load().resources();
        for (Map.Entry<String, JsonNode> resource : resources.properties()) {
            JsonNode codeUri = resource.getValue().path("Properties").path("CodeUri");
            if (codeUri.isTextual() && codeUri.asText().endsWith(".zip")) {
                zips.computeIfAbsent(codeUri.asText(), k -> new ArrayList<>()).add(resource.getKey());
            }
        }
        Map<String, Object> figures = new LinkedHashMap<>();
        StringBuilder md = new StringBuilder("# Artifacts\n\nWritten by `dev/bench/run.sh artifacts` on ")
                .append(Instant.now().truncatedTo(ChronoUnit.SECONDS)).append(", commit ").append(Machine.commit())
                .append(": every zip template.yaml deploys (its `CodeUri`s), as built.\n\n"
                        + "| zip | functions | size | jars in lib/ | largest jars |\n|---|---|---:|---:|---|\n");
        String webhook = null;
        for (Map.Entry<String, List<String>> zip : zips.entrySet()) {
            Path file = root.resolve(zip.getKey());
            String name = file.getFileName().toString().replaceFirst("\\.zip$", "");
            if (!Files.isRegularFile(file)) {
                md.append("| ").append(zip.getKey()).append(" | ").append(String.join(", ", zip.getValue()))
                        .append(" | **missing** (not built) | | |\n");
                continue;
            }
            long size = Files.size(file);
            figures.put("zip." + name + ".bytes", size);
            figures.put("zip." + name + ".bytes.text", String.format(Locale.ROOT, "%.2f MB (%,d bytes)", size / 1e6,
                    size));
            try (ZipFile z = new ZipFile(file.toFile())) {
                List<? extends ZipEntry> jars = jars(z);
                md.append(String.format(Locale.ROOT, "| `%s` | %s | %.2f MB (%,d bytes) | %d | %s |%n", zip.getKey(),
                        String.join(", ", zip.getValue()), size / 1e6, size, jars.size(),
                        jars.stream().sorted(Comparator.comparingLong(ZipEntry::getSize).reversed()).limit(3)
                                .map(e -> String.format(Locale.ROOT, "%s %.2f MB",
                                        e.getName().substring("lib/".length()), e.getSize() / 1e6))
                                .collect(Collectors.joining(", "))));
                if (name.equals("webhook")) {
                    webhook = webhook(z, size, figures);
                }
            }
        }
        md.append("\n## webhook.zip\n\n").append(webhook == null ? "Not built.\n" : webhook);
        Path out = BenchOutput.results(Targets.BenchId.ARTIFACTS.results());
        Files.writeString(out, md);
        BenchOutput.figures(Targets.BenchId.ARTIFACTS.id(), figures);
        System.out.print(md);
        System.out.println("\nwritten to " + out);
    }

    private static String webhook(ZipFile zip, long size, Map<String, Object> figures) throws IOException {
        List<String> unwanted = jars(zip).stream().map(e -> e.getName().substring("lib/".length()))
                .filter(n -> UNWANTED_JAR.matcher(n.toLowerCase(Locale.ROOT)).find()).toList();
        long growth = size - Targets.PREVIOUS_WEBHOOK_ZIP_BYTES;
        ZipEntry crac = zip.stream().filter(e -> CRAC_JAR.matcher(e.getName()).matches()).findFirst().orElse(null);
        long cracBytes = crac == null ? 0 : crac.getCompressedSize();
        long rest = growth - cracBytes;
        Map<String, Long> metricsClasses = metricsClassBytes(zip);
        long metricsOnly = metricsClasses.values().stream().mapToLong(Long::longValue).sum();
        String itemised = metricsClasses.entrySet().stream()
                .map(e -> String.format(Locale.ROOT, "`%s` %,d", e.getKey(), e.getValue()))
                .collect(Collectors.joining(", "));
        figures.put("zip.webhook.unwantedJars", unwanted.size());
        figures.put("zip.webhook.unwantedJars.text", unwanted.isEmpty() ? "none" : String.join(", ", unwanted));
        figures.put("zip.webhook.metricsBytes", Math.max(0, rest));
        figures.put("zip.webhook.metricsBytes.text", String.format(Locale.ROOT, "**%,d – %,d bytes**: at most the "
                        + "zip's growth since the previous release (%+,d bytes from %,d) less %s (%,d); at least the "
                        + "classes that exist only for metrics (%s)", metricsOnly, rest, growth,
                Targets.PREVIOUS_WEBHOOK_ZIP_BYTES, crac == null ? "no crac jar" : "`" + crac.getName() + "`",
                cracBytes, itemised));
        return String.format(Locale.ROOT, "| | value | target |%n|---|---|---|%n"
                        + "| size | %.2f MB (%,d bytes) | ≤ 8 MB: %s |%n"
                        + "| okhttp / gson / kotlin / snaptrade / apache(5)-client / httpclient / netty / "
                        + "aws-lambda-java-events / joda-time / jackson-databind / jackson-annotations jars | %s "
                        + "| none: %s |%n"
                        + "| growth since the previous release (%,d bytes: sealed secrets, before metrics and "
                        + "SnapStart) | %+,d bytes | |%n"
                        + "| of it, %s (SnapStart's library), as stored | %,d bytes | |%n"
                        + "| the rest: metrics, SnapStart's hooks and priming, and any other change since | **%,d "
                        + "bytes** | what metrics add ≤ %s: %s (judged on this upper bound) |%n"
                        + "| the classes that exist only for metrics, compressed in their jars (a lower bound: the "
                        + "metric lines inside shared classes are not counted) | %,d bytes: %s | |%n",
                size / 1e6, size, size <= Targets.WEBHOOK_ZIP_BYTES ? "met" : "**MISSED**",
                unwanted.isEmpty() ? "none" : String.join(", ", unwanted), unwanted.isEmpty() ? "met" : "**MISSED**",
                Targets.PREVIOUS_WEBHOOK_ZIP_BYTES, growth, crac == null ? "no crac jar" : "`" + crac.getName() + "`",
                cracBytes, rest, Targets.format(Targets.METRICS_ZIP_BYTES) + " bytes",
                rest <= Targets.METRICS_ZIP_BYTES ? "met" : "**MISSED**", metricsOnly, itemised);
    }

    /**
     * The compressed bytes of each class that exists only for metrics ({@link #METRICS_CLASS}: the EMF writer, the
     * metric names, the sweep's census), in any of our jars inside the zip, by class (inner classes under their
     * outer one).
     */
    private static Map<String, Long> metricsClassBytes(ZipFile zip) throws IOException {
        Map<String, Long> bytes = new TreeMap<>();
        for (ZipEntry jarEntry : zip.stream().filter(e -> OUR_JAR.matcher(e.getName()).matches()).toList()) {
            Path jar = Files.createTempFile("ck-bench-jar", ".jar");
            try {
                try (InputStream in = zip.getInputStream(jarEntry)) {
                    Files.copy(in, jar, StandardCopyOption.REPLACE_EXISTING);
                }
                try (ZipFile j = new ZipFile(jar.toFile())) {
                    j.stream().filter(e -> METRICS_CLASS.matcher(e.getName()).matches()).forEach(e -> bytes.merge(
                            e.getName().replaceFirst("(\\$.*)?\\.class$", "").replaceFirst(".*/", ""),
                            e.getCompressedSize(), Long::sum));
                }
            } finally {
                Files.deleteIfExists(jar);
            }
        }
        return bytes;
    }

    private static List<? extends ZipEntry> jars(ZipFile zip) {
        return zip.stream().filter(e -> e.getName().startsWith("lib/") && e.getName().endsWith(".jar")).toList();
    }
}
