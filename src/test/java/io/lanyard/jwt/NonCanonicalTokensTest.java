package io.lanyard.jwt;

import com.nimbusds.jose.util.JSONObjectUtils;
import io.lanyard.authorize.LogoutRequests;
import io.lanyard.clients.Client;
import io.lanyard.clients.ClientRegistry;
import io.lanyard.federation.RejectedTokenException;
import io.lanyard.federation.TrustedIssuers;
import io.lanyard.jwt.TokenKind;
import io.lanyard.testing.LanyardServer;
import io.lanyard.testing.TestDatabases;
import io.lanyard.token.IdTokenIssuer;
import io.lanyard.token.UserAuthorization;
import io.lanyard.users.User;
import io.lanyard.users.UserSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * A genuine token respelled (padding appended, the last character's unused bits set) is a different
 * string for the same signature. Every place that accepts a JWT refuses it (RFC 7515 section 2, RFC
 * 8725 section 3), while the genuine spelling still works.
 */
class NonCanonicalTokensTest {
    private static LanyardServer server;
    private static String accessToken;

    @BeforeAll
    static void start() throws Exception {
        server = LanyardServer.startOn(TestDatabases.Kind.H2);
        String secret = server.createClient("reports", Set.of("read"), Set.of("read"), Set.of("share"), "RS256");
        HttpResponse<String> issued = server.postForm("/token", "grant_type=client_credentials",
                "Authorization", LanyardServer.basic("reports", secret));
        assertEquals(200, issued.statusCode(), issued.body());
        accessToken = (String) JSONObjectUtils.parse(issued.body()).get("access_token");
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    /** The same token, respelled in ways a lenient base64url decoder reads back to the same bytes. */
    static List<String> respellings(String token) {
        int lastDot = token.lastIndexOf('.');
        String signature = token.substring(lastDot + 1);
        char last = signature.charAt(signature.length() - 1);
        // RS256 signatures are 256 bytes: 342 characters, the last carrying 4 unused bits
        char strayBits = "AQgw".indexOf(last) >= 0 ? (char) (last + 1) : last == 'g' ? 'h' : 'B';
        return List.of(token + "==", token + "=",
                token.substring(0, lastDot + 1) + signature.substring(0, signature.length() - 1) + strayBits,
                token.substring(0, token.indexOf('.')) + "=" + token.substring(token.indexOf('.')));
    }

    private static HttpResponse<String> userinfo(String token) {
        return LanyardServer.send(HttpRequest.newBuilder(URI.create(server.url("/userinfo")))
                .header("Authorization", "Bearer " + token).GET().build());
    }

    @Test
    void ownTokensAreRefusedInAnyOtherSpelling() throws Exception {
        OwnTokens own = server.bean(OwnTokens.class);
        own.verify(accessToken, TokenKind.ACCESS_TOKEN, true);
        for (String respelled : respellings(accessToken)) {
            assertThrows(OwnTokens.InvalidTokenException.class,
                    () -> own.verify(respelled, TokenKind.ACCESS_TOKEN, true), respelled);
        }
    }

    @Test
    void userinfoRefusesARespelledAccessToken() {
        // the genuine token lacks the openid scope (403); a respelled one is no token of ours at all (401)
        assertEquals(403, userinfo(accessToken).statusCode());
        for (String respelled : respellings(accessToken)) {
            HttpResponse<String> response = userinfo(respelled);
            assertEquals(401, response.statusCode(), respelled);
            assertEquals("Bearer realm=\"lanyard\", error=\"invalid_token\", "
                    + "error_description=\"the access token is invalid or expired\"",
                    response.headers().firstValue("WWW-Authenticate").orElse(""));
        }
    }

    @Test
    void aRespelledIdTokenHintIsNoHint() throws Exception {
        String userId = server.createUser("hana", "hana's long password", "hana@example.com", "readers");
        User hana = server.bean(UserSource.class).findById(userId).orElseThrow();
        Client reports = server.bean(ClientRegistry.class).find("reports").orElseThrow();
        String idToken = server.bean(IdTokenIssuer.class).issue(reports,
                new UserAuthorization(hana, Set.of("openid"), Instant.now(), null), List.of(), accessToken);
        LogoutRequests logout = server.bean(LogoutRequests.class);
        assertEquals(userId, logout.parse("id_token_hint=" + idToken).hintSubject());
        for (String respelled : respellings(idToken)) {
            assertThrows(LogoutRequests.InvalidLogout.class, () -> logout.parse("id_token_hint=" + respelled));
        }
    }

    @Test
    void trustedIssuersTokensAndClientAssertionsAreParsedOnlyWhenCanonical() {
        for (String respelled : respellings(accessToken)) {
            assertNull(TrustedIssuers.parse(respelled), respelled);
            assertEquals("the token is not a signed JWT", assertThrows(RejectedTokenException.class,
                    () -> server.bean(TrustedIssuers.class).verify(respelled)).getMessage());
        }
        HttpResponse<String> assertion = server.postForm("/token", "grant_type=client_credentials&client_id=reports"
                + "&client_assertion_type=urn%3Aietf%3Aparams%3Aoauth%3Aclient-assertion-type%3Ajwt-bearer"
                + "&client_assertion=" + respellings(accessToken).get(0).replace("=", "%3D"));
        assertEquals(401, assertion.statusCode(), assertion.body());
    }
}
