package com.connectionkeeper.snaptrade;

/** Whose turn comes first when the shared SnapTrade budget is short. */
public enum CallPriority {
    /** A user is waiting (reconnect links, landings, imports): takes a slot before any background call. */
    INTERACTIVE,
    /** The sweep: spends what interactive calls leave, and the slots reserved for them late in a sub-window. */
    BACKGROUND
}
