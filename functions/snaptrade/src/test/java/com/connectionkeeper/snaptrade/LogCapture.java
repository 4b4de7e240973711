package com.connectionkeeper.snaptrade;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/** Collects the gateway's log lines. */
final class LogCapture implements Consumer<String> {
    private final List<String> lines = new ArrayList<>();

    @Override
    public synchronized void accept(String line) {
        lines.add(line);
        System.out.println(line);
    }

    synchronized List<String> lines() {
        return List.copyOf(lines);
    }

    synchronized List<String> events(String event) {
        return lines.stream().filter(l -> l.contains("\"event\":\"" + event + "\"")).toList();
    }

    synchronized void clear() {
        lines.clear();
    }
}
