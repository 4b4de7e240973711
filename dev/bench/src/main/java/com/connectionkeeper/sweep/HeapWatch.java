package com.connectionkeeper.sweep;

import com.sun.management.GarbageCollectionNotificationInfo;
import com.sun.management.GcInfo;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import javax.management.Notification;
import javax.management.NotificationEmitter;
import javax.management.NotificationListener;
import javax.management.openmbean.CompositeData;

/**
 * The heap after every garbage collection, from the collectors' notifications: while the watch is open it keeps the
 * number of collections and the largest heap in use right after one (all heap pools summed), for every collection
 * and for full ones alone. {@link #forceGc()} adds a full collection and answers the heap in use after it.
 */
public final class HeapWatch implements NotificationListener {
    private static final long MB = 1024 * 1024;

    private final Set<String> heapPools;
    private final List<GarbageCollectorMXBean> collectors;
    private long delivered;
    private boolean open;
    private long events;
    private long fullEvents;
    private long forcedEvents;
    private long maxAfterAny;
    private long maxAfterFull;
    private final List<Long> forced = new ArrayList<>();

    private HeapWatch() {
        this.heapPools = ManagementFactory.getMemoryPoolMXBeans().stream()
                .filter(p -> p.getType() == MemoryType.HEAP).map(MemoryPoolMXBean::getName)
                .collect(Collectors.toUnmodifiableSet());
        this.collectors = ManagementFactory.getGarbageCollectorMXBeans();
    }

    /** Listens to every collector of this JVM from now on. */
    public static HeapWatch install() {
        HeapWatch watch = new HeapWatch();
        for (GarbageCollectorMXBean gc : watch.collectors) {
            ((NotificationEmitter) gc).addNotificationListener(watch, n -> n.getType()
                    .equals(GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION), null);
        }
        return watch;
    }

    @Override
    public synchronized void handleNotification(Notification notification, Object handback) {
        GarbageCollectionNotificationInfo info = GarbageCollectionNotificationInfo.from(
                (CompositeData) notification.getUserData());
        delivered++;
        notifyAll();
        if (!open) {
            return;
        }
        GcInfo gc = info.getGcInfo();
        long after = gc.getMemoryUsageAfterGc().entrySet().stream()
                .filter(e -> heapPools.contains(e.getKey())).mapToLong(e -> e.getValue().getUsed()).sum();
        events++;
        maxAfterAny = Math.max(maxAfterAny, after);
        if (info.getGcAction().contains("major")) {
            fullEvents++;
            maxAfterFull = Math.max(maxAfterFull, after);
        }
        if (info.getGcCause().equals("System.gc()")) {
            forcedEvents++;
        }
    }

    /** Starts counting, once the notifications of earlier collections have all arrived. */
    public synchronized void open() throws InterruptedException {
        awaitDelivered();
        open = true;
    }

    /** Stops counting, once the notifications of the collections so far have all arrived. */
    public synchronized void close() throws InterruptedException {
        awaitDelivered();
        open = false;
    }

    /** A full collection now; the heap in use right after it (also counted as an event when open). */
    public long forceGc() {
        System.gc();
        long used = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
        synchronized (this) {
            if (open) {
                forced.add(used);
            }
        }
        return used;
    }

    /** Collections whose notification arrived while open. */
    public synchronized long events() {
        return events;
    }

    /** Full collections among them (forced ones included). */
    public synchronized long fullEvents() {
        return fullEvents;
    }

    /** Collections among them caused by {@link #forceGc()}. */
    public synchronized long forcedEvents() {
        return forcedEvents;
    }

    /** Largest heap in use right after any collection while open (bytes). */
    public synchronized long maxAfterAny() {
        return maxAfterAny;
    }

    /** Largest heap in use right after a full collection while open (bytes). */
    public synchronized long maxAfterFull() {
        return maxAfterFull;
    }

    /** The heap in use after each {@link #forceGc()} while open (bytes), in order. */
    public synchronized List<Long> forced() {
        return List.copyOf(forced);
    }

    /** Peak usage of each heap pool since the JVM started (bytes), by pool name. */
    public static Map<String, Long> poolPeaks() {
        Map<String, Long> peaks = new LinkedHashMap<>();
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP) {
                MemoryUsage peak = pool.getPeakUsage();
                peaks.put(pool.getName(), peak == null ? 0 : peak.getUsed());
            }
        }
        return peaks;
    }

    static double mb(long bytes) {
        return bytes / (double) MB;
    }

    /** Waits (at most 10 s) until every collection the collectors counted has been notified to this watch. */
    private void awaitDelivered() throws InterruptedException {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (delivered < collections()) {
            long left = (deadline - System.nanoTime()) / 1_000_000;
            if (left <= 0) {
                throw new IllegalStateException("GC notifications missing: " + delivered + " of " + collections());
            }
            wait(Math.min(left, 50));
        }
    }

    private long collections() {
        return collectors.stream().mapToLong(GarbageCollectorMXBean::getCollectionCount).sum();
    }
}
