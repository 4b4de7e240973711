package com.connectionkeeper.sweep;

import com.connectionkeeper.core.sweep.CheckSchedule;
import java.util.List;

/**
 * Today's sweep order: least recently checked first. Every check comes from this order, so it is a rotation: the users
 * taken go to the back of the line in the order they were checked.
 */
final class LeastRecentlyCheckedOrder implements SweepOrder {
    private final int[] line;
    private int head;

    /** The users, least recently checked first. */
    LeastRecentlyCheckedOrder(int[] leastRecentFirst) {
        this.line = leastRecentFirst.clone();
    }

    @Override
    public int[] next(int capacity, long now, long nextRun) {
        int[] taken = new int[Math.min(capacity, line.length)];
        for (int i = 0; i < taken.length; i++) {
            taken[i] = line[head];
            head = (head + 1) % line.length;
        }
        return taken;
    }

    @Override
    public void checked(int user, long at, List<CheckSchedule.Connection> seen) {
        // the rotation already put the user at the back
    }
}
