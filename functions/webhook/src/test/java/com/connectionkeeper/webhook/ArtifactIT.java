package com.connectionkeeper.webhook;

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
 * The deployment artifact template.yaml points at: Lambda's zip layout, small (≤ 8 MB), free of the SnapTrade SDK,
 * of the event-model library (and the joda-time it brings) and of Jackson (the SDK's own shaded copy aside).
 */
@Integration
class ArtifactIT {
    private static final Path ZIP = RepoPaths.root().resolve("functions/webhook/target/webhook.zip");

    @Test
    void theZipIsWhereTheTemplateSaysAndHasLambdasLayout() throws IOException {
        assertTrue(Files.readString(RepoPaths.template()).contains("CodeUri: functions/webhook/target/webhook.zip"));
        try (ZipFile zip = new ZipFile(ZIP.toFile())) {
            assertTrue(zip.getEntry("com/connectionkeeper/webhook/WebhookHandler.class") != null, "handler at root");
            assertTrue(zip.stream().anyMatch(e -> e.getName().matches("lib/ck-core-.*\\.jar")), "core in lib/");
            assertTrue(zip.stream().anyMatch(e -> e.getName().matches("lib/url-connection-client-.*\\.jar")));
        }
    }

    @Test
    void theZipIsAtMostEightMegabytesAndCarriesNoSnapTradeSdkNorOtherHttpClients() throws IOException {
        assertTrue(Files.size(ZIP) <= 8_000_000, "webhook.zip is " + Files.size(ZIP) + " bytes");
        try (ZipFile zip = new ZipFile(ZIP.toFile())) {
            List<String> forbidden = zip.stream().map(ZipEntry::getName)
                    .map(n -> n.toLowerCase(Locale.ROOT))
                    .filter(n -> n.startsWith("lib/") && (n.contains("okhttp") || n.contains("okio")
                            || n.contains("gson") || n.contains("kotlin") || n.contains("snaptrade")
                            || n.contains("apache-client") || n.contains("apache5-client") || n.contains("netty")
                            || n.contains("httpclient") || n.contains("testkit") || n.contains("junit")
                            // the function reads and writes its event, payload and logs itself: no JSON library
                            // (the AWS SDK's shaded jackson-core is its own, for DynamoDB's protocol)
                            || n.contains("aws-lambda-java-events") || n.contains("joda-time")
                            || n.contains("jackson") && !n.contains("/third-party-jackson-core-")))
                    .toList();
            assertEquals(List.of(), forbidden);
        }
    }
}
