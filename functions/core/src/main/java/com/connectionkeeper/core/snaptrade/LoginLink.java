package com.connectionkeeper.core.snaptrade;

/** A Connection Portal link from SnapTrade's login endpoint (valid about five minutes). */
public record LoginLink(String redirectUri, String sessionId) {
}
