package com.connectionkeeper.core.domain;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Chooses whom one sweep run checks. The sweep works in passes: every user is verified exactly once per pass, so
 * with N users and C checks per run a pass takes ceil(N / C) runs and no user starves. Within a pass the order is:
 * users with a BROKEN connection (oldest break first, to catch fixes), users with a connection flagged for
 * verification, users never verified, then the least recently verified. Everything is read page by page from the
 * table's indexes; nothing proportional to the number of users is held.
 */
public final class SweepPlanner {
    private final SweepQueue queue;

    public SweepPlanner(SweepQueue queue) {
        this.queue = queue;
    }

    /** At most {@code capacity} distinct users, in the order to check them. */
    public List<String> plan(int capacity, Instant now) {
        Instant pass = currentPass(now);
        Set<String> chosen = new LinkedHashSet<>();
        takePriority(queue.usersWithBrokenConnections(), pass, capacity, chosen);
        takePriority(queue.usersWithFlaggedConnections(), pass, capacity, chosen);
        try (Stream<SweepQueue.SweepEntry> order = queue.usersInSweepOrder()) {
            Iterator<SweepQueue.SweepEntry> it = order.iterator();
            while (chosen.size() < capacity && it.hasNext()) {
                SweepQueue.SweepEntry e = it.next();
                if (!dueIn(e.lastVerified(), pass)) {
                    break; // the order is by last verification: everyone after this one is done too
                }
                chosen.add(e.userId());
            }
        }
        return new ArrayList<>(chosen);
    }

    /** The pass in progress, or a new one when every user has been verified since the last began. */
    private Instant currentPass(Instant now) {
        Optional<Instant> pass = queue.passStart();
        boolean someoneDue;
        try (Stream<SweepQueue.SweepEntry> order = queue.usersInSweepOrder()) {
            someoneDue = order.findFirst().map(e -> pass.isEmpty() || dueIn(e.lastVerified(), pass.get()))
                    .orElse(false);
        }
        if (pass.isPresent() && someoneDue) {
            return pass.get();
        }
        queue.startPass(now);
        return now;
    }

    private void takePriority(Stream<String> users, Instant pass, int capacity, Set<String> chosen) {
        try (users) {
            Iterator<String> it = users.iterator();
            while (chosen.size() < capacity && it.hasNext()) {
                String user = it.next();
                if (!chosen.contains(user) && dueIn(queue.lastVerified(user).orElse(null), pass)) {
                    chosen.add(user);
                }
            }
        }
    }

    private static boolean dueIn(Instant lastVerified, Instant pass) {
        return lastVerified == null || lastVerified.isBefore(pass);
    }
}
