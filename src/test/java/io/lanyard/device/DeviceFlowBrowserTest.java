package io.lanyard.device;

import com.nimbusds.jose.util.JSONObjectUtils;
import com.nimbusds.jwt.JWTClaimsSet;
import io.lanyard.testing.HeadlessChromium;
import io.lanyard.testing.KubeApiserverCheck;
import io.lanyard.testing.LanyardServer;
import io.lanyard.testing.MutableClock;
import io.lanyard.testing.RemoteVerifier;
import io.lanyard.testing.TestDatabases;
import io.lanyard.token.DeviceCodes;
import io.lanyard.token.UserCodes;
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

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The device flow as {@code kubectl oidc-login --grant-type=device-code} runs it: the device asks
 * for codes and polls /token over HTTP, while the person uses the verification page in Debian's
 * headless Chromium with JavaScript off (so the page needs no script): code entry, sign-in,
 * approval or denial.
 */
class DeviceFlowBrowserTest {
    private static final String PASSWORD = "kim's long password";
    private static final String CLIENT = "kubectl";
    private static LanyardServer server;
    private static String kimId;
    private static HeadlessChromium chromium;
    private static ChromeDriver driver;

    @BeforeAll
    static void start() throws Exception {
        Map<String, Object> props = LanyardServer.defaults(TestDatabases.fresh(TestDatabases.Kind.POSTGRES));
        props.put("lanyard.test.mutable-clock", "true");
        // a one-second interval keeps the polling test short; the default is 5 s
        props.put("lanyard.device.interval", "1s");
        server = LanyardServer.start(props);
        kimId = server.createUser("kim", PASSWORD, "kim@example.com", "platform");
        server.createDeviceClient(CLIENT);
        server.createPublicClient("browser-only", "http://localhost:8000");
        chromium = HeadlessChromium.start("device-flow");
        driver = chromium.driver();
    }

    @AfterAll
    static void stop() throws Exception {
        try {
            if (chromium != null) {
                chromium.close();
            }
        } finally {
            server.close();
        }
    }

    @BeforeEach
    void loggedOut() {
        chromium.clearCookies();
    }

    private static String enc(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    static Map<String, Object> deviceCode(String scope) throws Exception {
        HttpResponse<String> response = server.postForm("/device/code", "client_id=" + CLIENT + "&scope=" + enc(scope));
        assertEquals(200, response.statusCode(), response.body());
        assertEquals("no-store", response.headers().firstValue("Cache-Control").orElse(null));
        return JSONObjectUtils.parse(response.body());
    }

    static HttpResponse<String> poll(Map<String, Object> codes) {
        return server.postForm("/token", "grant_type=" + enc("urn:ietf:params:oauth:grant-type:device_code")
                + "&client_id=" + CLIENT + "&device_code=" + enc((String) codes.get("device_code")));
    }

    static String error(HttpResponse<String> response) throws Exception {
        assertEquals(400, response.statusCode(), response.body());
        return (String) JSONObjectUtils.parse(response.body()).get("error");
    }

    /** As a device does: wait the interval, then ask. */
    static HttpResponse<String> pollAfterInterval(Map<String, Object> codes) throws InterruptedException {
        Thread.sleep(((Number) codes.get("interval")).longValue() * 1000 + 100);
        return poll(codes);
    }

    private static void typeCode(String code) {
        chromium.waitFor("the code field").until(ExpectedConditions.visibilityOfElementLocated(By.id("user_code")));
        WebElement field = driver.findElement(By.id("user_code"));
        field.clear();
        new Actions(driver).sendKeys(field, code).sendKeys(Keys.ENTER).perform();
    }

    private static void signIn() {
        chromium.waitFor("the sign-in form").until(ExpectedConditions.visibilityOfElementLocated(By.id("password")));
        assertAccessible(2);
        chromium.waitFor("focus on the username").until(d -> "username".equals(d.switchTo().activeElement()
                .getDomAttribute("id")));
        new Actions(driver).sendKeys("kim").sendKeys(Keys.TAB).sendKeys(PASSWORD).sendKeys(Keys.ENTER).perform();
    }

    private static void decide(String decision) {
        chromium.waitFor("the approval page").until(ExpectedConditions.visibilityOfElementLocated(
                By.cssSelector("button[value='" + decision + "']")));
        assertAccessible(0);
        driver.findElement(By.cssSelector("button[value='" + decision + "']")).click();
    }

    /** lang, a visible label for every field, no script. */
    private static void assertAccessible(int fields) {
        assertFalse(driver.findElement(By.tagName("html")).getDomAttribute("lang").isBlank(), "<html lang>");
        List<WebElement> inputs = driver.findElements(By.cssSelector("input:not([type=hidden])"));
        assertEquals(fields, inputs.size());
        for (WebElement input : inputs) {
            String id = input.getDomAttribute("id");
            assertEquals(1, driver.findElements(By.cssSelector("label[for='" + id + "']")).size(), "label of " + id);
        }
        assertTrue(driver.findElements(By.tagName("script")).isEmpty(), "no <script>");
    }

    /**
     * Waits for the page whose heading is {@code expected}: the click that leads there may still be
     * loading, and the previous page's heading goes stale under the reader.
     */
    private static void assertHeading(String expected) {
        chromium.waitFor("the page \"" + expected + "\"")
                .ignoring(org.openqa.selenium.StaleElementReferenceException.class)
                .until(d -> expected.equals(d.findElement(By.tagName("h1")).getText()));
    }

    @Test
    void typedInTheBrowserApprovedAndThePollerGetsThePersonsTokens() throws Exception {
        Map<String, Object> codes = deviceCode("openid profile email groups offline_access");
        String userCode = (String) codes.get("user_code");
        assertTrue(userCode.matches("[BCDFGHJKLMNPQRSTVWXZ]{4}-[BCDFGHJKLMNPQRSTVWXZ]{4}"), userCode);
        assertEquals(server.issuer() + "/device", codes.get("verification_uri"));
        assertEquals(server.issuer() + "/device?user_code=" + userCode, codes.get("verification_uri_complete"));
        assertEquals(600L, ((Number) codes.get("expires_in")).longValue());
        assertEquals(1L, ((Number) codes.get("interval")).longValue());
        assertEquals("authorization_pending", error(poll(codes)));

        driver.get((String) codes.get("verification_uri"));
        assertHeading("Connect a device");
        assertAccessible(1);
        // typed as people type it: lower case, no dash
        typeCode(userCode.replace("-", "").toLowerCase());
        signIn();
        chromium.waitFor("the approval page").until(ExpectedConditions.visibilityOfElementLocated(
                By.cssSelector("button[value='approve']")));
        assertTrue(driver.findElement(By.tagName("main")).getText().contains("Device " + CLIENT),
                "the page names the client");
        List<String> scopes = driver.findElements(By.cssSelector("ul.scopes li")).stream().map(WebElement::getText).toList();
        assertTrue(scopes.contains("Your group memberships") && scopes.contains("Your email address"), scopes.toString());
        assertEquals("authorization_pending", error(pollAfterInterval(codes)), "pending before the decision");
        decide("approve");
        assertHeading("Device approved");

        HttpResponse<String> tokens = pollAfterInterval(codes);
        assertEquals(200, tokens.statusCode(), tokens.body());
        Map<String, Object> json = JSONObjectUtils.parse(tokens.body());
        // the id_token is checked as kube-apiserver checks it, keys from discovery
        JWTClaimsSet id = new KubeApiserverCheck(LanyardServer.HTTP, server.issuer(), CLIENT)
                .verify((String) json.get("id_token"));
        assertEquals(kimId, id.getSubject());
        assertEquals(List.of("platform"), id.getStringListClaim("groups"));
        assertEquals("kim@example.com", id.getStringClaim("email"));
        JWTClaimsSet access = new RemoteVerifier(server.issuer(), server.issuer()).verify((String) json.get("access_token"));
        assertEquals(kimId, access.getSubject());
        assertNotNull(json.get("refresh_token"), "offline_access gives a refresh token");
        HttpResponse<String> refreshed = server.postForm("/token", "grant_type=refresh_token&client_id=" + CLIENT
                + "&refresh_token=" + json.get("refresh_token"));
        assertEquals(200, refreshed.statusCode(), refreshed.body());

        assertEquals("invalid_grant", error(pollAfterInterval(codes)), "a device code is redeemed once");
    }

    @Test
    void theCompleteUriFillsTheCodeAndASignedInPersonCanDeny() throws Exception {
        Map<String, Object> first = deviceCode("openid");
        driver.get((String) first.get("verification_uri_complete"));
        assertEquals(first.get("user_code"), driver.findElement(By.id("user_code")).getDomProperty("value"));
        new Actions(driver).sendKeys(Keys.ENTER).perform();
        signIn();
        decide("approve");
        assertHeading("Device approved");

        // signed in now: the next code goes straight to the decision, and this time it is no
        Map<String, Object> second = deviceCode("openid groups");
        driver.get((String) second.get("verification_uri_complete"));
        new Actions(driver).sendKeys(Keys.ENTER).perform();
        decide("deny");
        assertHeading("Request denied");
        assertEquals("access_denied", error(pollAfterInterval(second)));
        // a decided code cannot be decided again
        driver.get((String) second.get("verification_uri_complete"));
        new Actions(driver).sendKeys(Keys.ENTER).perform();
        assertTrue(chromium.waitFor("the error").until(ExpectedConditions.visibilityOfElementLocated(By.id("form-error")))
                .getText().startsWith("That code is not valid or has expired"));
    }

    @Test
    void aWrongCodeIsRefusedOnThePageAndTheRightOneThenWorks() throws Exception {
        Map<String, Object> codes = deviceCode("openid");
        driver.get((String) codes.get("verification_uri"));
        typeCode("BCDF-GHJK".equals(codes.get("user_code")) ? "BCDF-GHJL" : "BCDF-GHJK");
        WebElement error = chromium.waitFor("the error").until(ExpectedConditions.visibilityOfElementLocated(
                By.id("form-error")));
        assertEquals("That code is not valid or has expired. Check the code shown on your device.", error.getText());
        assertEquals("alert", error.getDomAttribute("role"));
        assertEquals("true", driver.findElement(By.id("user_code")).getDomAttribute("aria-invalid"));
        typeCode((String) codes.get("user_code"));
        signIn();
        decide("approve");
        assertEquals(200, pollAfterInterval(codes).statusCode());
    }

    @Test
    void aForgedCsrfTokenExpiresTheForm() throws Exception {
        Map<String, Object> codes = deviceCode("openid");
        driver.get((String) codes.get("verification_uri_complete"));
        driver.executeScript("document.querySelector(\"input[name='csrf_token']\").value = arguments[0];",
                "A".repeat(43));
        new Actions(driver).sendKeys(Keys.ENTER).perform();
        assertEquals("This form has expired. Please enter the code again.", chromium.waitFor("the error")
                .until(ExpectedConditions.visibilityOfElementLocated(By.id("form-error"))).getText());
        assertEquals("authorization_pending", error(poll(codes)));
    }

    @Test
    void pollingTooOftenSlowsTheDeviceDown() throws Exception {
        Map<String, Object> codes = deviceCode("openid");
        assertEquals("authorization_pending", error(poll(codes)));
        HttpResponse<String> tooSoon = poll(codes);
        assertEquals("slow_down", error(tooSoon));
        assertTrue(((String) JSONObjectUtils.parse(tooSoon.body()).get("error_description")).contains("6 seconds"),
                tooSoon.body());
    }

    @Test
    void anExpiredCodeIsRefusedToThePollerAndOnThePage() throws Exception {
        Map<String, Object> codes = deviceCode("openid");
        server.bean(MutableClock.class).advance(Duration.ofMinutes(11));
        assertEquals("expired_token", error(poll(codes)));
        driver.get((String) codes.get("verification_uri_complete"));
        new Actions(driver).sendKeys(Keys.ENTER).perform();
        assertTrue(chromium.waitFor("the error").until(ExpectedConditions.visibilityOfElementLocated(By.id("form-error")))
                .getText().startsWith("That code is not valid or has expired"));
    }

    @Test
    void twoPollersRacingForAnApprovedCodeGetOneSetOfTokens() throws Exception {
        for (int round = 0; round < 3; round++) {
            Map<String, Object> codes = deviceCode("openid offline_access");
            String stored = UserCodes.normalize((String) codes.get("user_code"));
            assertTrue(server.bean(DeviceCodes.class).decide(stored, true, kimId, Instant.now()));
            ExecutorService pool = Executors.newFixedThreadPool(4);
            CountDownLatch go = new CountDownLatch(1);
            List<Future<HttpResponse<String>>> answers = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                answers.add(pool.submit(() -> {
                    go.await();
                    return poll(codes);
                }));
            }
            go.countDown();
            int issued = 0;
            for (Future<HttpResponse<String>> answer : answers) {
                HttpResponse<String> response = answer.get();
                if (response.statusCode() == 200) {
                    issued++;
                } else {
                    assertTrue(List.of("invalid_grant", "slow_down").contains(error(response)), response.body());
                }
            }
            pool.shutdown();
            assertEquals(1, issued, "exactly one poll gets tokens");
        }
    }

    @Test
    void theDeviceEndpointRefusesWithOAuthErrors() throws Exception {
        assertEquals("invalid_client", json(server.postForm("/device/code", "client_id=nobody"), 401));
        assertEquals("unauthorized_client", json(server.postForm("/device/code", "client_id=browser-only"), 400));
        assertEquals("invalid_scope", json(server.postForm("/device/code", "client_id=" + CLIENT + "&scope=admin"), 400));
        assertEquals("invalid_request", json(server.postForm("/device/code", "client_id=" + CLIENT
                + "&code_challenge=" + "a".repeat(43) + "&code_challenge_method=plain"), 400));
        assertEquals("invalid_request", json(server.postForm("/device/code", "client_id=" + CLIENT + "&scope=openid"
                + "&scope=openid"), 400));
        assertEquals("invalid_request", json(LanyardServer.send(HttpRequest.newBuilder(URI.create(
                server.url("/device/code"))).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"client_id\":\"kubectl\"}")).build()), 400));
    }

    private static String json(HttpResponse<String> response, int status) throws Exception {
        assertEquals(status, response.statusCode(), response.body());
        assertTrue(response.headers().firstValue("Content-Type").orElse("").startsWith("application/json"));
        return (String) JSONObjectUtils.parse(response.body()).get("error");
    }
}
