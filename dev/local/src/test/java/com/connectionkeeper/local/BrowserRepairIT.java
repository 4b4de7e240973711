package com.connectionkeeper.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.connectionkeeper.testkit.Integration;
import com.connectionkeeper.testkit.RepoPaths;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * A real browser walks the repair: headless Chromium (Debian's {@code chromium} and {@code chromium-driver}) opens
 * the reconnect link the local stack (started with {@code ./keeper local}) handed out, gets the simulator's portal
 * page, submits its form, follows SnapTrade's redirect to our landing and the landing's 302 to the app's return page.
 * Then the app's API shows the connection ACTIVE. Also the abandoned and the wrong-account outcomes, which leave it
 * broken. A screenshot of each page goes to {@code dev/local/target/browser/}. Without Chromium and its driver the
 * test is skipped, saying how to get them ({@code .ci/run} installs them).
 */
@Integration
@Tag("browser")
class BrowserRepairIT {
    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path DRIVER = Path.of("/usr/bin/chromedriver");
    private static final Path SHOTS = RepoPaths.root().resolve("dev/local/target/browser");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static KeeperProcess keeper;
    private static WebDriver browser;

    @BeforeAll
    static void start() throws Exception {
        Assumptions.assumeTrue(Files.isExecutable(CHROMIUM) && Files.isExecutable(DRIVER),
                "no browser here: the browser test needs Debian's chromium and chromium-driver "
                        + "(apt-get install chromium chromium-driver; .ci/run installs them)");
        Files.createDirectories(SHOTS);
        keeper = KeeperProcess.start();
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--disable-dev-shm-usage", "--window-size=1024,768",
                "--user-data-dir=" + Files.createTempDirectory("ck-chromium"));
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(DRIVER.toFile())
                .usingAnyFreePort().build();
        browser = new ChromeDriver(service, options);
        browser.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(30));
    }

    @AfterAll
    static void stop() {
        if (browser != null) {
            browser.quit();
        }
        if (keeper != null) {
            keeper.close();
        }
    }

    @Test
    void theUserRepairsTheConnectionInTheBrowser() throws Exception {
        Broken b = brokenConnection();
        walk(b, "SUCCESS", "success");
        assertEquals("SUCCESS", browser.findElement(By.id("status")).getText());
        assertEquals(b.connection(), browser.findElement(By.id("connectionId")).getText());
        assertEquals("ACTIVE", status(b));
        keeper.awaitEvent("Connection Fixed", b.connection());
    }

    @Test
    void aUserWhoClosesThePortalComesBackAbandonedAndStaysBroken() throws Exception {
        Broken b = brokenConnection();
        walk(b, "ABANDONED", "abandoned");
        assertEquals("ABANDONED", browser.findElement(By.id("status")).getText());
        assertEquals("BROKEN", status(b));
    }

    @Test
    void aUserWhoLogsIntoAnotherAccountComesBackWithAnErrorAndStaysBroken() throws Exception {
        Broken b = brokenConnection();
        walk(b, "DIFFERENT_ACCOUNT", "wrong-account");
        assertEquals("ERROR", browser.findElement(By.id("status")).getText());
        assertEquals("BROKEN", status(b));
    }

    private record Broken(String user, String connection, String link) {
    }

    /** A user with a connection broken at SnapTrade, and a reconnect link for it from the app's API. */
    private static Broken brokenConnection() throws Exception {
        String user = "web-" + UUID.randomUUID().toString().substring(0, 8);
        assertEquals(201, send(post(keeper.api() + "/users", "{\"userId\":\"" + user + "\"}", user)).statusCode());
        HttpResponse<String> added = send(post(keeper.simulator() + "/control/users/" + user + "/connections",
                "{\"brokerage\":\"ALPACA\",\"type\":\"trade\"}", null));
        String c = JSON.readTree(added.body()).path("id").asText();
        keeper.awaitEvent("Connection Added", c);
        send(post(keeper.simulator() + "/control/connections/" + c + "/break", "", null));
        keeper.awaitEvent("Connection Broken", c);
        HttpResponse<String> link = send(post(keeper.api() + "/users/" + user + "/connections/" + c
                + "/reconnect-link", "{\"redirectUrl\":\"" + keeper.api() + Demo.APP_PATH + "\"}", user));
        assertEquals(200, link.statusCode(), link.body());
        return new Broken(user, c, JSON.readTree(link.body()).path("redirectURI").asText());
    }

    /** The browser opens the link, picks {@code outcome} on the portal's form, submits, and lands on the app. */
    private static void walk(Broken b, String outcome, String name) throws Exception {
        browser.get(b.link());
        assertTrue(browser.getTitle().startsWith("Reconnect connection " + b.connection()), browser.getTitle());
        browser.findElement(By.cssSelector("input[name=outcome][value=" + outcome + "]")).click();
        shot(name + "-1-portal");
        browser.findElement(By.cssSelector("button[type=submit]")).click();
        String at = browser.getCurrentUrl();
        assertTrue(at.startsWith(keeper.api() + Demo.APP_PATH + "?"), "the app's return page: " + at);
        assertEquals("Your app: back from the portal", browser.getTitle());
        shot(name + "-2-app");
    }

    private static void shot(String name) throws Exception {
        Path png = ((TakesScreenshot) browser).getScreenshotAs(OutputType.FILE).toPath();
        Files.copy(png, SHOTS.resolve(name + ".png"), StandardCopyOption.REPLACE_EXISTING);
    }

    private static String status(Broken b) throws Exception {
        HttpResponse<String> r = send(HttpRequest.newBuilder(URI.create(keeper.api() + "/users/" + b.user()
                + "/connections")).header("x-local-user", b.user()).GET());
        JsonNode c = JSON.readTree(r.body()).path("connections").path(0);
        return c.path("status").asText();
    }

    private static HttpRequest.Builder post(String url, String json, String identity) {
        HttpRequest.Builder r = HttpRequest.newBuilder(URI.create(url)).header("content-type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json));
        return identity == null ? r : r.header("x-local-user", identity);
    }

    private static HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
        return HTTP.send(request.timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
    }
}
