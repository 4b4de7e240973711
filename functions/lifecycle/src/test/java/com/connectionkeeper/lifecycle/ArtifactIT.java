package com.connectionkeeper.lifecycle;

import com.connectionkeeper.testkit.Integration;
import com.connectionkeeper.testkit.LambdaZip;
import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The lifecycle function's zip, where template.yaml points: Lambda's layout, no SnapTrade SDK, no other HTTP clients.
 * It keeps aws-lambda-java-events (the runtime hands the function a DynamodbEvent) and the joda-time it brings.
 */
@Integration
class ArtifactIT {
    @Test
    void theZipIsWhereTheTemplateSaysAndCarriesOnlyWhatTheFunctionUses() throws IOException {
        LambdaZip.assertLayout("lifecycle", "com/connectionkeeper/lifecycle/LifecycleHandler.class",
                List.of("lib/eventbridge-.*\\.jar", "lib/url-connection-client-.*\\.jar"),
                List.of("snaptrade", "okhttp", "gson", "kotlin", "apache-client", "apache5-client", "netty",
                        "testkit", "junit", "jackson-databind"), 12_000_000);
    }
}
