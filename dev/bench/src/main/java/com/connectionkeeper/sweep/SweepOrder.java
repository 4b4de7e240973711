package com.connectionkeeper.sweep;

import com.connectionkeeper.core.sweep.CheckSchedule;
import java.util.List;

/**
 * The order in which a simulated sweep checks users (by index, 0 to N − 1), for the detection bench: each run asks
 * for up to its capacity of users, checks them, and reports each check with what the check left known about the
 * user's connections. Users with a known BROKEN connection are not set apart: the planner's broken list is left out
 * of the simulation (every fix arrives as a CONNECTION_FIXED webhook there), and such a user stays in the order for its
 * other connections.
 */
interface SweepOrder {
    /**
     * The distinct users the run at {@code now} checks, at most {@code capacity}, in order; {@code nextRun} is when
     * the next run starts (epoch seconds both).
     */
    int[] next(int capacity, long now, long nextRun);

    /** {@code user} was checked at {@code at}; {@code seen} is its connections as known after the check. */
    void checked(int user, long at, List<CheckSchedule.Connection> seen);
}
