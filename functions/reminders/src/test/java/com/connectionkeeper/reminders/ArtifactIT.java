package com.connectionkeeper.reminders;

import com.connectionkeeper.testkit.Integration;
import com.connectionkeeper.testkit.LambdaZip;
import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The reminder function's zip, where template.yaml points: Lambda's layout, no SnapTrade SDK, no other HTTP clients.
 * It reads its scheduled event as a map: no event-model library, no joda-time, no EventBridge client.
 */
@Integration
class ArtifactIT {
    @Test
    void theZipIsWhereTheTemplateSaysAndCarriesOnlyWhatTheFunctionUses() throws IOException {
        LambdaZip.assertLayout("reminders", "com/connectionkeeper/reminders/ReminderHandler.class",
                List.of("lib/dynamodb-.*\\.jar", "lib/url-connection-client-.*\\.jar"),
                List.of("snaptrade", "okhttp", "gson", "kotlin", "apache-client", "apache5-client", "netty",
                        "testkit", "junit", "jackson-databind", "aws-lambda-java-events", "joda-time",
                        "eventbridge"), 8_000_000);
    }
}
