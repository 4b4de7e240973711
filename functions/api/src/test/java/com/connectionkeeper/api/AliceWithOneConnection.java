package com.connectionkeeper.api;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/**
 * The fixture of the return-landing tests: a fresh function, table and simulator per test, with alice imported and
 * holding one connection that SnapTrade lists as disabled ({@code !ALPACA:trade}), its id in {@link #c}.
 */
abstract class AliceWithOneConnection {
    LocalApi api;
    String c;

    @BeforeEach
    void start() {
        api = new LocalApi();
        c = api.importedUser("alice", "!ALPACA:trade").get(0);
    }

    @AfterEach
    void stop() {
        api.close();
    }
}
