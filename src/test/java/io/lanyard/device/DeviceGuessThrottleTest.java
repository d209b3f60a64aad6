package io.lanyard.device;

import io.lanyard.testing.Browser;
import io.lanyard.testing.LanyardServer;
import io.lanyard.testing.TestDatabases;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Guessing user codes (RFC 8628 5.1) on the verification page: wrong codes from one address are
 * delayed after a few, wrong codes from many addresses after more, and while delayed even a right
 * code is not looked up. The addresses come from X-Forwarded-For, as behind a proxy.
 */
class DeviceGuessThrottleTest {
    private static LanyardServer server;

    @BeforeAll
    static void start() {
        Map<String, Object> props = LanyardServer.defaults(TestDatabases.fresh(TestDatabases.Kind.POSTGRES));
        props.put("lanyard.login.client-address-header", "X-Forwarded-For");
        props.put("lanyard.device.free-guesses-per-address", "3");
        props.put("lanyard.device.free-guesses", "8");
        props.put("lanyard.login.first-delay", "30s");
        server = LanyardServer.start(props);
        server.createDeviceClient("kubectl");
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    /** Submits a code from {@code address} with a valid CSRF pair, as the page would. */
    private static HttpResponse<String> enter(String address, String code) {
        Browser browser = new Browser();
        HttpResponse<String> page = browser.get(server.url("/device"));
        Map<String, String> form = Browser.hiddenFields(page.body());
        form.put("user_code", code);
        return LanyardServer.send(HttpRequest.newBuilder(URI.create(server.url("/device")))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header("X-Forwarded-For", address)
                .header("Cookie", "lanyard_csrf=" + form.get("csrf_token"))
                .POST(HttpRequest.BodyPublishers.ofString(Browser.encode(form))).build());
    }

    private static String realCode() throws Exception {
        HttpResponse<String> response = server.postForm("/device/code", "client_id=kubectl&scope=openid");
        return (String) com.nimbusds.jose.util.JSONObjectUtils.parse(response.body()).get("user_code");
    }

    /** The sign-in and approval steps name the code by a handle bound to their own form's CSRF token. */
    @Test
    void aCodesHandleWorksOnlyWithTheFormItWasGivenTo() throws Exception {
        String code = realCode();
        HttpResponse<String> entered = enter("198.51.100.50", code);
        assertEquals(200, entered.statusCode(), entered.body());
        Map<String, String> signIn = Browser.hiddenFields(entered.body());
        assertTrue(signIn.containsKey("handle"), entered.body());
        assertTrue(!entered.body().contains("name=\"user_code\""), "the typed code is not carried further");

        // a decision that is neither approve nor deny decides nothing
        Map<String, String> odd = new java.util.LinkedHashMap<>(signIn);
        odd.put("decision", "maybe");
        HttpResponse<String> undecided = LanyardServer.send(HttpRequest.newBuilder(URI.create(server.url(
                        "/device/decision")))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header("Cookie", "lanyard_csrf=" + odd.get("csrf_token"))
                .POST(HttpRequest.BodyPublishers.ofString(Browser.encode(odd))).build());
        assertEquals(400, undecided.statusCode(), undecided.body());
        assertTrue(undecided.body().contains("Choose Approve or Deny."), undecided.body());

        // a stranger's own, valid CSRF pair with the victim's handle: no code
        Browser stranger = new Browser();
        Map<String, String> strangers = Browser.hiddenFields(stranger.get(server.url("/device")).body());
        Map<String, String> forged = new java.util.LinkedHashMap<>(signIn);
        forged.put("csrf_token", strangers.get("csrf_token"));
        forged.put("username", "someone");
        forged.put("password", "a password");
        HttpResponse<String> refused = stranger.post(server.url("/device/login"), forged);
        assertEquals(400, refused.statusCode(), refused.body());
        assertTrue(refused.body().contains("That code is not valid or has expired"), refused.body());
    }

    @Test
    void wrongCodesAreDelayedPerAddressThenEverywhere() throws Exception {
        String code = realCode();
        for (int i = 0; i < 3; i++) {
            assertEquals(400, enter("198.51.100.1", "BCDF-GHJK").statusCode(), "free guess " + i);
        }
        assertEquals(400, enter("198.51.100.1", "BCDF-GHJK").statusCode(), "the fourth is counted");
        HttpResponse<String> delayed = enter("198.51.100.1", code);
        assertEquals(429, delayed.statusCode(), "a delayed address cannot try even the right code");
        assertTrue(delayed.headers().firstValue("Retry-After").isPresent());
        assertTrue(delayed.body().contains("Too many codes were tried"), delayed.body());
        assertEquals(200, enter("198.51.100.2", code).statusCode(), "another address is not delayed");

        // wrong codes spread over many addresses use up the page's allowance for everyone
        for (int i = 0; i < 5; i++) {
            enter("203.0.113." + i, "BCDF-GHJK");
        }
        HttpResponse<String> everyone = enter("192.0.2.77", code);
        assertEquals(429, everyone.statusCode(), everyone.body());
    }
}
