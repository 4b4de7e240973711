package com.connectionkeeper.reminders;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.connectionkeeper.testkit.Integration;
import com.connectionkeeper.testkit.RepoPaths;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.Test;

/**
 * The reminder function's zip, where template.yaml points: Lambda's layout, no SnapTrade SDK, no other HTTP clients.
 * It reads its scheduled event as a map: no event-model library, no joda-time, no EventBridge client.
 */
@Integration
class ArtifactIT {
    private static final Path ZIP = RepoPaths.root().resolve("functions/reminders/target/reminders.zip");

    @Test
    void theZipIsWhereTheTemplateSaysAndCarriesOnlyWhatTheFunctionUses() throws IOException {
        assertTrue(Files.readString(RepoPaths.template())
                .contains("CodeUri: functions/reminders/target/reminders.zip"));
        try (ZipFile zip = new ZipFile(ZIP.toFile())) {
            assertTrue(zip.getEntry("com/connectionkeeper/reminders/ReminderHandler.class") != null,
                    "handler at root");
            assertTrue(zip.stream().anyMatch(e -> e.getName().matches("lib/dynamodb-.*\\.jar")));
            assertTrue(zip.stream().anyMatch(e -> e.getName().matches("lib/url-connection-client-.*\\.jar")));
            List<String> forbidden = zip.stream().map(ZipEntry::getName)
                    .map(n -> n.toLowerCase(Locale.ROOT))
                    .filter(n -> n.startsWith("lib/") && (n.contains("snaptrade") || n.contains("okhttp")
                            || n.contains("gson") || n.contains("kotlin") || n.contains("apache-client")
                            || n.contains("apache5-client") || n.contains("netty") || n.contains("testkit")
                            || n.contains("junit") || n.contains("jackson-databind") || n.contains("aws-lambda-java-events")
                            || n.contains("joda-time") || n.contains("eventbridge")))
                    .toList();
            assertEquals(List.of(), forbidden);
        }
        assertTrue(Files.size(ZIP) <= 8_000_000, "reminders.zip is " + Files.size(ZIP) + " bytes");
    }
}
