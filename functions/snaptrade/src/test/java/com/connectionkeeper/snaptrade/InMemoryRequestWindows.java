package com.connectionkeeper.snaptrade;

import com.connectionkeeper.core.snaptrade.RequestWindows;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * {@link RequestWindows} in memory, with the DynamoDB adapter's semantics (a take on a full or closed window grants
 * nothing; a take that fills it grants the rest), shared by several limiters as by several processes; it can be made
 * unavailable.
 */
class InMemoryRequestWindows implements RequestWindows {
    private final Map<String, Integer> counters = new HashMap<>();
    private final Map<Long, Integer> granted = new HashMap<>();
    private final Set<Long> closed = new HashSet<>();
    private boolean down;
    private int requests;

    @Override
    public synchronized int take(long window, Pool pool, int wanted, int cap) {
        requests++;
        failIfDown();
        String counter = window + "/" + pool;
        int before = counters.getOrDefault(counter, 0);
        if (closed.contains(window) || before >= cap) {
            return 0;
        }
        counters.put(counter, before + wanted);
        int grant = Math.min(wanted, cap - before);
        granted.merge(window, grant, Integer::sum);
        return grant;
    }

    @Override
    public synchronized void close(long from, long to) {
        requests++;
        failIfDown();
        for (long w = from; w <= to; w++) {
            closed.add(w);
        }
    }

    private void failIfDown() {
        if (down) {
            throw new Unavailable("down (test)", null);
        }
    }

    synchronized void down(boolean value) {
        down = value;
    }

    /** Slots granted in the window, from both pools. */
    synchronized int taken(long window) {
        return granted.getOrDefault(window, 0);
    }

    synchronized boolean closed(long window) {
        return closed.contains(window);
    }

    /** Takes and closes asked of it so far. */
    synchronized int requests() {
        return requests;
    }
}
