package com.connectionkeeper.store;

import static com.connectionkeeper.store.Attributes.CLOSED;
import static com.connectionkeeper.store.Attributes.ENTITY;
import static com.connectionkeeper.store.Attributes.EXPIRES_AT;
import static com.connectionkeeper.store.Attributes.REQUEST_WINDOW_ENTITY;
import static com.connectionkeeper.store.Attributes.RESERVED_TAKEN;
import static com.connectionkeeper.store.Attributes.TAKEN;

import com.connectionkeeper.core.snaptrade.RequestWindows;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemResponse;

/**
 * The DynamoDB adapter of {@link RequestWindows}: one item per client id and sub-window,
 * {@code pk = REQUESTS#<clientId>}, {@code sk = W#<window>}, holding the slots taken from each pool
 * ({@code taken}, {@code reservedTaken}) and, once closed, why.
 * A take is one conditional {@code UpdateItem} that ADDs the slots wanted when the window is open and not full, and
 * reads the new count back: the slots granted are those below the cap (the count may pass the cap by the last take's
 * excess; the window is then full, which is what it is). A refused condition is a full or closed window. Items expire
 * (TTL) an hour after their window.
 */
public final class DynamoRequestWindows implements RequestWindows {
    /** How long a window's item outlives the window (DynamoDB's TTL removes it later). */
    static final Duration KEEP = Duration.ofHours(1);
    private static final String PAUSED = "paused";

    private final DynamoTable table;
    private final String partition;
    private final long windowMillis;
    private final AtomicLong requests = new AtomicLong();

    /**
     * @param clientId the SnapTrade client id whose budget this is (every process of the deployment names the same)
     * @param window   the length of one sub-window (for the items' expiry)
     */
    public DynamoRequestWindows(DynamoTable table, String clientId, Duration window) {
        this.table = table;
        this.partition = Keys.requestsPartition(clientId);
        this.windowMillis = window.toMillis();
        if (windowMillis < 1) {
            throw new IllegalArgumentException("window must be at least 1 ms");
        }
    }

    @Override
    public int take(long window, Pool pool, int wanted, int cap) {
        if (wanted < 1 || cap < 1) {
            throw new IllegalArgumentException("wanted and cap must be >= 1");
        }
        String counter = pool == Pool.SHARED ? TAKEN : RESERVED_TAKEN;
        UpdateBuilder u = base(window).add(counter, AttributeValue.fromN(Integer.toString(wanted)));
        String taken = u.name(counter);
        u.when("attribute_not_exists(" + u.name(CLOSED) + ") AND (attribute_not_exists(" + taken + ") OR " + taken
                + " < " + u.value(AttributeValue.fromN(Integer.toString(cap))) + ")");
        Optional<UpdateItemResponse> response = call(() -> table.update(u, key(window), ReturnValue.UPDATED_NEW));
        if (response.isEmpty()) {
            return 0; // closed, or full
        }
        int after = Integer.parseInt(response.get().attributes().get(counter).n());
        return Math.max(0, Math.min(wanted, cap - (after - wanted)));
    }

    @Override
    public void close(long from, long to) {
        if (to < from) {
            return;
        }
        // the window in progress keeps its counts (an update); the later ones, written whole in batches of 25, may
        // lose a count taken early (a clock ahead) — harmless, nothing more is taken from a closed window
        call(() -> table.write(base(from).set(CLOSED, PAUSED), key(from), ReturnValue.NONE));
        List<Map<String, AttributeValue>> later = new ArrayList<>();
        for (long w = from + 1; w <= to; w++) {
            Map<String, AttributeValue> item = new HashMap<>(key(w));
            item.put(ENTITY, AttributeValue.fromS(REQUEST_WINDOW_ENTITY));
            item.put(EXPIRES_AT, AttributeValue.fromN(Long.toString(expiry(w))));
            item.put(CLOSED, AttributeValue.fromS(PAUSED));
            later.add(item);
        }
        if (!later.isEmpty()) {
            call(() -> {
                table.writeAll(later, List.of());
                return null;
            });
        }
    }

    /** DynamoDB requests made so far (the limiter's own cost, for the benchmark). */
    public long requests() {
        return requests.get();
    }

    private UpdateBuilder base(long window) {
        return new UpdateBuilder().set(ENTITY, REQUEST_WINDOW_ENTITY)
                .set(EXPIRES_AT, AttributeValue.fromN(Long.toString(expiry(window))));
    }

    private long expiry(long window) {
        return Math.floorDiv((window + 1) * windowMillis, 1000) + KEEP.toSeconds();
    }

    private Map<String, AttributeValue> key(long window) {
        return DynamoTable.itemKey(partition, Keys.requestWindow(window));
    }

    private <T> T call(java.util.function.Supplier<T> request) {
        requests.incrementAndGet();
        try {
            return request.get();
        } catch (RuntimeException e) { // SdkException, or a batch DynamoDB left unprocessed
            throw new Unavailable("the shared SnapTrade budget is unavailable: " + e.getClass().getSimpleName(), e);
        }
    }
}
