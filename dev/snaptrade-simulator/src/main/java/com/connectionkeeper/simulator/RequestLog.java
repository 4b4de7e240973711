package com.connectionkeeper.simulator;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Every request received on the SnapTrade API, in arrival order; thread-safe. */
public final class RequestLog {
    private final List<RecordedRequest> requests = new ArrayList<>();

    synchronized void add(RecordedRequest request) {
        requests.add(request);
    }

    public synchronized List<RecordedRequest> all() {
        return List.copyOf(requests);
    }

    public synchronized List<RecordedRequest> of(Endpoint endpoint) {
        return requests.stream().filter(r -> r.endpoint() == endpoint).toList();
    }

    /** The most recent request of {@code endpoint}. */
    public synchronized Optional<RecordedRequest> last(Endpoint endpoint) {
        List<RecordedRequest> matching = of(endpoint);
        return matching.isEmpty() ? Optional.empty() : Optional.of(matching.get(matching.size() - 1));
    }

    public synchronized int count(Endpoint endpoint) {
        return of(endpoint).size();
    }

    public synchronized void clear() {
        requests.clear();
    }
}
