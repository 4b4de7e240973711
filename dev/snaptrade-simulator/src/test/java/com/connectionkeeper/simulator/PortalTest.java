package com.connectionkeeper.simulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.connectionkeeper.testkit.Integration;
import com.connectionkeeper.testkit.MutableClock;
import com.snaptrade.client.ApiException;
import com.snaptrade.client.Snaptrade;
import com.snaptrade.client.api.AuthenticationApi;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The Connection Portal: reconnect repairs the same connection, a normal session adds one, failures change nothing. */
@Integration
class PortalTest {
    private static final String BACK = "https://app.example/snaptrade/return";
    private static final HttpClient BROWSER = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();

    private final MutableClock clock = new MutableClock();
    private SpecCheckedSimulator checked;
    private SnapTradeSimulator sim;
    private Snaptrade sdk;
    private String secret;
    private String broken;

    @BeforeEach
    void start() throws IOException {
        checked = new SpecCheckedSimulator(Sdk.config().clock(clock).build());
        sim = checked.sim;
        sdk = Sdk.client(sim);
        secret = sim.control().seedUser("alice");
        broken = sim.control().addConnection("alice", "ALPACA", "trade");
        sim.control().breakConnection(broken);
    }

    @AfterEach
    void stop() {
        checked.close();
    }

    @Test
    void theReconnectPageIsAForm() throws Exception {
        HttpResponse<String> page = get(reconnectLink("trade"));
        assertEquals(200, page.statusCode());
        assertTrue(page.body().contains("<form method=\"post\">"), page.body());
        assertTrue(page.body().contains(broken), page.body());
        assertTrue(page.body().contains("DIFFERENT_ACCOUNT"), page.body());
    }

    @Test
    void aReconnectFixesTheSameConnection() throws Exception {
        HttpResponse<String> back = post(reconnectLink("trade"), "outcome=SUCCESS");
        assertEquals(302, back.statusCode());
        assertEquals(BACK + "?status=SUCCESS&connection_id=" + broken, location(back));

        List<SimulatedConnection> connections = sim.control().connections("alice");
        assertEquals(1, connections.size());
        assertEquals(broken, connections.get(0).id());
        assertFalse(connections.get(0).disabled());
        assertEquals("trade", connections.get(0).type());
        WebhookDelivery fixed = sim.webhooks().ofType("CONNECTION_FIXED").get(0);
        assertEquals(broken, fixed.connectionId());
        assertFalse(sdk.connections.listBrokerageAuthorizations("alice", secret).execute().get(0).getDisabled());
    }

    @Test
    void aReconnectAskingForReadAccessTurnsATradeConnectionReadOnly() throws Exception {
        post(reconnectLink("read"), "outcome=SUCCESS");
        SimulatedConnection connection = sim.control().connection(broken).orElseThrow();
        assertFalse(connection.disabled());
        assertEquals("read", connection.type());
    }

    @Test
    void loggingIntoADifferentAccountFailsAndLeavesTheConnectionBroken() throws Exception {
        HttpResponse<String> back = post(reconnectLink("trade"), "outcome=DIFFERENT_ACCOUNT");
        assertEquals(BACK + "?status=ERROR&status_code=400&error_code=" + PortalSessions.MISMATCH_ERROR_CODE,
                location(back));
        assertTrue(sim.control().connection(broken).orElseThrow().disabled());
        assertEquals(1, sim.control().connections("alice").size());
        assertEquals(List.of(), sim.webhooks().ofType("CONNECTION_FIXED"));
    }

    @Test
    void anAbandonedPortalChangesNothing() throws Exception {
        assertEquals(BACK + "?status=ABANDONED", location(post(reconnectLink("trade"), "outcome=ABANDONED")));
        assertTrue(sim.control().connection(broken).orElseThrow().disabled());
    }

    @Test
    void anErrorCarriesTheChosenCodes() throws Exception {
        HttpResponse<String> back = post(reconnectLink("trade"), "outcome=ERROR&status_code=503&error_code=3003");
        assertEquals(BACK + "?status=ERROR&status_code=503&error_code=3003", location(back));
        assertTrue(sim.control().connection(broken).orElseThrow().disabled());
    }

    @Test
    void aNormalSessionAddsANewConnection() throws Exception {
        Map<?, ?> login = (Map<?, ?>) sdk.authentication.loginSnapTradeUser("alice", secret)
                .broker("QUESTRADE").connectionType("trade").customRedirect(BACK + "?from=app").execute();
        HttpResponse<String> back = post((String) login.get("redirectURI"), "outcome=SUCCESS&account=tfsa-1");

        SimulatedConnection added = sim.control().connections("alice").get(1);
        assertEquals(BACK + "?from=app&status=SUCCESS&connection_id=" + added.id(), location(back));
        assertEquals("QUESTRADE", added.brokerageSlug());
        assertEquals("trade", added.type());
        assertEquals("tfsa-1", added.account());
        assertEquals(added.id(), sim.webhooks().ofType("CONNECTION_ADDED").get(1).connectionId());
        assertTrue(sim.control().connection(broken).orElseThrow().disabled(), "the broken one stays broken");
    }

    @Test
    void withoutACustomRedirectTheResultIsShown() throws Exception {
        Map<?, ?> login = (Map<?, ?>) sdk.authentication.loginSnapTradeUser("alice", secret).execute();
        HttpResponse<String> done = post((String) login.get("redirectURI"), "outcome=ABANDONED");
        assertEquals(200, done.statusCode());
        assertTrue(done.body().contains("status=ABANDONED"), done.body());
    }

    @Test
    void aLinkWorksOnce() throws Exception {
        String link = reconnectLink("trade");
        post(link, "outcome=ABANDONED");
        assertEquals(410, get(link).statusCode());
        assertEquals(410, post(link, "outcome=SUCCESS").statusCode());
        assertTrue(sim.control().connection(broken).orElseThrow().disabled());
    }

    @Test
    void aLinkExpires() throws Exception {
        String link = reconnectLink("trade");
        clock.advance(Duration.ofMinutes(5).minusSeconds(2));
        assertEquals(200, get(link).statusCode(), "valid for 5 minutes");
        clock.advance(Duration.ofSeconds(2));
        assertEquals(410, get(link).statusCode());
        assertEquals(410, post(link, "outcome=SUCCESS").statusCode());
        assertTrue(sim.control().connection(broken).orElseThrow().disabled());
    }

    @Test
    void anUnknownOutcomeIsABadRequest() throws Exception {
        assertEquals(400, post(reconnectLink("trade"), "outcome=MAYBE").statusCode());
    }

    private String reconnectLink(String type) throws ApiException {
        AuthenticationApi.LoginSnapTradeUserRequestBuilder login = sdk.authentication
                .loginSnapTradeUser("alice", secret).reconnect(broken).connectionType(type).customRedirect(BACK);
        return (String) ((Map<?, ?>) login.execute()).get("redirectURI");
    }

    private static HttpResponse<String> get(String url) throws IOException, InterruptedException {
        return BROWSER.send(HttpRequest.newBuilder(URI.create(url)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> post(String url, String form) throws IOException, InterruptedException {
        return BROWSER.send(HttpRequest.newBuilder(URI.create(url))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String location(HttpResponse<String> response) {
        assertEquals(302, response.statusCode(), response.body());
        return response.headers().firstValue("Location").orElseThrow();
    }
}
