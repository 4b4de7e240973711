package com.connectionkeeper.snaptrade;

import java.time.Duration;

/** Waits between retries; tests substitute one that records the delays. */
@FunctionalInterface
public interface Sleeper {
    Sleeper SYSTEM = delay -> Thread.sleep(delay.toMillis(), delay.toNanosPart() % 1_000_000);

    void sleep(Duration delay) throws InterruptedException;
}
