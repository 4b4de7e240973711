package com.connectionkeeper.snaptrade;

import com.connectionkeeper.simulator.RecordedRequest;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/** Reads the simulator's request log for the rate limit: requests answered 429, and the busiest rolling window. */
final class WindowCheck {
    private WindowCheck() {
    }

    static long throttled(List<RecordedRequest> requests) {
        return requests.stream().filter(r -> r.status() == 429).count();
    }

    /** The most requests the simulator accepted in any span shorter than {@code window}. */
    static int busiestWindow(List<RecordedRequest> requests, Duration window) {
        List<Instant> times = requests.stream().filter(r -> r.status() != 429).map(RecordedRequest::received)
                .sorted().toList();
        int busiest = 0;
        int first = 0;
        for (int last = 0; last < times.size(); last++) {
            while (Duration.between(times.get(first), times.get(last)).compareTo(window) >= 0) {
                first++;
            }
            busiest = Math.max(busiest, last - first + 1);
        }
        return busiest;
    }
}
