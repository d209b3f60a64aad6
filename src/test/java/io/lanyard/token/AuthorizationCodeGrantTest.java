package io.lanyard.token;

import com.nimbusds.jwt.JWTClaimsSet;
import io.lanyard.clients.Client;
import io.lanyard.jwt.TokenMinter;
import io.lanyard.oauth.GrantTypes;
import io.lanyard.testing.Pkce;
import io.lanyard.users.User;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Set;

import static io.lanyard.token.GrantFixture.form;
import static io.lanyard.token.GrantFixture.refusal;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

/**
 * {@link AuthorizationCodeGrant} called directly with codes the browser flow would have stored: PKCE,
 * the redirect URI, the client, expiry, and a second redemption revoking what the first one issued.
 */
class AuthorizationCodeGrantTest {
    private static final String REDIRECT = "http://127.0.0.1:8000/callback";
    private static GrantFixture fixture;
    private static AuthorizationCodeGrant grant;
    private static RefreshTokenGrant refreshGrant;
    private static AuthorizationCodes codes;
    private static Client kubectl;
    private static Client other;
    private static User alice;

    @BeforeAll
    static void start() {
        fixture = new GrantFixture();
        grant = fixture.bean(AuthorizationCodeGrant.class);
        refreshGrant = fixture.bean(RefreshTokenGrant.class);
        codes = fixture.bean(AuthorizationCodes.class);
        kubectl = fixture.register(Client.builder("kubectl")
                .grantTypes(Set.of(GrantTypes.AUTHORIZATION_CODE, GrantTypes.REFRESH_TOKEN))
                .scopes(Set.of("openid", "profile", "email", "groups", "offline_access"))
                .redirectUris(Set.of(REDIRECT))
                .publicClient(true)
                .build());
        other = fixture.register(Client.builder("other")
                .grantTypes(Set.of(GrantTypes.AUTHORIZATION_CODE))
                .scopes(Set.of("openid"))
                .redirectUris(Set.of(REDIRECT))
                .publicClient(true)
                .build());
        alice = fixture.person("alice", "platform-admins");
    }

    @AfterAll
    static void stop() {
        fixture.close();
    }

    private static String code(Pkce pkce, Set<String> scope) {
        return codes.issue(new AuthorizationCodes.Approval(kubectl.clientId(), alice.id(), REDIRECT, scope, "n-0S6",
                pkce.challenge(), fixture.clock().instant().minusSeconds(5)));
    }

    private static GrantRequest redeem(Client client, String code, String redirectUri, String verifier) {
        return GrantRequest.of(GrantTypes.AUTHORIZATION_CODE, client,
                form("code", code, "redirect_uri", redirectUri, "code_verifier", verifier));
    }

    @Test
    void aCodeIsRedeemedForTheUsersTokens() throws Exception {
        Pkce pkce = Pkce.create();
        IssuedToken issued = grant.handle(redeem(kubectl, code(pkce, Set.of("openid", "groups", "email",
                "offline_access")), REDIRECT, pkce.verifier()));

        JWTClaimsSet access = fixture.verify(issued.accessToken(), TokenMinter.ACCESS_TOKEN);
        assertEquals(alice.id(), access.getSubject());
        assertEquals("kubectl", access.getStringClaim("client_id"));
        assertEquals(List.of(GrantFixture.ISSUER), access.getAudience());
        JWTClaimsSet id = fixture.verify(issued.idToken(), com.nimbusds.jose.JOSEObjectType.JWT);
        assertEquals(alice.id(), id.getSubject());
        assertEquals(List.of("kubectl"), id.getAudience());
        assertEquals("n-0S6", id.getStringClaim("nonce"));
        assertEquals(List.of("platform-admins"), id.getStringListClaim("groups"));
        assertEquals("alice@example.com", id.getStringClaim("email"));
        assertNotNull(id.getStringClaim("at_hash"));
        assertNotNull(issued.refreshToken());
    }

    @Test
    void withoutOfflineAccessThereIsNoRefreshToken() throws Exception {
        Pkce pkce = Pkce.create();
        IssuedToken issued = grant.handle(redeem(kubectl, code(pkce, Set.of("openid")), REDIRECT, pkce.verifier()));
        assertNull(issued.refreshToken());
        assertNotNull(issued.idToken());
    }

    @Test
    void theVerifierTheRedirectUriAndTheClientMustMatch() {
        Pkce pkce = Pkce.create();
        String code = code(pkce, Set.of("openid"));
        assertEquals("invalid_grant", refusal(grant, redeem(kubectl, code, REDIRECT, Pkce.create().verifier())));
        assertEquals("invalid_grant", refusal(grant, redeem(kubectl, code, "http://127.0.0.1:8000/other",
                pkce.verifier())));
        assertEquals("invalid_grant", refusal(grant, redeem(other, code, REDIRECT, pkce.verifier())));
        assertEquals("invalid_request", refusal(grant, redeem(kubectl, code, REDIRECT, "short")));
        assertEquals("invalid_request", refusal(grant, GrantRequest.of(GrantTypes.AUTHORIZATION_CODE, kubectl,
                form("redirect_uri", REDIRECT))));
        // none of the refusals used the code up
        assertNotNull(grant.handle(redeem(kubectl, code, REDIRECT, pkce.verifier())).accessToken());
    }

    @Test
    void anExpiredCodeIsRefused() {
        Pkce pkce = Pkce.create();
        String code = code(pkce, Set.of("openid"));
        fixture.clock().advance(Duration.ofMinutes(2));
        assertEquals("invalid_grant", refusal(grant, redeem(kubectl, code, REDIRECT, pkce.verifier())));
    }

    @Test
    void aSecondRedemptionIsRefusedAndRevokesTheRefreshTokenTheFirstOneIssued() {
        Pkce pkce = Pkce.create();
        String code = code(pkce, Set.of("openid", "offline_access"));
        IssuedToken first = grant.handle(redeem(kubectl, code, REDIRECT, pkce.verifier()));

        assertEquals("invalid_grant", refusal(grant, redeem(kubectl, code, REDIRECT, pkce.verifier())));
        assertEquals("invalid_grant", refusal(refreshGrant, GrantRequest.of(GrantTypes.REFRESH_TOKEN, kubectl,
                form("refresh_token", first.refreshToken()))));
    }
}
