package io.lanyard.users.oidc;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jose.util.JSONObjectUtils;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import io.lanyard.testing.Browser;
import io.lanyard.testing.KubeApiserverCheck;
import io.lanyard.testing.LanyardServer;
import io.lanyard.testing.MutableClock;
import io.lanyard.testing.Pkce;
import io.lanyard.testing.TestDatabases;
import io.lanyard.users.FederatedUsers;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Date;
import java.util.Map;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What an upstream sends back is believed only when it verifies: the id_token's signature by the
 * upstream's published keys, its issuer, audience, expiry and nonce, an asymmetric algorithm; Dex's
 * claim rules; and a token endpoint that fails is unavailability, not a refusal. Each case goes
 * through Lanyard's real callback, on H2.
 */
class UpstreamAnswersTest {
    private static final String REDIRECT = "http://localhost:8000";
    private static FakeUpstream upstream;
    /** Its own upstream (and so its own key cache) for the key rotation test. */
    private static FakeUpstream rotating;
    private static LanyardServer server;
    private static String secret;

    @BeforeAll
    static void start() throws Exception {
        upstream = new FakeUpstream();
        rotating = new FakeUpstream();
        Path file = Files.createTempFile("lanyard-oidc", ".yaml");
        Files.writeString(file, """
                connectors:
                  - type: oidc
                    id: fake
                    name: Fake SSO
                    timeout: 2s
                    config:
                      issuer: %s
                      clientID: %s
                      clientSecret: %s
                  - type: oidc
                    id: fake-userinfo
                    name: Fake SSO with userinfo
                    timeout: 2s
                    config:
                      issuer: %s
                      clientID: %s
                      clientSecret: %s
                      getUserInfo: true
                      insecureEnableGroups: true
                  - type: oidc
                    id: fake-rotating
                    name: Rotating SSO
                    timeout: 2s
                    config:
                      issuer: %s
                      clientID: %s
                      clientSecret: %s
                """.formatted(upstream.issuer(), FakeUpstream.CLIENT_ID, FakeUpstream.CLIENT_SECRET,
                upstream.issuer(), FakeUpstream.CLIENT_ID, FakeUpstream.CLIENT_SECRET,
                rotating.issuer(), FakeUpstream.CLIENT_ID, FakeUpstream.CLIENT_SECRET));
        Map<String, Object> props = LanyardServer.defaults(TestDatabases.fresh(TestDatabases.Kind.H2));
        props.put("lanyard.config", file.toString());
        // the key rotation test moves the server's clock past the refetch interval
        props.put("lanyard.test.mutable-clock", "true");
        server = LanyardServer.start(props);
        secret = server.createWebClient("app", REDIRECT);
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
        if (upstream != null) {
            upstream.close();
        }
        if (rotating != null) {
            rotating.close();
        }
    }

    /** A login through the fake upstream whose token endpoint answers with {@code answer}: Lanyard's callback answer. */
    private static HttpResponse<String> callbackWith(Function<FakeUpstream.Sent, String> answer) {
        return callbackWith(answer, "&connector_id=fake");
    }

    private static HttpResponse<String> callbackWith(Function<FakeUpstream.Sent, String> answer, String extra) {
        return callbackWith(upstream, answer, extra);
    }

    private static HttpResponse<String> callbackWith(FakeUpstream upstream, Function<FakeUpstream.Sent, String> answer,
                                                     String extra) {
        upstream.answerTokenRequests(answer);
        Browser browser = new Browser();
        Pkce pkce = Pkce.create();
        HttpResponse<String> leaving = browser.get(server.url("/authorize?response_type=code&client_id=app&redirect_uri="
                + enc(REDIRECT) + "&scope=openid+email&code_challenge=" + pkce.challenge()
                + "&code_challenge_method=S256" + extra));
        assertEquals(302, leaving.statusCode(), leaving.body());
        String location = Browser.location(leaving);
        assertTrue(location.startsWith(upstream.issuer() + "/authorize?"), location);
        upstream.sawAuthorization(location);
        String state = Browser.query(location).get("state");
        return browser.get(server.url("/callback?code=upstream-code&state=" + enc(state)));
    }

    private static Function<FakeUpstream.Sent, String> signed(Function<FakeUpstream.Sent, JWTClaimsSet> claims) {
        return sent -> {
            try {
                return FakeUpstream.withIdToken(upstream.sign(claims.apply(sent)));
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        };
    }

    private static void refused(HttpResponse<String> answer) {
        assertEquals(401, answer.statusCode(), answer.body());
        assertTrue(answer.body().contains("Signing in with "), answer.body());
        assertTrue(answer.body().contains("failed"), answer.body());
    }

    private static void unavailable(HttpResponse<String> answer) {
        assertEquals(503, answer.statusCode(), answer.body());
        assertTrue(answer.body().contains("cannot be reached right now"), answer.body());
    }

    private static String enc(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    @Test
    void aWellFormedAnswerSignsThePersonIn() throws Exception {
        HttpResponse<String> answer = callbackWith(signed(sent -> upstream.claims(sent).build()));
        // the fake answers only client_secret_basic with the PKCE verifier of the URL's challenge
        assertEquals(302, answer.statusCode(), answer.body());
        assertTrue(Browser.location(answer).startsWith(REDIRECT + "?code="), Browser.location(answer));
        assertTrue(upstream.lastTokenRequest().contains("grant_type=authorization_code"), upstream.lastTokenRequest());
    }

    @Test
    void theIdTokenCarriesTheUpstreamPersonUnderADerivedSub() throws Exception {
        upstream.answerTokenRequests(signed(sent -> upstream.claims(sent).build()));
        Browser browser = new Browser();
        Pkce pkce = Pkce.create();
        String location = Browser.location(browser.get(server.url("/authorize?response_type=code&client_id=app"
                + "&redirect_uri=" + enc(REDIRECT) + "&scope=" + enc("openid email profile groups") + "&code_challenge="
                + pkce.challenge() + "&code_challenge_method=S256&connector_id=fake")));
        upstream.sawAuthorization(location);
        HttpResponse<String> back = browser.get(server.url("/callback?code=c&state="
                + enc(Browser.query(location).get("state"))));
        assertEquals(302, back.statusCode(), back.body());
        HttpResponse<String> tokens = server.postForm("/token", "grant_type=authorization_code&code="
                + Browser.query(Browser.location(back)).get("code") + "&redirect_uri=" + enc(REDIRECT)
                + "&code_verifier=" + pkce.verifier(), "Authorization", LanyardServer.basic("app", secret));
        assertEquals(200, tokens.statusCode(), tokens.body());
        JWTClaimsSet id = new KubeApiserverCheck(LanyardServer.HTTP, server.issuer(), "app")
                .verify((String) JSONObjectUtils.parse(tokens.body()).get("id_token"));
        assertEquals(FederatedUsers.idOf("fake", "upstream-42"), id.getSubject());
        assertEquals("dana@example.com", id.getStringClaim("email"));
        assertEquals("dana", id.getStringClaim("preferred_username"));
        assertEquals("Dana Upstream", id.getStringClaim("name"));
    }

    @Test
    void anIdTokenForAnotherNonceIsRefused() {
        refused(callbackWith(signed(sent -> upstream.claims(sent).claim("nonce", "another-login").build())));
        refused(callbackWith(signed(sent -> {
            JWTClaimsSet.Builder claims = upstream.claims(sent);
            claims.claim("nonce", null);
            return claims.build();
        })));
    }

    @Test
    void anIdTokenForAnotherAudienceOrFromAnotherIssuerIsRefused() {
        refused(callbackWith(signed(sent -> upstream.claims(sent).audience("another-client").build())));
        refused(callbackWith(signed(sent -> upstream.claims(sent).issuer("https://evil.example").build())));
    }

    @Test
    void anExpiredIdTokenIsRefused() {
        refused(callbackWith(signed(sent -> upstream.claims(sent)
                .expirationTime(Date.from(Instant.now().minusSeconds(600))).build())));
    }

    @Test
    void anIdTokenSignedByAnotherKeyIsRefusedEvenUnderAKnownKid() throws Exception {
        RSAKey stranger = new RSAKeyGenerator(2048).keyID("k1").generate();
        refused(callbackWith(sent -> {
            try {
                return FakeUpstream.withIdToken(FakeUpstream.sign(upstream.claims(sent).build(), stranger));
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }));
    }

    @Test
    void unsignedAndSecretSignedIdTokensAreRefused() throws Exception {
        refused(callbackWith(sent -> FakeUpstream.withIdToken(new PlainJWT(upstream.claims(sent).build()).serialize())));
        // HS256 with the client secret (padded to HMAC's minimum): the upstream lists RS256 only
        byte[] macKey = (FakeUpstream.CLIENT_SECRET + "-".repeat(32)).getBytes(StandardCharsets.UTF_8);
        refused(callbackWith(sent -> {
            try {
                SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), upstream.claims(sent).build());
                jwt.sign(new MACSigner(macKey));
                return FakeUpstream.withIdToken(jwt.serialize());
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }));
    }

    @Test
    void claimsDexWouldRefuseAreRefused() {
        // the email scope was asked for (Dex's default scopes): email_verified must be there, as a boolean
        refused(callbackWith(signed(sent -> {
            JWTClaimsSet.Builder claims = upstream.claims(sent);
            claims.claim("email_verified", "true");
            return claims.build();
        })));
        // userNameKey (name) missing
        refused(callbackWith(signed(sent -> {
            JWTClaimsSet.Builder claims = upstream.claims(sent);
            claims.claim("name", null);
            return claims.build();
        })));
    }

    @Test
    void aNewKeyIdIsFetchedAndAJwksThatFailsIsUnavailabilityNotARefusal() throws Exception {
        MutableClock clock = server.bean(MutableClock.class);
        Function<RSAKey, Function<FakeUpstream.Sent, String>> signedWith = key -> sent -> {
            try {
                return FakeUpstream.withIdToken(FakeUpstream.sign(rotating.claims(sent).build(), key));
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        };
        RSAKey first = rotating.rotate("r1");
        assertEquals(302, callbackWith(rotating, signedWith.apply(first), "&connector_id=fake-rotating").statusCode());
        // the upstream rotates: the unknown key id is fetched (once the refetch interval has passed)
        clock.advance(UpstreamKeys.REFETCH.plusSeconds(1));
        RSAKey second = rotating.rotate("r2");
        HttpResponse<String> rotated = callbackWith(rotating, signedWith.apply(second), "&connector_id=fake-rotating");
        assertEquals(302, rotated.statusCode(), rotated.body());
        // a key id nobody published, right after a good fetch: a refusal
        refused(callbackWith(rotating, signedWith.apply(new RSAKeyGenerator(2048).keyID("forged").generate()),
                "&connector_id=fake-rotating"));
        // rotated again while its JWKS endpoint fails: nothing is concluded about the person
        clock.advance(UpstreamKeys.REFETCH.plusSeconds(1));
        rotating.jwksAnswers(500);
        try {
            RSAKey third = rotating.rotate("r3");
            unavailable(callbackWith(rotating, signedWith.apply(third), "&connector_id=fake-rotating"));
            // and within the refetch interval after that failure, still unavailability, not a refusal
            unavailable(callbackWith(rotating, signedWith.apply(third), "&connector_id=fake-rotating"));
        } finally {
            rotating.jwksAnswers(200);
        }
    }

    @Test
    void aFreshLoginAskedForMustBeOneByTheUpstreamsAuthTime() {
        long now = server.bean(MutableClock.class).instant().getEpochSecond();
        // prompt=login answered from a session an hour old: refused
        refused(callbackWith(signed(sent -> upstream.claims(sent).claim("auth_time", now - 3600).build()),
                "&connector_id=fake&prompt=login"));
        // no auth_time at all: the upstream did not say, so it was not shown
        refused(callbackWith(signed(sent -> upstream.claims(sent).build()), "&connector_id=fake&max_age=60"));
        refused(callbackWith(signed(sent -> upstream.claims(sent).claim("auth_time", now - 600).build()),
                "&connector_id=fake&max_age=60"));
        HttpResponse<String> fresh = callbackWith(signed(sent -> upstream.claims(sent).claim("auth_time", now).build()),
                "&connector_id=fake&prompt=login&max_age=60");
        assertEquals(302, fresh.statusCode(), fresh.body());
    }

    @Test
    void userinfoAboutAnotherSubjectIsRefusedAndAFailingUserinfoIsUnavailability() {
        try {
            upstream.userInfoAnswers(200, "upstream-42");
            HttpResponse<String> ok = callbackWith(signed(sent -> upstream.claims(sent).build()),
                    "&connector_id=fake-userinfo");
            assertEquals(302, ok.statusCode(), ok.body());
            upstream.userInfoAnswers(200, "someone-else");
            refused(callbackWith(signed(sent -> upstream.claims(sent).build()), "&connector_id=fake-userinfo"));
            upstream.userInfoAnswers(401, "upstream-42");
            refused(callbackWith(signed(sent -> upstream.claims(sent).build()), "&connector_id=fake-userinfo"));
            upstream.userInfoAnswers(429, "upstream-42");
            unavailable(callbackWith(signed(sent -> upstream.claims(sent).build()), "&connector_id=fake-userinfo"));
        } finally {
            upstream.userInfoAnswers(200, "upstream-42");
        }
    }

    @Test
    void aCallbackWithAnEmptyCodeIsARefusal() {
        upstream.answerTokenRequests(signed(sent -> upstream.claims(sent).build()));
        Browser browser = new Browser();
        String location = Browser.location(browser.get(server.url("/authorize?response_type=code&client_id=app"
                + "&redirect_uri=" + enc(REDIRECT) + "&scope=openid&code_challenge=" + Pkce.create().challenge()
                + "&code_challenge_method=S256&connector_id=fake")));
        refused(browser.get(server.url("/callback?code=&state=" + enc(Browser.query(location).get("state")))));
    }

    @Test
    void aRefusedCodeIsARefusalAndAFailingUpstreamIsUnavailability() {
        refused(callbackWith(sent -> "{\"error\":\"invalid_grant\"}"));
        HttpResponse<String> down = callbackWith(sent -> "{\"error\":\"server_error\"}");
        assertEquals(503, down.statusCode(), down.body());
        assertTrue(down.body().contains("Fake SSO cannot be reached"), down.body());
        refused(callbackWith(sent -> "{\"access_token\":\"a\",\"token_type\":\"Bearer\"}"));
    }
}
