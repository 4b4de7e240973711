package com.connectionkeeper.testkit;

/** A JVM that starts the shared dynalite, says so, and waits to be killed (see DynaliteTest). */
final class DynaliteChildJvm {

    static final String READY = "dynalite started";

    private DynaliteChildJvm() {
    }

    public static void main(String[] args) throws InterruptedException {
        Dynalite.server();
        System.out.println(READY);
        System.out.flush();
        Thread.sleep(60_000);
    }
}
