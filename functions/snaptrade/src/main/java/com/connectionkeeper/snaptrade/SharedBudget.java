package com.connectionkeeper.snaptrade;

import com.connectionkeeper.core.snaptrade.RequestWindows;
import java.util.Objects;
import java.util.function.LongSupplier;

/**
 * Where a gateway takes its slots when the deployment shares one SnapTrade budget: the shared counters, the plan of
 * their caps, the priority of this gateway's calls, and the wall clock the sub-windows are numbered on.
 */
public record SharedBudget(RequestWindows windows, BudgetPlan plan, CallPriority priority, LongSupplier wallMillis) {
    public SharedBudget {
        Objects.requireNonNull(windows, "windows");
        Objects.requireNonNull(plan, "plan");
        Objects.requireNonNull(priority, "priority");
        Objects.requireNonNull(wallMillis, "wallMillis");
    }

    /** On the system clock. */
    public SharedBudget(RequestWindows windows, BudgetPlan plan, CallPriority priority) {
        this(windows, plan, priority, System::currentTimeMillis);
    }
}
