package com.connectionkeeper.simulator;

import java.time.Instant;

/**
 * One Connection Portal link from the login endpoint.
 *
 * @param id             the sessionId
 * @param userId         whose portal it is
 * @param reconnect      the connection to repair (reconnect mode), or null to add a new one
 * @param connectionType "read" or "trade", as the login asked
 * @param broker         the brokerage slug the login preselected, or null
 * @param customRedirect where to send the user when done, or null
 * @param expires        when the link stops working
 */
record PortalSession(String id, String userId, String reconnect, String connectionType, String broker,
                     String customRedirect, Instant expires) {
}
