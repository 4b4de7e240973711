package com.connectionkeeper.testkit;

import org.junit.platform.launcher.LauncherSession;
import org.junit.platform.launcher.LauncherSessionListener;

/**
 * Ends the shared dynalite with the test session (after every engine, Jupiter and jqwik alike, has run): its tables are
 * scanned for plaintext secrets first when {@link SecretScan} is enabled. Registered through ServiceLoader.
 */
public final class DynaliteSession implements LauncherSessionListener {
    /** A new session starts from no report: what an earlier build left is not this build's finding. */
    @Override
    public void launcherSessionOpened(LauncherSession session) {
        SecretScan.clearIfEnabled();
    }

    @Override
    public void launcherSessionClosed(LauncherSession session) {
        Dynalite.stopShared();
    }
}
