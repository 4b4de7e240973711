package com.connectionkeeper.store;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.connectionkeeper.core.model.Watermark;
import com.connectionkeeper.core.model.Source;
import com.connectionkeeper.core.secrets.LocalSealer;
import com.connectionkeeper.core.sweep.CheckSchedule;
import com.connectionkeeper.core.sweep.ScheduleSource;
import com.connectionkeeper.core.sweep.SweepPlanner;
import com.connectionkeeper.core.sweep.SweepQueue;
import com.connectionkeeper.testkit.Dynalite;
import com.connectionkeeper.testkit.Integration;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Review of issue 15: users out of the sweep (secret rejected and flagged, or deleted) leave the sweep order; they must
 * leave the due order (ByDue) too, or the likely-to-break-first plan keeps taking them.
 */
@Integration
class DueOrderStalenessReviewTest {
    private static final Instant T = Instant.parse("2026-03-01T12:00:00Z");
    private DynamoStores stores;
    private SweepQueue queue;

    @BeforeEach
    void freshTable() {
        stores = DynamoStores.create(Dynalite.client(), Dynalite.createTable(), Duration.ofDays(1),
                LocalSealer.ephemeral());
        queue = stores.sweepQueue();
    }

    private SweepPlanner likelyFirst(Instant now) {
        DynamoLifetimes lifetimes = new DynamoLifetimes(stores.table());
        lifetimes.recordLifetime("B", Duration.ofDays(7)); // some history: the due order is in force
        ScheduleSource schedules = new ScheduleSource(lifetimes, CheckSchedule.Settings.DEFAULT,
                Clock.fixed(now, ZoneOffset.UTC), Duration.ofMinutes(10));
        return new SweepPlanner(queue, schedules);
    }

    @Test
    void aUserFlaggedAfterAVerificationIsNotPlannedByItsOldDueTime() {
        stores.secrets().saveUserSecret("ok", "secret-ok");
        stores.secrets().saveUserSecret("flagged", "secret-f");
        queue.markVerified("ok", T, T.plus(Duration.ofHours(6)));
        queue.markVerified("flagged", T, T.plus(Duration.ofHours(1)));
        String version = stores.secrets().heldSecret("flagged").orElseThrow().version();
        // the next check: SnapTrade rejected its secret, the run believed it (UserSweep.confirm -> flagUser)
        stores.secrets().flagUser("flagged", "CREDENTIALS_REJECTED", T.plus(Duration.ofHours(1)), version);
        assertFalse(queue.usersInSweepOrder().anyMatch(e -> e.userId().equals("flagged")), "out of the sweep order");

        Instant now = T.plus(Duration.ofMinutes(90)); // its flagged recheck is at T+2h; min interval (10 min) passed
        List<String> plan = likelyFirst(now).plan(10, now);
        assertTrue(plan.contains("ok"), plan.toString());
        assertFalse(plan.contains("flagged"), "a flagged user is rechecked on its own backoff, not by ByDue: " + plan);
    }

    @Test
    void aDeletedUserLeavesTheDueOrder() {
        stores.secrets().saveUserSecret("gone", "secret-g");
        queue.markVerified("gone", T, T.plus(Duration.ofHours(1)));
        stores.connections().applyUserDeletion("gone", Watermark.of(T.plusSeconds(60), 6, "wh-del"),
                T.plusSeconds(60), Source.WEBHOOK);
        assertFalse(queue.usersInDueOrder().anyMatch(e -> e.userId().equals("gone")), "deleted: out of ByDue");
    }
}
