package com.connectionkeeper.snaptrade;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** A real sleeper that also records every delay asked of it. */
final class RecordingSleeper implements Sleeper {
    private final List<Duration> delays = new ArrayList<>();

    @Override
    public void sleep(Duration delay) throws InterruptedException {
        synchronized (this) {
            delays.add(delay);
        }
        Sleeper.SYSTEM.sleep(delay);
    }

    synchronized List<Duration> delays() {
        return List.copyOf(delays);
    }
}
