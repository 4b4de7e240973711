package com.connectionkeeper.simulator;

import com.connectionkeeper.signature.WebhookVerifier;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Instant;

/** Hand-signed HTTP calls to a simulator, for what the SDK cannot send (bad signatures, stale timestamps). */
final class RawApi {
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private final SnapTradeSimulator sim;

    RawApi(SnapTradeSimulator sim) {
        this.sim = sim;
    }

    /** The query a correct client sends: {@code extra} then clientId and the current timestamp. */
    static String query(String extra) {
        return (extra.isEmpty() ? "" : extra + "&") + "clientId=" + Sdk.CLIENT_ID + "&timestamp="
                + Instant.now().getEpochSecond();
    }

    /** The Signature a client holding {@code key} computes for this call. */
    static String sign(String key, String path, String query, String body) {
        return new WebhookVerifier(key).sign(RequestSignature.canonical(path, query, body));
    }

    /** Sends {@code method path?query} with {@code body} ("" for none) and the given Signature header (or none). */
    HttpResponse<String> send(String method, String path, String query, String body, String signature)
            throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + sim.port() + path + (query.isEmpty() ? "" : "?" + query)))
                .method(method, body.isEmpty() ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body))
                .header("Content-Type", "application/json");
        if (signature != null) {
            request.header("Signature", signature);
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** A correctly signed call. */
    HttpResponse<String> signed(String method, String path, String query, String body)
            throws IOException, InterruptedException {
        return send(method, path, query, body, sign(Sdk.CONSUMER_KEY, path, query, body));
    }
}
