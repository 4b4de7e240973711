package com.connectionkeeper.lifecycle;

import com.amazonaws.services.lambda.runtime.events.DynamodbEvent;
import com.amazonaws.services.lambda.runtime.events.StreamsEventResponse;
import com.amazonaws.services.lambda.runtime.tests.EventLoader;
import com.connectionkeeper.bench.BenchOutput;
import com.connectionkeeper.bench.Targets;
import com.connectionkeeper.core.incidents.IncidentRules;
import com.connectionkeeper.core.incidents.IncidentWatch;
import com.connectionkeeper.core.lifecycle.Announcer;
import com.connectionkeeper.eventbus.EventBridgePublisher;
import com.connectionkeeper.store.DynamoIncidentStore;
import com.connectionkeeper.store.DynamoPublishedMarks;
import com.connectionkeeper.store.DynamoTable;
import com.connectionkeeper.testkit.Dynalite;
import com.connectionkeeper.testkit.LoopbackEventBridge;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;

/**
 * On-demand benchmark (not a test): the stream handler's counts. 200 batches of 100 records (Lambda's BatchSize),
 * each a seeded mix of status transitions (a break of a distinct connection, from events/) and writes that change
 * no status (the no-transition fixture's five kinds), through the real handler and publisher to the loopback
 * EventBridge. Targets: events per transition record = 1, per other record = 0, PutEvents calls per batch ≤
 * ceil(events / 10). The handler is wired as in Lambda, its published marks and incident watch on dynalite (the
 * breaks, all at one brokerage, also make it suspect an incident: marking adds no event). Writes
 * dev/bench/lifecycle-results.md.
 */
public final class LifecycleBench {
    private static final int BATCHES = BenchOutput.pick(200, 20);
    private static final int BATCH_SIZE = 100;

    private LifecycleBench() {
    }

    public static void main(String[] args) throws Exception {
        Path root = Path.of(System.getProperty("ck.root", "."));
        Path events = root.resolve("events");
        DynamodbEvent broken = EventLoader.loadDynamoDbEvent(events.resolve("stream-connection-broken.json").toString());
        Random random = new Random(42);
        long transitions = 0;
        long others = 0;
        long published = 0;
        long fromTransitions = 0;
        long fromOthers = 0;
        long calls = 0;
        long callsBound = 0;
        long batchesOverBound = 0;
        long failures = 0;
        try (LoopbackEventBridge bus = new LoopbackEventBridge();
             EventBridgeClient client = EventBridgeClient.builder().endpointOverride(bus.endpoint())
                     .region(Region.US_EAST_1).httpClient(UrlConnectionHttpClient.create())
                     .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("l", "l")))
                     .build()) {
            // wired as in Lambda: the published marks and the incident watch over a table (dynalite)
            DynamoTable table = new DynamoTable(Dynalite.client(), Dynalite.createTable());
            IncidentRules rules = IncidentRules.defaults();
            LifecycleHandler handler = new LifecycleHandler(new Announcer(
                    new EventBridgePublisher(client, "ck-bench", 3, Duration.ZERO, d -> { }),
                    new DynamoPublishedMarks(table, Clock.systemUTC())),
                    new IncidentWatch(new DynamoIncidentStore(table, rules.breakRetention()), rules),
                    Clock.systemUTC());
            int sequence = 0;
            for (int b = 0; b < BATCHES; b++) {
                List<DynamodbEvent.DynamodbStreamRecord> records = new ArrayList<>(BATCH_SIZE);
                int batchTransitions = 0;
                java.util.Set<String> transitionConnections = new java.util.HashSet<>();
                while (records.size() < BATCH_SIZE) {
                    if (random.nextInt(100) < 30) {
                        DynamodbEvent.DynamodbStreamRecord r = EventLoader.loadDynamoDbEvent(
                                events.resolve("stream-connection-broken.json").toString()).getRecords().get(0);
                        String connection = "conn-" + b + "-" + records.size();
                        r.getDynamodb().getNewImage().get("connectionId").setS(connection);
                        r.getDynamodb().getOldImage().get("connectionId").setS(connection);
                        r.getDynamodb().setSequenceNumber(Integer.toString(++sequence));
                        records.add(r);
                        transitionConnections.add(connection);
                        batchTransitions++;
                    } else {
                        List<DynamodbEvent.DynamodbStreamRecord> same = EventLoader.loadDynamoDbEvent(
                                events.resolve("stream-no-transition.json").toString()).getRecords();
                        DynamodbEvent.DynamodbStreamRecord r = same.get(random.nextInt(same.size()));
                        r.getDynamodb().setSequenceNumber(Integer.toString(++sequence));
                        records.add(r);
                    }
                }
                DynamodbEvent batch = new DynamodbEvent();
                batch.setRecords(records);
                int callsBefore = bus.calls().size();
                int acceptedBefore = bus.accepted().size();
                StreamsEventResponse response = handler.handleRequest(batch, null);
                failures += response.getBatchItemFailures().size();
                int batchEvents = bus.accepted().size() - acceptedBefore;
                for (LoopbackEventBridge.Entry e : bus.accepted().subList(acceptedBefore, bus.accepted().size())) {
                    if (transitionConnections.contains(e.detail().path("data").path("connectionId").asText())) {
                        fromTransitions++;
                    } else {
                        fromOthers++;
                    }
                }
                int batchCalls = bus.calls().size() - callsBefore;
                long bound = (batchEvents + 9) / 10;
                if (batchCalls > bound) {
                    batchesOverBound++;
                }
                transitions += batchTransitions;
                others += BATCH_SIZE - batchTransitions;
                published += batchEvents;
                calls += batchCalls;
                callsBound += bound;
            }
        }
        String md = String.format(Locale.ROOT, """
                # Lifecycle stream handler benchmark

                Written by `dev/bench/run.sh lifecycle` on %s: %d batches of %d stream records (Lambda's BatchSize),
                a seeded mix (30 %% status transitions — a break of a distinct connection — and 70 %% writes that
                change no status, from `events/stream-no-transition.json`), through `LifecycleHandler` and
                `EventBridgePublisher` to the loopback EventBridge, with the published marks and the incident watch
                on dynalite as in Lambda.

                | records | status transitions | other writes | events published | events per transition | events per other write | PutEvents calls | ceil(events / 10), summed over batches | batches over the bound | batch item failures |
                |---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|
                | %,d | %,d | %,d | %,d | **%.3f** | **%.3f** | %,d | %,d | **%d** | %d |
                """, Instant.now(), BATCHES, BATCH_SIZE, transitions + others, transitions, others, published,
                (double) fromTransitions / transitions, (double) fromOthers / others, calls, callsBound,
                batchesOverBound, failures);
        Path out = BenchOutput.results(Targets.BenchId.LIFECYCLE.results());
        Files.writeString(out, md, StandardCharsets.UTF_8);
        BenchOutput.figures(Targets.BenchId.LIFECYCLE.id(), Map.of(
                "eventsPerTransition", String.format(Locale.ROOT, "%.6f", (double) fromTransitions / transitions),
                "eventsPerTransition.text", String.format(Locale.ROOT, "**%.3f** (%,d events for %,d transitions)",
                        (double) fromTransitions / transitions, fromTransitions, transitions),
                "eventsPerOther", String.format(Locale.ROOT, "%.6f", (double) fromOthers / others),
                "eventsPerOther.text", String.format(Locale.ROOT, "**%.3f** (%,d records)",
                        (double) fromOthers / others, others),
                "batchesOverBound", batchesOverBound,
                "batchesOverBound.text", String.format(Locale.ROOT, "**%d** of %d batches of %d (%,d PutEvents calls, "
                        + "bound %,d)", batchesOverBound, BATCHES, BATCH_SIZE, calls, callsBound)));
        System.out.println(md);
        System.out.println("written to " + out);
        if (published != transitions) {
            System.err.println("events published (" + published + ") differ from transitions (" + transitions + ")");
        }
    }
}
