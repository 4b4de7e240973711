package com.connectionkeeper.webhook;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.connectionkeeper.core.config.Config;
import com.connectionkeeper.core.ingest.WebhookIngestion;
import com.connectionkeeper.core.runtime.Entropy;
import com.connectionkeeper.store.DynamoConnectionStore;
import com.connectionkeeper.store.DynamoTable;
import com.connectionkeeper.testkit.Dynalite;
import com.connectionkeeper.testkit.Fixtures;
import com.connectionkeeper.testkit.HttpApiInvoker;
import com.connectionkeeper.testkit.Integration;
import com.connectionkeeper.testkit.RecordingDynamo;
import com.connectionkeeper.testkit.MutableClock;
import com.connectionkeeper.testkit.StdoutCapture;
import java.io.IOException;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.GetItemRequest;
import software.amazon.awssdk.services.dynamodb.model.ScanRequest;

/**
 * The webhook's SnapStart hooks, called directly (no CRaC JVM here): priming runs a sample webhook through everything
 * but the write, reads only an item nothing writes, counts no metric; a restore reads the secrets again at once (the
 * snapshot's key may have been rotated since) and re-seeds randomness.
 */
@Integration
class WebhookSnapStartTest {
    private final MutableClock clock = new MutableClock();
    private final RotatingKey secret = new RotatingKey(LocalWebhook.LOCAL_CONSUMER_KEY);
    private final String table = Dynalite.createTable();
    private final List<Object> requests = new ArrayList<>();

    private Config config() {
        return config(table);
    }

    private Config config(String tableName) {
        return secret.config(tableName, clock);
    }

    /** The production wiring, over a client that records every request it sends. */
    private WebhookHandler recordedHandler(Config config) {
        DynamoDbClient recording = RecordingDynamo.client(requests);
        DynamoConnectionStore store = new DynamoConnectionStore(new DynamoTable(recording, table), Duration.ofDays(1));
        return new WebhookHandler(new WebhookEndpoint(new WebhookKeys(config),
                new WebhookIngestion(store, clock), "ConnectionKeeper/test", store::primeRead));
    }

    private int status(WebhookHandler handler, String fixture) throws IOException {
        return HttpApiInvoker.invoke(handler, Files.readAllBytes(Fixtures.path(fixture)), null).getStatusCode();
    }

    private List<Map<String, AttributeValue>> everything() {
        return Dynalite.client().scan(ScanRequest.builder().tableName(table).consistentRead(true).build()).items();
    }

    @Test
    void primingRunsTheHotPathButWritesNothingReadsNoOnesDataAndCountsNoMetric() throws IOException {
        WebhookHandler handler = recordedHandler(config());
        assertEquals(200, status(handler, "webhook-lifecycle-1-connection-added.json"));
        assertEquals(200, status(handler, "webhook-lifecycle-2-connection-broken.json"));
        List<Map<String, AttributeValue>> before = everything();
        requests.clear();

        WebhookEndpoint.Priming primed;
        List<String> logged;
        try (StdoutCapture out = new StdoutCapture()) {
            primed = handler.prime();
            logged = out.lines();
        }

        assertEquals(new WebhookEndpoint.Priming(true, true, true), primed,
                "verified with the key in force, parsed, and the priming read answered with no item");
        assertEquals(before, everything(), "priming wrote nothing");
        assertEquals(1, requests.size(), "one request: " + requests);
        GetItemRequest read = (GetItemRequest) requests.get(0);
        assertEquals("PRIMING", read.key().get("pk").s(), "an item nothing writes, outside every user's partition");
        assertEquals(1, logged.size(), logged.toString());
        assertTrue(logged.get(0).contains("\"event\":\"snapstart_primed\""), logged.get(0));
        assertFalse(logged.get(0).contains("_aws"), "no metric: no webhook arrived");
        assertFalse(logged.get(0).contains(LocalWebhook.LOCAL_CONSUMER_KEY), "the key is never logged");
    }

    @Test
    void primingFromTheLambdaWiringUsesItsOwnTable() throws IOException {
        WebhookHandler handler = new WebhookHandler(WebhookEndpoint.fromConfig(config()));
        assertEquals(new WebhookEndpoint.Priming(true, true, true), handler.prime());
        assertEquals(List.of(), everything(), "nothing written");
    }

    @Test
    void aRestoreMakesTheFirstWebhookReadTheSecretsAgain() throws IOException {
        WebhookHandler handler = recordedHandler(config());
        handler.prime();
        assertEquals(1, secret.reads.get(), "read at init");

        secret.key = "the-key-after-the-rotation"; // rotated while the snapshot waited
        handler.afterRestore(null);
        assertEquals(1, secret.reads.get(), "no network call in the restore hook (Lambda allows it 10 s)");

        assertEquals(401, status(handler, "webhook-connection-broken.json"),
                "the snapshot's key is no longer accepted: the first webhook read the secrets again");
        assertEquals(2, secret.reads.get(), "read once, though the TTL and the 30 s have not passed; the rejection right "
                + "after that read does not read again");
    }

    @Test
    void withoutTheRestoreHookTheSnapshotsKeyWouldBeUsed() throws IOException {
        WebhookHandler handler = recordedHandler(config());
        secret.key = "the-key-after-the-rotation";
        assertEquals(200, status(handler, "webhook-connection-broken.json"), "the key read at init, still held");
        assertEquals(1, secret.reads.get());
    }

    @Test
    void aRestoreReseedsRandomness() {
        long before = Entropy.generation();
        recordedHandler(config()).afterRestore(null);
        assertEquals(before + 1, Entropy.generation());
    }

    @Test
    void primingThatFailsIsLoggedAndDoesNotFailTheSnapshot() throws IOException {
        String missing = "no-such-table-" + System.nanoTime(); // a table the priming read cannot find
        WebhookHandler handler = new WebhookHandler(WebhookEndpoint.fromConfig(config(missing)));
        // Lambda fails the version when the hook throws
        List<String> logged = StdoutCapture.linesOf(() -> handler.beforeCheckpoint(null));
        assertTrue(logged.stream().anyMatch(l -> l.contains("\"event\":\"snapstart_priming_failed\"")
                && l.contains("\"step\":\"store\"")), logged.toString());
        assertEquals(new WebhookEndpoint.Priming(true, true, false), handler.prime(), "the rest was primed");
    }
}
