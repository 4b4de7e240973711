package com.connectionkeeper.simulator;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.function.Executable;

/** Test helpers: a refusal that names what was wrong, and numbered users to seed in bulk. */
final class Refusals {
    private Refusals() {
    }

    /** {@code call} throws {@link IllegalArgumentException} whose message holds every one of {@code parts}. */
    static void assertRefused(Executable call, String... parts) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
        for (String part : parts) {
            assertTrue(e.getMessage().contains(part), e.getMessage());
        }
    }

    /** {@code user-0} … {@code user-<count-1>}, each with a read connection to every brokerage named. */
    static List<UserSeed> numberedUsers(int count, String... brokerages) {
        List<UserSeed> seeds = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            seeds.add(UserSeed.of("user-" + i, brokerages));
        }
        return seeds;
    }
}
