package com.connectionkeeper.simulator;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

/**
 * A user's browser in the simulator's Connection Portal, for tests: opens a login link's page and submits an outcome,
 * following no redirect, so the caller sees where the portal sends the browser back (the app's landing).
 */
public final class PortalBrowser {
    private static final HttpClient BROWSER = HttpClient.newBuilder()
            .followRedirects(HttpClient.Redirect.NEVER).build();

    private PortalBrowser() {
    }

    /**
     * Opens the portal page of {@code redirectUri} and submits {@code outcome} (SUCCESS, ERROR, ABANDONED,
     * DIFFERENT_ACCOUNT); returns the portal's redirect (the landing with its query). A page that is not 200, or an
     * answer that is not a 302, is an AssertionError with the status and body.
     */
    public static String complete(String redirectUri, String outcome) {
        try {
            HttpResponse<String> page = BROWSER.send(HttpRequest.newBuilder(URI.create(redirectUri)).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
            if (page.statusCode() != 200) {
                throw new AssertionError("portal page: " + page.statusCode() + " " + page.body());
            }
            HttpResponse<String> done = BROWSER.send(HttpRequest.newBuilder(URI.create(redirectUri))
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(HttpRequest.BodyPublishers.ofString("outcome=" + outcome)).build(),
                    HttpResponse.BodyHandlers.ofString());
            if (done.statusCode() != 302) {
                throw new AssertionError("portal answer: " + done.statusCode() + " " + done.body());
            }
            return done.headers().firstValue("location").orElseThrow();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
