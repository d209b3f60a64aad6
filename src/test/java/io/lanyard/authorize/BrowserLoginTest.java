package io.lanyard.authorize;

import com.nimbusds.jose.util.JSONObjectUtils;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.lanyard.testing.Browser;
import io.lanyard.testing.HeadlessChromium;
import io.lanyard.testing.LanyardServer;
import io.lanyard.testing.Pkce;
import io.lanyard.testing.TestDatabases;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.interactions.Actions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The login page in a real browser: Debian's headless Chromium driven by Selenium through the
 * system chromedriver, against a real server on PostgreSQL. The client is kubelogin-shaped (public,
 * PKCE S256) and its loopback listener is a JDK HTTP server on a random port, while the client is
 * registered with {@code http://localhost:8000} (RFC 8252 loopback port matching).
 *
 * <p>The whole class runs in a browser with JavaScript switched off (Chrome's content setting, the
 * same switch a person flips in the settings), so every sign-in here proves the page needs no
 * script: plain HTML form, autofocus, implicit submission on Enter. {@link #javascriptIsReallyOff}
 * checks that the switch took effect, so a Chromium that ignored it could not make that proof
 * vacuous. WebDriver's own {@code executeScript} still works (it runs through DevTools, not as page
 * script), which the CSRF test uses to forge the hidden token.
 */
class BrowserLoginTest {
    private static final String PASSWORD = "correct horse battery staple";
    private static final String CLIENT = "kubectl";
    private static final Duration WAIT = Duration.ofSeconds(20);

    private static LanyardServer server;
    private static String aliceId;
    private static HttpServer loopback;
    /** Every request the loopback listener got on "/", as path and query. */
    private static final BlockingQueue<String> RECEIVED = new LinkedBlockingQueue<>();
    private static HeadlessChromium chromium;
    private static ChromeDriver driver;

    @BeforeAll
    static void start() throws Exception {
        server = LanyardServer.startOn(TestDatabases.Kind.POSTGRES);
        aliceId = server.createUser("alice", PASSWORD, "alice@example.com", "developers");
        server.createPublicClient(CLIENT, "http://localhost:8000");

        loopback = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        loopback.createContext("/", exchange -> {
            if (!exchange.getRequestURI().getPath().equals("/")) {
                reply(exchange, 404, "<!DOCTYPE html><html lang=\"en\"><title>Not found</title></html>");
                return;
            }
            RECEIVED.add(exchange.getRequestURI().toString());
            reply(exchange, 200, "<!DOCTYPE html><html lang=\"en\"><head><title>Signed in</title>"
                    + "<link rel=\"icon\" href=\"data:,\"></head><body><p>You can close this window.</p></body></html>");
        });
        loopback.createContext("/probe", exchange -> reply(exchange, 200, "<!DOCTYPE html><html lang=\"en\"><head>"
                + "<title>script did not run</title><link rel=\"icon\" href=\"data:,\"></head><body>"
                + "<script>document.title = 'script ran';</script></body></html>"));
        loopback.start();

        chromium = HeadlessChromium.start("browser-login");
        driver = chromium.driver();
    }

    @AfterAll
    static void stop() throws IOException {
        try {
            if (chromium != null) {
                chromium.close();
            }
        } finally {
            if (loopback != null) {
                loopback.stop(0);
            }
            if (server != null) {
                server.close();
            }
        }
    }

    /** Each test starts logged out, with no CSRF cookie, and with a silent loopback listener. */
    @BeforeEach
    void loggedOut() {
        chromium.clearCookies();
        RECEIVED.clear();
    }

    @Test
    void signsInWithTheKeyboardAndTheCodeRedeemsForAnIdToken() throws Exception {
        Pkce pkce = Pkce.create();
        String state = random();
        driver.get(authorizeUrl(pkce, state, ""));
        assertAccessibleLoginPage("username");

        // real key events into whatever has focus: the username field, Tab to the password, Enter submits
        new Actions(driver).sendKeys("alice").sendKeys(Keys.TAB).sendKeys(PASSWORD).sendKeys(Keys.ENTER).perform();

        Map<String, String> answer = awaitLoopbackRedirect();
        assertEquals(state, answer.get("state"));
        assertEquals(server.issuer(), answer.get("iss"));
        String code = answer.get("code");
        assertNotNull(code);
        assertEquals("Signed in", driver.getTitle(), "the browser shows the client's page");

        HttpResponse<String> tokens = server.postForm("/token", "grant_type=authorization_code&client_id=" + CLIENT
                + "&code=" + URLEncoder.encode(code, StandardCharsets.UTF_8)
                + "&redirect_uri=" + URLEncoder.encode(loopbackBase(), StandardCharsets.UTF_8)
                + "&code_verifier=" + pkce.verifier());
        assertEquals(200, tokens.statusCode(), tokens.body());
        Object idToken = JSONObjectUtils.parse(tokens.body()).get("id_token");
        assertTrue(idToken instanceof String, tokens.body());
        JWTClaimsSet claims = SignedJWT.parse((String) idToken).getJWTClaimsSet();
        assertEquals(aliceId, claims.getSubject());
        assertEquals(List.of(CLIENT), claims.getAudience());
        assertEquals("n-" + state, claims.getStringClaim("nonce"));
    }

    @Test
    void aLoginHintPutsFocusOnThePasswordAndTheButtonSubmits() {
        String state = random();
        driver.get(authorizeUrl(Pkce.create(), state, "&login_hint=alice"));
        assertAccessibleLoginPage("password");
        assertEquals("alice", driver.findElement(By.id("username")).getDomProperty("value"));

        new Actions(driver).sendKeys(PASSWORD).perform();
        driver.findElement(By.cssSelector("form button[type=submit]")).click();

        Map<String, String> answer = awaitLoopbackRedirect();
        assertEquals(state, answer.get("state"));
        assertNotNull(answer.get("code"));
    }

    @Test
    void aWrongPasswordKeepsThePageSaysSoAndMarksTheFields() {
        driver.get(authorizeUrl(Pkce.create(), random(), ""));
        assertAccessibleLoginPage("username");
        new Actions(driver).sendKeys("alice").sendKeys(Keys.TAB).sendKeys("not the password").sendKeys(Keys.ENTER)
                .perform();

        WebElement error = waitFor("the form error").until(ExpectedConditions.visibilityOfElementLocated(By.id("form-error")));
        assertEquals("The username or password is incorrect.", error.getText());
        assertEquals("alert", error.getDomAttribute("role"));
        assertTrue(driver.getCurrentUrl().startsWith(server.url("/login")), driver.getCurrentUrl());
        for (String id : List.of("username", "password")) {
            WebElement input = driver.findElement(By.id(id));
            assertEquals("true", input.getDomAttribute("aria-invalid"), id);
            assertEquals("form-error", input.getDomAttribute("aria-describedby"), id);
        }
        assertEquals("alice", driver.findElement(By.id("username")).getDomProperty("value"), "username kept");
        assertEquals("", driver.findElement(By.id("password")).getDomProperty("value"), "password not echoed");
        // the answer to the POST is this page, so the browser was not sent anywhere
        assertTrue(RECEIVED.isEmpty(), "the loopback listener got " + RECEIVED);
        assertAccessibleLoginPage("password");
    }

    @Test
    void aForgedCsrfTokenExpiresTheFormAndTheNewFormWorks() {
        String state = random();
        driver.get(authorizeUrl(Pkce.create(), state, ""));
        assertAccessibleLoginPage("username");
        // well-formed (43 base64url characters) but not the cookie's value: a cross-site forgery
        String forged = random();
        driver.executeScript("document.querySelector(\"input[name='csrf_token']\").value = arguments[0];", forged);
        assertEquals(forged, csrfField().getDomProperty("value"));
        new Actions(driver).sendKeys("alice").sendKeys(Keys.TAB).sendKeys(PASSWORD).sendKeys(Keys.ENTER).perform();

        WebElement error = waitFor("the form error").until(ExpectedConditions.visibilityOfElementLocated(By.id("form-error")));
        assertEquals("This sign-in form has expired. Please sign in again.", error.getText());
        assertTrue(driver.getCurrentUrl().startsWith(server.url("/login")), driver.getCurrentUrl());
        assertTrue(RECEIVED.isEmpty(), "no redirect after a forged token, but the loopback listener got " + RECEIVED);

        // the re-rendered form carries a fresh token (and cookie), keeps the username, focuses the password
        assertNotEquals(forged, csrfField().getDomProperty("value"));
        assertEquals("alice", driver.findElement(By.id("username")).getDomProperty("value"));
        assertAccessibleLoginPage("password");
        new Actions(driver).sendKeys(PASSWORD).sendKeys(Keys.ENTER).perform();

        Map<String, String> answer = awaitLoopbackRedirect();
        assertEquals(state, answer.get("state"), "the second try finishes the original authorization request");
        assertNotNull(answer.get("code"));
    }

    /** WebDriver does not show headers, so the same URL once more over the JDK's client. */
    @Test
    void theLoginPageForbidsFramingCarriesNoScriptAndKeepsItsUrlToItself() {
        HttpResponse<String> page = LanyardServer.send(HttpRequest.newBuilder(URI.create(
                authorizeUrl(Pkce.create(), random(), ""))).GET().build());
        assertEquals(200, page.statusCode(), page.body());
        String csp = page.headers().firstValue("Content-Security-Policy").orElse("");
        assertTrue(List.of(csp.split(";")).stream().map(String::trim).anyMatch("frame-ancestors 'none'"::equals), csp);
        assertTrue(List.of(csp.split(";")).stream().map(String::trim).anyMatch("default-src 'none'"::equals),
                "no script-src and default-src 'none': no script could run even if one were injected: " + csp);
        assertFalse(page.body().toLowerCase().contains("<script"), page.body());
        // "no-referrer" would make Chromium post the form with "Origin: null", which Micronaut refuses
        // (an empty 403) on a loopback host: the sign-ins above failed that way before this header changed
        assertEquals("same-origin", page.headers().firstValue("Referrer-Policy").orElse(null));
    }

    /** The class's claim that the login works without JavaScript rests on this. */
    @Test
    void javascriptIsReallyOff() {
        driver.get(loopbackBase() + "/probe");
        assertEquals("script did not run", driver.getTitle());
        assertTrue(RECEIVED.isEmpty(), "the probe is not a redirect: " + RECEIVED);
    }

    /** lang, a visible label for every field, focus where the person will type first, no script. */
    private static void assertAccessibleLoginPage(String focused) {
        waitFor("the login form").until(ExpectedConditions.visibilityOfElementLocated(By.id("password")));
        assertFalse(driver.findElement(By.tagName("html")).getDomAttribute("lang").isBlank(), "<html lang>");
        List<WebElement> inputs = driver.findElements(By.cssSelector("input:not([type=hidden])"));
        assertEquals(2, inputs.size());
        for (WebElement input : inputs) {
            String id = input.getDomAttribute("id");
            assertNotNull(id, input.getDomAttribute("name") + " has no id for a label to point at");
            List<WebElement> labels = driver.findElements(By.cssSelector("label[for='" + id + "']"));
            assertEquals(1, labels.size(), "one <label for=" + id + ">");
            assertTrue(labels.get(0).isDisplayed() && !labels.get(0).getText().isBlank(), "label of " + id);
        }
        assertFalse(driver.findElement(By.cssSelector("form button[type=submit]")).getText().isBlank());
        assertTrue(driver.findElements(By.tagName("script")).isEmpty(), "the login page has no <script>");
        waitFor("focus on #" + focused).until(d -> focused.equals(d.switchTo().activeElement().getDomAttribute("id")));
    }

    /** Waits until the browser shows the loopback page and returns the query the listener got. */
    private static Map<String, String> awaitLoopbackRedirect() {
        waitFor("the browser lands on the loopback listener at " + loopbackBase()).until(d -> d.getCurrentUrl().startsWith(loopbackBase() + "/?"));
        String got;
        try {
            got = RECEIVED.poll(WAIT.toSeconds(), TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        assertNotNull(got, "the loopback listener got no request");
        assertEquals(driver.getCurrentUrl(), loopbackBase() + got, "what the browser shows is what the listener got");
        assertTrue(RECEIVED.isEmpty(), "exactly one redirect: " + RECEIVED);
        return Browser.query(loopbackBase() + got);
    }

    private static WebDriverWait waitFor(String what) {
        return chromium.waitFor(what);
    }

    private static WebElement csrfField() {
        return driver.findElement(By.cssSelector("input[name='csrf_token']"));
    }

    private static String authorizeUrl(Pkce pkce, String state, String extra) {
        return server.url("/authorize") + "?response_type=code&client_id=" + CLIENT
                + "&redirect_uri=" + URLEncoder.encode(loopbackBase(), StandardCharsets.UTF_8)
                + "&scope=" + URLEncoder.encode("openid profile email", StandardCharsets.UTF_8)
                + "&state=" + state + "&nonce=n-" + state
                + "&code_challenge=" + pkce.challenge() + "&code_challenge_method=S256" + extra;
    }

    /** Where the client listens: not the registered port 8000 but the one the OS gave. */
    private static String loopbackBase() {
        return "http://localhost:" + loopback.getAddress().getPort();
    }

    private static String random() {
        byte[] bytes = new byte[32];
        new SecureRandom().nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    private static void reply(HttpExchange exchange, int status, String html) throws IOException {
        byte[] body = html.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "text/html; charset=utf-8");
        exchange.sendResponseHeaders(status, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }
}
