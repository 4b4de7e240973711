package com.connectionkeeper.bench;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.connectionkeeper.testkit.DynaliteServer;
import com.connectionkeeper.testkit.HttpApiInvoker;
import com.connectionkeeper.testkit.LambdaZip;
import com.connectionkeeper.testkit.LoopbackSecretsManager;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.function.ToLongFunction;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest;

/**
 * Section 3: fresh JVMs on the unzipped webhook.zip to the first handled event, against a hello-world baseline: the
 * same DynamoDB client sending the same requests the webhook makes for that event. Like with like: every launch
 * gets a fresh table already holding the event's connection (so the event takes the hot path), and the baseline
 * replays the requests the handler made for the event on such a table.
 */
final class ColdStart {
    private static final Path TEMURIN_25 = Path.of("/usr/lib/jvm/temurin-25-jdk-amd64/bin/java");
    /**
     * The webhook with its consumer key from the environment, the webhook reading it from Secrets Manager (the loopback
     * stand-in, as in AWS where CREDENTIALS_SECRET_ID is set), each also with its SnapStart hooks run first (priming,
     * then afterRestore: what a restored snapshot has behind it), and the hello-world baseline.
     */
    private static final String[] MAINS = {"webhook", "webhook-primed", "webhook-sm", "webhook-sm-primed", "hello"};
    /** Largest acceptable webhook / hello ratio of median times to the first response. */
    static final double RATIO_TARGET = Targets.COLD_START_RATIO;

    private final DynaliteServer server;
    private final DynamoDbClient client;
    private final RequestCounter counter;
    private final Webhooks webhooks;
    private final Path zip;
    private final Path event;
    private final String toolOptions;
    private APIGatewayV2HTTPEvent seed;
    private LoopbackSecretsManager secretsManager;
    private String secretArn;
    private final Map<String, Object> figures = new LinkedHashMap<>();

    /**
     * One child JVM's report: ms since JVM start (launched: since the parent launched it), the phases after
     * construction in µs (priming, afterRestore: -1 when not run; the first event), the classes loaded by then.
     */
    private record Sample(String version, long constructed, long first, long launched, long primeMicros,
                          long restoreMicros, long handleMicros, long classes, String answer) {
        /** From the end of construction to the first response: priming excluded, afterRestore included. */
        long afterPrimingMicros() {
            return Math.max(0, restoreMicros) + handleMicros;
        }
    }

    /** One configuration: which java, with which JAVA_TOOL_OPTIONS, running which main. */
    private record Setup(Path java, String options, String main) {
    }

    ColdStart(DynaliteServer server, DynamoDbClient client, RequestCounter counter, Webhooks webhooks, Path zip,
              Path event, String toolOptions) {
        this.server = server;
        this.client = client;
        this.counter = counter;
        this.webhooks = webhooks;
        this.zip = zip;
        this.event = event;
        this.toolOptions = toolOptions;
    }

    String run(int repeats) throws IOException, InterruptedException {
        byte[] fixture = Files.readAllBytes(event);
        JsonNode payload = payload(fixture);
        String connection = payload.path("brokerageAuthorizationId").asText();
        // the connection as CONNECTION_ADDED made it an hour before the event: the same seed in every table
        seed = webhooks.event(webhooks.body(Webhooks.id(), "CONNECTION_ADDED", payload.path("userId").asText(),
                connection, OffsetDateTime.parse(payload.path("eventTimestamp").asText()).toInstant()
                        .minusSeconds(3600)));
        String scratch = seededTable();
        counter.reset();
        APIGatewayV2HTTPResponse captured = HttpApiInvoker.invoke(Webhooks.handler(client, scratch), fixture, null);
        List<UpdateItemRequest> requests = counter.sent().stream().filter(UpdateItemRequest.class::isInstance)
                .map(UpdateItemRequest.class::cast).toList();
        if (captured.getStatusCode() != 200 || requests.size() != counter.total() || counter.failed() > 0) {
            throw new IllegalStateException("the event on a known connection answered " + captured.getStatusCode()
                    + " with " + counter.breakdown() + "; the baseline replays only UpdateItem");
        }
        Path requestFile = Files.createTempFile("ck-bench-requests", ".txt");
        Files.writeString(requestFile, ColdStartMain.writeRequests(requests));
        Path dir = unzip(zip);
        secretsManager = new LoopbackSecretsManager();
        secretArn = secretsManager.put("ck-bench/credentials",
                "{\"SNAPTRADE_CONSUMER_KEY\":\"" + Webhooks.CONSUMER_KEY + "\"}");
        try {
            String classpath = String.join(File.pathSeparator, dir.toString(), dir.resolve("lib") + File.separator + "*",
                    benchJar().toString());
            List<Path> javas = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")));
            if (Files.isExecutable(TEMURIN_25) && !BenchOutput.quick()) {
                javas.add(TEMURIN_25);
            }
            Map<Setup, List<Sample>> samples = new LinkedHashMap<>();
            for (Path java : javas) {
                launch(new Setup(java, "", "webhook"), classpath, requestFile, null); // untimed: warms the file cache
                for (String options : toolOptions.isBlank() ? List.of("") : List.of("", toolOptions)) {
                    for (String main : MAINS) {
                        samples.put(new Setup(java, options, main), new ArrayList<>());
                    }
                }
            }
            for (int i = 0; i < repeats; i++) { // round-robin, so drift spreads over every setup alike
                for (Map.Entry<Setup, List<Sample>> setup : samples.entrySet()) {
                    setup.getValue().add(launch(setup.getKey(), classpath, requestFile, null));
                }
            }
            String hello = "hello: client + the same " + requests.size() + " UpdateItem";
            StringBuilder table = new StringBuilder("| JVM | JAVA_TOOL_OPTIONS | main | handler/client constructed"
                    + " | first response | first response, from process launch | classes loaded | answer |\n"
                    + "|---|---|---|---:|---:|---:|---:|---|\n");
            samples.forEach((setup, runs) -> table.append(String.format(
                    "| %s | %s | %s | %.0f | %.0f | %.0f | %.0f | `%s` |%n", jvmLabel(setup.java(), runs.get(0).version()),
                    options(setup), switch (setup.main()) {
                        case "webhook" -> "`new WebhookHandler()` + 1 webhook";
                        case "webhook-primed" -> "the same, SnapStart hooks first (priming, afterRestore)";
                        case "webhook-sm" -> "the same, key from Secrets Manager (loopback)";
                        case "webhook-sm-primed" -> "key from Secrets Manager, SnapStart hooks first";
                        default -> hello;
                    },
                    median(runs, Sample::constructed), median(runs, Sample::first), median(runs, Sample::launched),
                    median(runs, Sample::classes), runs.get(0).answer())));
            table.append("\n| JVM | JAVA_TOOL_OPTIONS | webhook / hello, first response since JVM start (target ≤ ")
                    .append(RATIO_TARGET).append(") | webhook / hello, from process launch | extra classes loaded |\n"
                            + "|---|---|---:|---:|---:|\n");
            Map<String, List<String>> ratios = new LinkedHashMap<>(Map.of("env", new ArrayList<>(),
                    "sm", new ArrayList<>()));
            Map<String, Double> worst = new HashMap<>(Map.of("env", 0.0, "sm", 0.0));
            samples.forEach((setup, runs) -> {
                if (setup.main().equals("webhook") || setup.main().equals("webhook-sm")) {
                    List<Sample> base = samples.get(new Setup(setup.java(), setup.options(), "hello"));
                    double ratio = median(runs, Sample::first) / median(base, Sample::first);
                    table.append(String.format("| %s | %s%s | **%.2f** (%s) | %.2f | %.0f |%n",
                            jvmLabel(setup.java(), runs.get(0).version()), options(setup),
                            setup.main().equals("webhook-sm") ? ", key from Secrets Manager" : "", ratio,
                            ratio <= RATIO_TARGET ? "met" : "**MISSED**",
                            median(runs, Sample::launched) / median(base, Sample::launched),
                            median(runs, Sample::classes) - median(base, Sample::classes)));
                    String key = setup.main().equals("webhook") ? "env" : "sm";
                    ratios.get(key).add(String.format(Locale.ROOT, "%s%s %.2f", shortLabel(runs.get(0).version()),
                            setup.options().isEmpty() ? "" : " C1", ratio));
                    worst.merge(key, ratio, Math::max);
                }
            });
            for (String key : ratios.keySet()) {
                figures.put("coldStart.ratio." + key, String.format(Locale.ROOT, "%.4f", worst.get(key)));
                figures.put("coldStart.ratio." + key + ".text", String.format(Locale.ROOT, "**%.2f** (JDK %s; "
                        + "medians of %d launches)", worst.get(key), String.join(", ", ratios.get(key)), repeats));
            }
            table.append(priming(samples, javas.get(0)));
            return table.append(classDiff(javas.get(0), classpath, requestFile)).toString();
        } finally {
            secretsManager.close();
            deleteTree(dir);
            Files.deleteIfExists(requestFile);
        }
    }

    /** The figures for the report ({@link BenchOutput#figures}), once {@link #run} returned. */
    Map<String, Object> figures() {
        return figures;
    }

    /**
     * With and without the SnapStart hooks: what is left of the first webhook once priming ran (afterRestore, then
     * the webhook), against the first webhook of a fresh JVM that did not prime, for each JVM, flags and key source.
     */
    private String priming(Map<Setup, List<Sample>> samples, Path defaultJava) {
        StringBuilder table = new StringBuilder("\nSnapStart priming, without a CRaC JVM: the hooks called directly in "
                + "a fresh JVM (`beforeCheckpoint(null)`, then `afterRestore(null)`), then the first webhook. What a "
                + "restored snapshot still has to do ≈ afterRestore + the first webhook after priming; medians, µs "
                + "from the end of construction.\n\n| JVM | JAVA_TOOL_OPTIONS | key | first webhook without priming "
                + "| priming (beforeCheckpoint) | afterRestore | first webhook after priming | **after priming / "
                + "without** | first response since JVM start: without → with priming |\n"
                + "|---|---|---|---:|---:|---:|---:|---:|---|\n");
        samples.forEach((setup, runs) -> {
            if (!setup.main().endsWith("-primed")) {
                return;
            }
            boolean sm = setup.main().startsWith("webhook-sm");
            List<Sample> plain = samples.get(new Setup(setup.java(), setup.options(), sm ? "webhook-sm" : "webhook"));
            double without = median(plain, Sample::handleMicros);
            double after = median(runs, Sample::afterPrimingMicros);
            double remaining = after / without;
            table.append(String.format(Locale.ROOT, "| %s | %s | %s | %,.0f | %,.0f | %,.0f | %,.0f | **%.2f** | "
                            + "%.0f → %.0f ms |%n", jvmLabel(setup.java(), runs.get(0).version()), options(setup),
                    sm ? "Secrets Manager" : "environment", without, median(runs, Sample::primeMicros),
                    median(runs, Sample::restoreMicros), median(runs, Sample::handleMicros), remaining,
                    median(plain, Sample::first), median(runs, Sample::first)));
            // the report's reference: as in AWS (default JVM here, the template's flags, the key from Secrets Manager)
            if (sm && setup.java().equals(defaultJava) && setup.options().equals(toolOptions)) {
                double priming = median(runs, Sample::primeMicros);
                figures.put("priming.ms", String.format(Locale.ROOT, "%.1f", priming / 1000));
                figures.put("priming.ms.text", String.format(Locale.ROOT, "%.0f ms (JDK %s%s, key from Secrets "
                        + "Manager; then afterRestore %.1f ms)", priming / 1000, shortLabel(runs.get(0).version()),
                        setup.options().isEmpty() ? "" : " C1", median(runs, Sample::restoreMicros) / 1000));
                figures.put("priming.remaining", String.format(Locale.ROOT, "%.4f", remaining));
                figures.put("priming.remaining.text", String.format(Locale.ROOT, "**%.2f** (%.1f ms after priming vs "
                                + "%.1f ms without; first response since JVM start %.0f → %.0f ms with priming in it)",
                        remaining, after / 1000, without / 1000, median(plain, Sample::first),
                        median(runs, Sample::first)));
            }
        });
        return table.toString();
    }

    /**
     * Where the difference goes: the classes the webhook loads and the hello-world does not, by package; and what
     * priming covers: the classes the first webhook loads without priming that priming loads before it, and those
     * the first webhook still loads after priming. One untimed launch each with {@code -Xlog:class+load}; the phases
     * are split at the loading of {@link ColdStartMain}'s marker classes.
     */
    private String classDiff(Path java, String classpath, Path requestFile) throws IOException, InterruptedException {
        Map<String, List<String>> logs = new HashMap<>();
        for (String main : List.of("webhook", "webhook-primed", "hello")) {
            Path log = Files.createTempFile("ck-bench-classes", ".log");
            try {
                launch(new Setup(java, "", main), classpath, requestFile, log);
                try (Stream<String> lines = Files.lines(log)) {
                    // [0.012s][info][class,load] java.lang.Object source: shared objects file
                    // hidden classes (lambdas, lambda forms) are numbered per run: counted under their stem
                    logs.put(main, lines.filter(l -> l.contains("[class,load]"))
                            .map(l -> l.substring(l.indexOf("] ", l.indexOf("[class,load]")) + 2).split(" ")[0])
                            .map(name -> name.split("\\$\\$Lambda|/0x|\\$\\$")[0])
                            .toList());
                }
            } finally {
                String keep = System.getProperty("ck.bench.classLogDir"); // to read the lists themselves
                if (keep != null) {
                    Files.copy(log, Path.of(keep, main + "-classes.log"), StandardCopyOption.REPLACE_EXISTING);
                }
                Files.deleteIfExists(log);
            }
        }
        Map<String, Long> webhook = counts(logs.get("webhook"));
        Map<String, Long> hello = counts(logs.get("hello"));
        Map<String, Long> byPackage = new TreeMap<>();
        webhook.forEach((name, n) -> {
            long more = n - hello.getOrDefault(name, 0L);
            if (more > 0) {
                byPackage.merge(packageGroup(name), more, Long::sum);
            }
        });
        // what priming covers, by distinct class name (markers left out)
        List<String> unprimed = logs.get("webhook");
        List<String> primed = logs.get("webhook-primed");
        Set<String> firstWebhook = phase(unprimed, "Constructed", "Handled");
        Set<String> priming = phase(primed, "Constructed", "Primed");
        Set<String> restore = phase(primed, "Primed", "Restored");
        Set<String> afterPriming = phase(primed, "Restored", "Handled");
        Set<String> covered = new TreeSet<>(firstWebhook);
        covered.retainAll(priming);
        Set<String> uncovered = new TreeSet<>(firstWebhook);
        uncovered.removeAll(priming);
        uncovered.removeAll(restore);
        figures.put("priming.classesCovered", String.format(Locale.ROOT, "%.4f",
                covered.size() / (double) Math.max(1, firstWebhook.size())));
        figures.put("priming.classesCovered.text", String.format(Locale.ROOT, "**%d of %d** (%.0f %%); priming loads "
                        + "%d in all, afterRestore %d more; after priming the first webhook still loads %d (%s)",
                covered.size(), firstWebhook.size(), 100.0 * covered.size() / Math.max(1, firstWebhook.size()),
                priming.size(), restore.size(), afterPriming.size(), topPackages(afterPriming, 5)));
        return String.format("%nClasses loaded (one untimed launch each, `-Xlog:class+load`, default `java`, no "
                        + "options, key from the environment): webhook %d, hello %d; the webhook's %d not in the hello's, by "
                        + "package: %s.%n%nWhat priming covers (the same launches, split where the bench's marker "
                        + "classes load; distinct names): the first webhook of a fresh JVM loads **%d** classes after "
                        + "construction; priming loads %d, **%d** of those among them (%.0f %%); afterRestore loads %d "
                        + "more; after priming the first webhook loads **%d**: %s. Of the first webhook's classes, "
                        + "priming and afterRestore leave %d: %s.%n",
                total(webhook), total(hello), byPackage.values().stream().mapToLong(Long::longValue).sum(),
                byPackage.entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue().reversed())
                        .limit(14).map(e -> "`" + e.getKey() + "` " + e.getValue())
                        .collect(Collectors.joining(", ")),
                firstWebhook.size(), priming.size(), covered.size(),
                100.0 * covered.size() / Math.max(1, firstWebhook.size()), restore.size(), afterPriming.size(),
                topPackages(afterPriming, 10), uncovered.size(), topPackages(uncovered, 10));
    }

    /** Distinct class names loaded between the loading of two of {@link ColdStartMain}'s marker classes. */
    private static Set<String> phase(List<String> log, String from, String to) {
        String marker = ColdStartMain.class.getName() + "$";
        int start = log.indexOf(marker + from);
        int end = log.indexOf(marker + to);
        if (start < 0 || end < start) {
            throw new IllegalStateException("marker classes " + from + " / " + to + " not found in order in the log");
        }
        Set<String> names = new TreeSet<>(log.subList(start + 1, end));
        names.removeIf(name -> name.startsWith(marker));
        return names;
    }

    /** E.g. {@code `java.util.stream` 15, `com.connectionkeeper.store` 6}; "none" when empty. */
    private static String topPackages(Set<String> names, int limit) {
        if (names.isEmpty()) {
            return "none";
        }
        Map<String, Long> byPackage = names.stream().collect(Collectors.groupingBy(ColdStart::packageGroup,
                TreeMap::new, Collectors.counting()));
        return byPackage.entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue().reversed())
                .limit(limit).map(e -> "`" + e.getKey() + "` " + e.getValue()).collect(Collectors.joining(", "))
                + (byPackage.size() > limit ? ", …" : "");
    }

    private static Map<String, Long> counts(List<String> names) {
        return names.stream().collect(Collectors.groupingBy(name -> name, Collectors.counting()));
    }

    private static long total(Map<String, Long> counts) {
        return counts.values().stream().mapToLong(Long::longValue).sum();
    }

    /** The first three parts of a class's package (four for ours and the SDK's). */
    private static String packageGroup(String className) {
        String[] parts = className.split("\\.");
        int keep = className.startsWith("com.connectionkeeper.") || className.startsWith("software.amazon.") ? 4 : 3;
        return String.join(".", Arrays.asList(parts).subList(0, Math.min(keep, parts.length - 1)));
    }

    /** A fresh table that holds the event's connection. */
    private String seededTable() {
        String table = server.createTable();
        APIGatewayV2HTTPResponse seeded = HttpApiInvoker.invoke(Webhooks.handler(client, table), seed);
        if (seeded.getStatusCode() != 200) {
            throw new IllegalStateException("seeding the connection answered " + seeded.getBody());
        }
        return table;
    }

    /** The webhook payload inside an API Gateway event. */
    private static JsonNode payload(byte[] fixture) throws IOException {
        ObjectMapper json = new ObjectMapper();
        JsonNode event = json.readTree(fixture);
        String body = event.path("body").asText();
        return json.readTree(event.path("isBase64Encoded").asBoolean() ? Base64.getDecoder().decode(body)
                : body.getBytes(StandardCharsets.UTF_8));
    }

    private static String options(Setup setup) {
        return setup.options().isEmpty() ? "(none)" : "`" + setup.options() + "`";
    }

    /** One launch; with a {@code classLog}, the JVM logs every class it loads there (untimed runs only). */
    private Sample launch(Setup setup, String classpath, Path requestFile, Path classLog)
            throws IOException, InterruptedException {
        Path output = Files.createTempFile("ck-bench-child", ".out");
        try {
            List<String> command = new ArrayList<>(List.of(setup.java().toString()));
            if (classLog != null) {
                command.add("-Xlog:class+load=info:file=" + classLog);
            }
            long launchMillis = System.currentTimeMillis();
            String main = setup.main().equals("hello") ? "hello"
                    : setup.main().endsWith("-primed") ? "webhook-primed" : "webhook";
            command.addAll(List.of("-cp", classpath, ColdStartMain.class.getName(), main,
                    main.startsWith("webhook") ? event.toString() : requestFile.toString(),
                    Long.toString(launchMillis)));
            ProcessBuilder builder = new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(output.toFile());
            Map<String, String> env = builder.environment();
            env.keySet().removeIf(name -> name.startsWith("AWS_") || name.endsWith("JAVA_OPTIONS")
                    || name.equals("JAVA_TOOL_OPTIONS"));
            env.put("TABLE_NAME", seededTable()); // a fresh table holding the connection: the event's hot path
            env.put("DYNAMODB_ENDPOINT", server.endpoint().toString());
            if (setup.main().startsWith("webhook-sm")) {
                env.put("CREDENTIALS_SECRET_ID", secretArn);
                env.put("AWS_ENDPOINT_URL_SECRETS_MANAGER", secretsManager.endpoint().toString());
                env.put("AWS_ACCESS_KEY_ID", "bench");
                env.put("AWS_SECRET_ACCESS_KEY", "bench");
            } else {
                env.put("SNAPTRADE_CONSUMER_KEY", Webhooks.CONSUMER_KEY);
            }
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
                    Long.parseLong(fields.get("first")), Long.parseLong(fields.get("launched")),
                    Long.parseLong(fields.get("primeUs")), Long.parseLong(fields.get("restoreUs")),
                    Long.parseLong(fields.get("handleUs")), Long.parseLong(fields.get("classes")),
                    fields.get("answer"));
            if (!sample.answer().startsWith("200:")) {
                throw new IllegalStateException("child JVM " + setup + " answered " + sample.answer());
            }
            return sample;
        } finally {
            Files.deleteIfExists(output);
        }
    }

    /** {@code 17} for 17.0.15. */
    private static String shortLabel(String version) {
        return version.split("\\.")[0];
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
        LambdaZip.unpack(zip, dir);
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
