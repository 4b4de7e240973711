package com.connectionkeeper.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.connectionkeeper.core.snaptrade.RequestWindows;
import com.connectionkeeper.core.snaptrade.RequestWindows.Pool;
import com.connectionkeeper.testkit.Dynalite;
import com.connectionkeeper.testkit.Integration;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.retry.RetryPolicy;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** The shared SnapTrade budget's counters on dynalite: one conditional UpdateItem per take, exact grants, closing. */
@Integration
class RequestWindowsTest {
    private static final long K = 850_000_000L;
    private DynamoTable table;
    private DynamoRequestWindows windows;

    @BeforeEach
    void freshTable() {
        table = new DynamoTable(Dynalite.client(), Dynalite.createTable());
        windows = new DynamoRequestWindows(table, "CK-CLIENT", Duration.ofSeconds(2));
    }

    @Test
    void grantsWhatIsLeftBelowTheCapAndNothingOnceFull() {
        assertEquals(5, windows.take(K, Pool.SHARED, 5, 7));
        assertEquals(2, windows.take(K, Pool.SHARED, 5, 7), "the rest of the pool");
        assertEquals(0, windows.take(K, Pool.SHARED, 1, 7), "full");
        assertEquals(1, windows.take(K, Pool.RESERVED, 1, 1), "the other pool is untouched by the overshoot");
        assertEquals(0, windows.take(K, Pool.RESERVED, 1, 1));
        assertEquals(7, windows.take(K + 1, Pool.SHARED, 7, 7), "the next sub-window is its own");
        assertEquals(6, windows.requests(), "one request per take");

        Map<String, AttributeValue> item = table.get(DynamoTable.itemKey("REQUESTS#CK-CLIENT", "W#" + K));
        assertEquals("REQUEST_WINDOW", item.get(Attributes.ENTITY).s());
        assertEquals(Math.floorDiv((K + 1) * 2000, 1000) + 3600, Long.parseLong(item.get(Attributes.EXPIRES_AT).n()),
                "expires (TTL) an hour after its sub-window");
    }

    @Test
    void aClosedSubWindowGrantsNothingToAnyone() {
        windows.take(K, Pool.SHARED, 1, 7);
        windows.close(K, K + 2);
        DynamoRequestWindows otherProcess = new DynamoRequestWindows(table, "CK-CLIENT", Duration.ofSeconds(2));
        for (long k = K; k <= K + 2; k++) {
            assertEquals(0, otherProcess.take(k, Pool.SHARED, 1, 7), "sub-window " + k);
            assertEquals(0, otherProcess.take(k, Pool.RESERVED, 1, 1), "sub-window " + k);
        }
        assertEquals(1, otherProcess.take(K + 3, Pool.SHARED, 1, 7));
        assertEquals(1, new DynamoRequestWindows(table, "OTHER-CLIENT", Duration.ofSeconds(2))
                .take(K, Pool.SHARED, 1, 7), "another client id has its own budget");
    }

    @Test
    void concurrentTakesNeverGrantMoreThanTheCap() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(8);
        List<Future<Integer>> takes = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            takes.add(pool.submit(() -> windows.take(K, Pool.SHARED, 3, 50)));
        }
        int granted = 0;
        for (Future<Integer> take : takes) {
            granted += take.get();
        }
        pool.shutdown();
        assertEquals(50, granted, "40 takes of 3 against a cap of 50: exactly 50 granted");
    }

    @Test
    void anUnreachableTableIsReportedAsUnavailable() {
        DynamoDbClient nowhere = DynamoDbClient.builder().endpointOverride(URI.create("http://127.0.0.1:9"))
                .region(Region.US_EAST_1).httpClient(UrlConnectionHttpClient.create())
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("x", "y")))
                .overrideConfiguration(c -> c.retryPolicy(RetryPolicy.none())).build();
        DynamoRequestWindows down = new DynamoRequestWindows(new DynamoTable(nowhere, "t"), "CK", Duration.ofSeconds(2));
        RequestWindows.Unavailable e = assertThrows(RequestWindows.Unavailable.class,
                () -> down.take(K, Pool.SHARED, 1, 7));
        assertTrue(e.getMessage().startsWith("the shared SnapTrade budget is unavailable"), e.getMessage());
        assertThrows(RequestWindows.Unavailable.class, () -> down.close(K, K));
        assertThrows(IllegalArgumentException.class, () -> windows.take(K, Pool.SHARED, 0, 7));
    }
}
