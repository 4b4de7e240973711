package com.connectionkeeper.core.model;

/** Where a SnapTrade connection (brokerage authorization) stands as far as we know. */
public enum ConnectionStatus {
    ACTIVE,
    /** SnapTrade reports it disabled: the user must reconnect it through the portal in reconnect mode. */
    BROKEN,
    DELETED
}
