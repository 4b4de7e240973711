package com.connectionkeeper.bench;

import com.connectionkeeper.testkit.DynaliteServer;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.ToLongFunction;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

/** Section 3: fresh JVMs on the unzipped webhook.zip to the first handled event (and to a bare GetItem). */
final class ColdStart {
    private static final Path TEMURIN_25 = Path.of("/usr/lib/jvm/temurin-25-jdk-amd64/bin/java");
    private static final String[] MAINS = {"webhook", "hello"};

    private final DynaliteServer server;
    private final Path zip;
    private final Path event;
    private final String toolOptions;

    /** One child JVM's report, in ms. */
    private record Sample(String version, long constructed, long first, long launched, String answer) {
    }

    /** One configuration: which java, with which JAVA_TOOL_OPTIONS, running which main. */
    private record Setup(Path java, String options, String main) {
    }

    ColdStart(DynaliteServer server, Path zip, Path event, String toolOptions) {
        this.server = server;
        this.zip = zip;
        this.event = event;
        this.toolOptions = toolOptions;
    }

    String run(int repeats) throws IOException, InterruptedException {
        Path dir = unzip(zip);
        try {
            String classpath = String.join(File.pathSeparator, dir.toString(), dir.resolve("lib") + File.separator + "*",
                    benchJar().toString());
            List<Path> javas = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")));
            if (Files.isExecutable(TEMURIN_25)) {
                javas.add(TEMURIN_25);
            }
            Map<Setup, List<Sample>> samples = new LinkedHashMap<>();
            for (Path java : javas) {
                launch(new Setup(java, "", "webhook"), classpath); // untimed: warms the OS file cache for this JDK
                for (String options : toolOptions.isBlank() ? List.of("") : List.of("", toolOptions)) {
                    for (String main : MAINS) {
                        samples.put(new Setup(java, options, main), new ArrayList<>());
                    }
                }
            }
            for (int i = 0; i < repeats; i++) { // round-robin, so drift spreads over every setup alike
                for (Map.Entry<Setup, List<Sample>> setup : samples.entrySet()) {
                    setup.getValue().add(launch(setup.getKey(), classpath));
                }
            }
            StringBuilder table = new StringBuilder("| JVM | JAVA_TOOL_OPTIONS | main | handler/client constructed"
                    + " | first response | first response, from process launch | answer |\n"
                    + "|---|---|---|---:|---:|---:|---|\n");
            samples.forEach((setup, runs) -> table.append(String.format("| %s | %s | %s | %.0f | %.0f | %.0f | `%s` |%n",
                    jvmLabel(setup.java(), runs.get(0).version()),
                    setup.options().isEmpty() ? "(none)" : "`" + setup.options() + "`",
                    setup.main().equals("webhook") ? "`new WebhookHandler()` + 1 webhook" : "hello: client + 1 GetItem",
                    median(runs, Sample::constructed), median(runs, Sample::first), median(runs, Sample::launched),
                    runs.get(0).answer())));
            return table.toString();
        } finally {
            deleteTree(dir);
        }
    }

    private Sample launch(Setup setup, String classpath) throws IOException, InterruptedException {
        Path output = Files.createTempFile("ck-bench-child", ".out");
        try {
            long launchMillis = System.currentTimeMillis();
            ProcessBuilder builder = new ProcessBuilder(setup.java().toString(), "-cp", classpath,
                    ColdStartMain.class.getName(), setup.main(), setup.main().equals("webhook") ? event.toString() : "-",
                    Long.toString(launchMillis))
                    .redirectErrorStream(true)
                    .redirectOutput(output.toFile());
            Map<String, String> env = builder.environment();
            env.keySet().removeIf(name -> name.startsWith("AWS_") || name.endsWith("JAVA_OPTIONS")
                    || name.equals("JAVA_TOOL_OPTIONS"));
            env.put("TABLE_NAME", server.createTable()); // a fresh table: every run sees a first-seen connection
            env.put("DYNAMODB_ENDPOINT", server.endpoint().toString());
            env.put("SNAPTRADE_CONSUMER_KEY", Webhooks.CONSUMER_KEY);
            env.put("AWS_REGION", "us-east-1");
            if (!setup.options().isEmpty()) {
                env.put("JAVA_TOOL_OPTIONS", setup.options());
            }
            Process child = builder.start();
            if (!child.waitFor(60, TimeUnit.SECONDS)) {
                child.destroyForcibly();
                throw new IllegalStateException("child JVM still running after 60 s: " + setup);
            }
            String text = Files.readString(output);
            String line = text.lines().filter(l -> l.startsWith("BENCH ")).findFirst()
                    .orElseThrow(() -> new IllegalStateException("child JVM " + setup + " printed no result:\n" + text));
            Map<String, String> fields = new HashMap<>();
            for (String field : line.substring("BENCH ".length()).split(" ")) {
                fields.put(field.substring(0, field.indexOf('=')), field.substring(field.indexOf('=') + 1));
            }
            Sample sample = new Sample(fields.get("java"), Long.parseLong(fields.get("constructed")),
                    Long.parseLong(fields.get("first")), Long.parseLong(fields.get("launched")), fields.get("answer"));
            if (!sample.answer().startsWith("200:")) {
                throw new IllegalStateException("child JVM " + setup + " answered " + sample.answer());
            }
            return sample;
        } finally {
            Files.deleteIfExists(output);
        }
    }

    private static String jvmLabel(Path java, String version) {
        return java.equals(TEMURIN_25) ? version + " (temurin-25)" : version + " (default `java`)";
    }

    private static double median(List<Sample> runs, ToLongFunction<Sample> field) {
        return Stats.of(runs.stream().mapToDouble(s -> field.applyAsLong(s)).toArray()).median();
    }

    private static Path benchJar() {
        try {
            return Path.of(ColdStartMain.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Path unzip(Path zip) throws IOException {
        Path dir = Files.createTempDirectory("ck-bench-webhook");
        try (InputStream in = Files.newInputStream(zip); ZipInputStream entries = new ZipInputStream(in)) {
            for (ZipEntry entry = entries.getNextEntry(); entry != null; entry = entries.getNextEntry()) {
                Path target = dir.resolve(entry.getName()).normalize();
                if (!target.startsWith(dir)) {
                    throw new IOException("zip entry outside the target folder: " + entry.getName());
                }
                if (entry.isDirectory()) {
                    Files.createDirectories(target);
                } else {
                    Files.createDirectories(target.getParent());
                    Files.copy(entries, target);
                }
            }
        }
        return dir;
    }

    private static void deleteTree(Path dir) throws IOException {
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.delete(p);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        }
    }
}
