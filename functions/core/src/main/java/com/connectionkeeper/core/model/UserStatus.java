package com.connectionkeeper.core.model;

/** A SnapTrade user as far as we know: registered, or deleted (with all its connections). */
public enum UserStatus { ACTIVE, DELETED }
