package com.connectionkeeper.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Locale;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipInputStream;

/**
 * Checks of a function's deployment zip (the failsafe tier, after {@code package}): where template.yaml's CodeUri
 * points, Lambda's Java layout (classes at the root, jars in {@code lib/}), the jars it must carry, the ones it must
 * not, and its size.
 */
public final class LambdaZip {
    private LambdaZip() {
    }

    /**
     * Unpacks {@code zip} into {@code dir} as Lambda lays it out (classes at the root, jars in {@code lib/}); an entry
     * that would land outside {@code dir} is refused.
     */
    public static void unpack(Path zip, Path dir) throws IOException {
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
                    Files.copy(entries, target, StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
    }

    /**
     * @param function   the folder under {@code functions/} (the zip is {@code target/<function>.zip})
     * @param handler    the handler class's entry, e.g. {@code com/connectionkeeper/x/XHandler.class}
     * @param required   regular expressions each matching some {@code lib/} entry
     * @param forbidden  lower-case fragments no {@code lib/} entry may contain
     */
    public static void assertLayout(String function, String handler, List<String> required, List<String> forbidden,
                                    long maxBytes) throws IOException {
        Path zip = RepoPaths.root().resolve("functions/" + function + "/target/" + function + ".zip");
        assertTrue(Files.readString(RepoPaths.template())
                .contains("CodeUri: functions/" + function + "/target/" + function + ".zip"), "template's CodeUri");
        try (ZipFile z = new ZipFile(zip.toFile())) {
            assertTrue(z.getEntry(handler) != null, "handler at the zip's root: " + handler);
            for (String pattern : required) {
                assertTrue(z.stream().anyMatch(e -> e.getName().matches(pattern)), "a jar matching " + pattern);
            }
            List<String> found = z.stream().map(ZipEntry::getName).map(n -> n.toLowerCase(Locale.ROOT))
                    .filter(n -> n.startsWith("lib/") && forbidden.stream().anyMatch(n::contains)).toList();
            assertEquals(List.of(), found);
        }
        assertTrue(Files.size(zip) <= maxBytes, function + ".zip is " + Files.size(zip) + " bytes");
    }
}
