package com.connectionkeeper.simulator;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.connectionkeeper.testkit.Integration;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Every way a request can be wrongly signed is SnapTrade's 401, code 1076. */
@Integration
class SignatureTest {
    private static final String PATH = "/api/v1/snapTrade/listUsers";
    private static final String REFUSED =
            "{\"detail\":\"Unable to verify signature sent\",\"status_code\":401,\"code\":\"1076\"}";

    private SpecCheckedSimulator checked;
    private RawApi api;

    @BeforeEach
    void start() throws IOException {
        checked = new SpecCheckedSimulator(Sdk.config().build());
        api = new RawApi(checked.sim);
    }

    @AfterEach
    void stop() {
        checked.close();
    }

    @Test
    void aCorrectlySignedCallIsServed() throws Exception {
        HttpResponse<String> response = api.signed("GET", PATH, RawApi.query(""), "");
        assertEquals(200, response.statusCode());
        assertEquals("[]", response.body());
    }

    @Test
    void aSignedBodyIsServed() throws Exception {
        HttpResponse<String> response = api.signed("POST", "/api/v1/snapTrade/registerUser", RawApi.query(""),
                "{\"userId\": \"alice\"}");
        assertEquals(200, response.statusCode(), response.body());
    }

    @Test
    void aWrongKeyIsRefused() throws Exception {
        String query = RawApi.query("");
        assertRefused(api.send("GET", PATH, query, "", RawApi.sign("another-key", PATH, query, "")));
    }

    @Test
    void aMissingSignatureIsRefused() throws Exception {
        assertRefused(api.send("GET", PATH, RawApi.query(""), "", null));
    }

    @Test
    void aStaleTimestampIsRefused() throws Exception {
        String query = "clientId=" + Sdk.CLIENT_ID + "&timestamp=" + (Instant.now().getEpochSecond() - 330);
        assertRefused(api.send("GET", PATH, query, "", RawApi.sign(Sdk.CONSUMER_KEY, PATH, query, "")));
    }

    @Test
    void aTimestampFromTheFutureIsRefused() throws Exception {
        String query = "clientId=" + Sdk.CLIENT_ID + "&timestamp=" + (Instant.now().getEpochSecond() + 330);
        assertRefused(api.send("GET", PATH, query, "", RawApi.sign(Sdk.CONSUMER_KEY, PATH, query, "")));
    }

    @Test
    void aMissingTimestampIsRefused() throws Exception {
        String query = "clientId=" + Sdk.CLIENT_ID;
        assertRefused(api.send("GET", PATH, query, "", RawApi.sign(Sdk.CONSUMER_KEY, PATH, query, "")));
    }

    @Test
    void aMissingOrUnknownClientIdIsRefused() throws Exception {
        long now = Instant.now().getEpochSecond();
        for (String query : new String[] {"timestamp=" + now, "clientId=SOMEONE-ELSE&timestamp=" + now}) {
            assertRefused(api.send("GET", PATH, query, "", RawApi.sign(Sdk.CONSUMER_KEY, PATH, query, "")));
        }
    }

    @Test
    void aTamperedQueryIsRefused() throws Exception {
        String query = RawApi.query("userId=alice");
        String signature = RawApi.sign(Sdk.CONSUMER_KEY, PATH, query, "");
        assertRefused(api.send("GET", PATH, query.replace("alice", "mallory"), "", signature));
    }

    @Test
    void reorderedQueryParametersAreADifferentSignedText() throws Exception {
        String query = RawApi.query("userId=alice");
        String signature = RawApi.sign(Sdk.CONSUMER_KEY, PATH, query, "");
        String reordered = query.substring(query.indexOf('&') + 1) + "&userId=alice";
        assertRefused(api.send("GET", PATH, reordered, "", signature));
    }

    @Test
    void aTamperedBodyOrPathIsRefused() throws Exception {
        String register = "/api/v1/snapTrade/registerUser";
        String query = RawApi.query("");
        String signature = RawApi.sign(Sdk.CONSUMER_KEY, register, query, "{\"userId\":\"alice\"}");
        assertRefused(api.send("POST", register, query, "{\"userId\":\"mallory\"}", signature));
        assertRefused(api.send("POST", "/api/v1/snapTrade/login", query, "{\"userId\":\"alice\"}", signature));
    }

    private static void assertRefused(HttpResponse<String> response) {
        assertEquals(401, response.statusCode());
        assertEquals(REFUSED, response.body());
        assertEquals("250", response.headers().firstValue("X-RateLimit-Limit").orElseThrow());
    }
}
