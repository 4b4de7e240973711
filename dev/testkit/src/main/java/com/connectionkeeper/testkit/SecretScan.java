package com.connectionkeeper.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ScanRequest;

/**
 * What the test JVM's dynalite holds when the suite ends: every attribute of every item of every table is searched
 * for the simulator's user-secret mark ({@code -Dck.secretMark}), and the sealed secrets found are listed (so the log
 * hygiene check can prove none was printed). Enabled by {@code -Dck.secretScan=<dir>} (the API and sweep modules):
 * each JVM writes one report there, which a failsafe test of the module reads ({@link #readAll}).
 */
public final class SecretScan {
    public static final String SCAN_PROPERTY = "ck.secretScan";
    public static final String MARK_PROPERTY = "ck.secretMark";
    private static final ObjectMapper JSON = new ObjectMapper();

    /** The reports of a module's test JVMs, added up. */
    public record Report(int reports, long tables, long items, List<String> plaintext, List<String> sealed) {
    }

    private SecretScan() {
    }

    /** Deletes the reports of earlier sessions, when enabled. */
    static void clearIfEnabled() {
        String dir = System.getProperty(SCAN_PROPERTY, "");
        if (dir.isBlank() || !Files.isDirectory(Path.of(dir))) {
            return;
        }
        try (Stream<Path> files = Files.list(Path.of(dir))) {
            for (Path file : files.toList()) {
                Files.deleteIfExists(file);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Scans the server and writes this JVM's report, when enabled. */
    static void scanIfEnabled(DynamoDbClient client) {
        String dir = System.getProperty(SCAN_PROPERTY, "");
        String mark = System.getProperty(MARK_PROPERTY, "");
        if (dir.isBlank() || mark.isBlank()) {
            return;
        }
        ObjectNode report = JSON.createObjectNode();
        ArrayNode plaintext = report.putArray("plaintext");
        ArrayNode sealed = report.putArray("sealed");
        long tables = 0;
        long items = 0;
        for (String table : client.listTablesPaginator(b -> { }).tableNames()) {
            tables++;
            for (Map<String, AttributeValue> item : client.scanPaginator(ScanRequest.builder().tableName(table)
                    .build()).items()) {
                items++;
                for (Map.Entry<String, AttributeValue> a : item.entrySet()) {
                    if (holds(a.getValue(), mark)) {
                        plaintext.add(table + " " + text(item.get("pk")) + " " + text(item.get("sk")) + " "
                                + a.getKey());
                    }
                    if (a.getKey().equals("sealedSecret") && a.getValue().b() != null) {
                        sealed.add(Base64.getEncoder().encodeToString(a.getValue().b().asByteArray()));
                    }
                }
            }
        }
        report.put("tables", tables).put("items", items);
        try {
            Path out = Path.of(dir);
            Files.createDirectories(out);
            Files.writeString(out.resolve("scan-" + ProcessHandle.current().pid() + ".json"), report.toString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The check a module's failsafe test makes of its suite's reports ({@code target/secret-scan}): they exist, they
     * saw the suite's items and sealed secrets, and no item held a plaintext secret. Fails naming what is wrong.
     */
    public static void assertSuiteLeftNoPlaintext(Path dir) throws IOException {
        Report report = readAll(dir);
        if (report.reports() < 1) {
            throw new AssertionError("no scan report in " + dir + ": run the suite first (mvn verify runs surefire "
                    + "before this)");
        }
        if (report.items() < 100 || report.sealed().size() < 10) {
            throw new AssertionError("the scan saw " + report.items() + " items and " + report.sealed().size()
                    + " sealed secrets: not the suite's");
        }
        if (!report.plaintext().isEmpty()) {
            throw new AssertionError("items holding a plaintext secret (table pk sk attribute): " + report.plaintext());
        }
    }

    /** Every report in {@code dir}, added up (none: zero reports). */
    public static Report readAll(Path dir) throws IOException {
        int reports = 0;
        long tables = 0;
        long items = 0;
        List<String> plaintext = new ArrayList<>();
        List<String> sealed = new ArrayList<>();
        if (Files.isDirectory(dir)) {
            try (Stream<Path> files = Files.list(dir)) {
                for (Path file : files.filter(f -> f.getFileName().toString().endsWith(".json")).toList()) {
                    JsonNode r = JSON.readTree(file.toFile());
                    reports++;
                    tables += r.path("tables").asLong();
                    items += r.path("items").asLong();
                    r.path("plaintext").forEach(p -> plaintext.add(p.asText()));
                    r.path("sealed").forEach(s -> sealed.add(s.asText()));
                }
            }
        }
        return new Report(reports, tables, items, plaintext, sealed);
    }

    /** The value, or any value inside it (lists, maps, sets, binary as text), contains the mark. */
    private static boolean holds(AttributeValue v, String mark) {
        if (v.s() != null) {
            return v.s().contains(mark);
        }
        if (v.b() != null) {
            return new String(v.b().asByteArray(), java.nio.charset.StandardCharsets.ISO_8859_1).contains(mark);
        }
        if (v.hasSs()) {
            return v.ss().stream().anyMatch(s -> s.contains(mark));
        }
        if (v.hasL()) {
            return v.l().stream().anyMatch(e -> holds(e, mark));
        }
        if (v.hasM()) {
            return v.m().values().stream().anyMatch(e -> holds(e, mark));
        }
        return false;
    }

    private static String text(AttributeValue v) {
        return v == null ? "?" : v.s();
    }
}
