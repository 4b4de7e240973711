package com.connectionkeeper.eventbus;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.connectionkeeper.core.lifecycle.ConnectionEvent;
import com.connectionkeeper.core.lifecycle.EventKind;
import com.connectionkeeper.core.model.ConnectionStatus;
import com.connectionkeeper.core.model.Source;
import com.connectionkeeper.testkit.LoopbackEventBridge;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.core.retry.RetryMode;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;

/** PutEvents as EventBridge answers it (the loopback stub): chunks of 10, partial failures, failed calls. */
class EventBridgePublisherTest {
    private LoopbackEventBridge bus;
    private EventBridgeClient client;
    private final List<Duration> pauses = new ArrayList<>();

    @BeforeEach
    void start() throws Exception {
        bus = new LoopbackEventBridge();
        client = EventBridgeClient.builder()
                .endpointOverride(bus.endpoint())
                .region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local")))
                .httpClient(UrlConnectionHttpClient.create())
                .overrideConfiguration(ClientOverrideConfiguration.builder().retryStrategy(RetryMode.STANDARD).build())
                .build();
    }

    @AfterEach
    void stop() {
        client.close();
        bus.close();
    }

    private EventBridgePublisher publisher() {
        return new EventBridgePublisher(client, "ck-bus", 3, Duration.ofMillis(100), pauses::add);
    }

    static List<ConnectionEvent> events(int n) {
        List<ConnectionEvent> events = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            events.add(new ConnectionEvent("id-" + i, EventKind.CONNECTION_BROKEN,
                    Instant.parse("2026-03-01T10:00:00Z").plusSeconds(i), "user-" + i, "conn-" + i,
                    ConnectionEvent.Brokerage.UNKNOWN, null, ConnectionStatus.ACTIVE, ConnectionStatus.BROKEN,
                    Instant.parse("2026-03-01T09:59:00Z"), Source.SWEEP, Instant.parse("2026-03-01T09:59:00Z"),
                    true));
        }
        return events;
    }

    @Test
    void inOrderAtMostTenPerCall() {
        assertEquals(List.of(), publisher().publish(events(25)));
        assertEquals(List.of(10, 10, 5), bus.calls().stream().map(c -> c.entries().size()).toList());
        List<LoopbackEventBridge.Entry> accepted = bus.accepted();
        assertEquals(25, accepted.size());
        for (int i = 0; i < 25; i++) {
            LoopbackEventBridge.Entry e = accepted.get(i);
            assertEquals("id-" + i, e.detail().get("id").asText());
            assertEquals("connection-keeper", e.source());
            assertEquals("Connection Broken", e.detailType());
            assertEquals("ck-bus", e.busName());
            assertEquals("user-" + i, e.detail().get("data").get("userId").asText());
            assertEquals(Instant.parse("2026-03-01T10:00:00Z").plusSeconds(i), e.time());
        }
        assertEquals(List.of(), pauses);
    }

    @Test
    void retryableEntryFailuresAreSentAgainAlone() {
        bus.failEntries(e -> e.path("Detail").asText().contains("\"id-3\""), 1, "InternalFailure");
        assertEquals(List.of(), publisher().publish(events(12)));
        assertEquals(List.of(10, 1, 2), bus.calls().stream().map(c -> c.entries().size()).toList(),
                "the failed entry again, before the next call");
        assertEquals(12, bus.accepted().size());
        assertEquals("id-3", bus.accepted().get(9).detail().get("id").asText(), "sent again, after its call");
        assertEquals(List.of(Duration.ofMillis(100)), pauses);
    }

    @Test
    void oneEventPerConnectionInACallAndAFailureHoldsBackItsLaterOnes() {
        List<ConnectionEvent> events = new ArrayList<>(events(3)); // user-0/conn-0, user-1/conn-1, user-2/conn-2
        ConnectionEvent first = events.get(0);
        ConnectionEvent later = new ConnectionEvent("id-0-later", EventKind.CONNECTION_FIXED, first.time(),
                first.userId(), first.connectionId(), first.brokerage(), null, ConnectionStatus.BROKEN,
                ConnectionStatus.ACTIVE, first.at(), Source.PORTAL, first.brokenSince(), false);
        events.add(1, later); // conn-0 twice: its fix must wait for its break
        assertEquals(List.of(), publisher().publish(events));
        assertEquals(List.of(3, 1), bus.calls().stream().map(c -> c.entries().size()).toList());
        bus.clear();
        bus.failEntries(e -> e.path("Detail").asText().contains("\"id-0\""), 100, "InternalFailure");
        assertEquals(List.of("id-0", "id-0-later"), publisher().publish(events),
                "the break failed for good: the fix of the same connection is held back, not sent");
        assertEquals(List.of("id-1", "id-2"), bus.accepted().stream().map(e -> e.detail().get("id").asText())
                .toList());
    }

    @Test
    void entriesEventBridgeRefusesAreReturnedNotRetried() {
        bus.failEntries(e -> e.path("Detail").asText().contains("\"id-1\""), 5, "MalformedDetail");
        assertEquals(List.of("id-1"), publisher().publish(events(3)));
        assertEquals(1, bus.calls().size());
        assertEquals(2, bus.accepted().size());
    }

    @Test
    void entriesStillFailingAfterTheLastRoundAreReturned() {
        bus.failEntries(e -> e.path("Detail").asText().contains("\"id-0\""), 100, "ThrottlingException");
        assertEquals(List.of("id-0"), publisher().publish(events(2)));
        assertEquals(3, bus.calls().stream().filter(c -> c.entries().stream()
                .anyMatch(e -> e.path("Detail").asText().contains("\"id-0\""))).count(), "three rounds");
        assertEquals(List.of(Duration.ofMillis(100), Duration.ofMillis(200)), pauses);
    }

    @Test
    void aFailedCallIsSentAgainWhole() {
        bus.failCalls(3, 500, "InternalException"); // the SDK's own three attempts of the first call
        assertEquals(List.of(), publisher().publish(events(4)));
        assertEquals(4, bus.accepted().size());
        assertTrue(bus.calls().size() >= 4, "the SDK's attempts, then ours: " + bus.calls().size());
    }

    @Test
    void aBusThatStaysDownLosesNothingSilently() {
        bus.failCalls(1000, 503, "ServiceUnavailable");
        List<String> failed = publisher().publish(events(11));
        assertEquals(events(11).stream().map(ConnectionEvent::id).toList(), failed);
        assertEquals(List.of(), bus.accepted());
    }
}
