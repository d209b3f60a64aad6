package io.lanyard.token;

import com.nimbusds.jwt.JWTClaimsSet;
import io.lanyard.clients.Client;
import io.lanyard.jwt.OwnTokens;
import io.lanyard.jwt.TokenKind;
import io.lanyard.oauth.GrantTypes;
import io.lanyard.testing.Pkce;
import io.lanyard.users.User;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.List;
import java.util.Set;

import static io.lanyard.token.GrantFixture.form;
import static io.lanyard.token.GrantFixture.refusal;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * {@link AuthorizationCodeGrant} called directly with codes the browser flow would have stored: PKCE,
 * the redirect URI, the client, expiry, and a second redemption revoking what the first one issued, the access token as well.
 */
class AuthorizationCodeGrantTest {
    private static final String REDIRECT = "http://127.0.0.1:8000/callback";
    @RegisterExtension
    static final GrantFixture FIXTURE = new GrantFixture();
    private static final AuthorizationCodeGrant GRANT = FIXTURE.bean(AuthorizationCodeGrant.class);
    private static final Client KUBECTL = FIXTURE.register(Client.builder("kubectl")
            .grantTypes(Set.of(GrantTypes.AUTHORIZATION_CODE, GrantTypes.REFRESH_TOKEN))
            .scopes(Set.of("openid", "profile", "email", "groups", "offline_access"))
            .redirectUris(Set.of(REDIRECT))
            .publicClient(true)
            .build());
    private static final Client OTHER = FIXTURE.register(KUBECTL.toBuilder().clientId("other").build());
    private static final User ALICE = FIXTURE.person("alice", "platform-admins");

    private static String code(Pkce pkce, Set<String> scope) {
        return FIXTURE.bean(AuthorizationCodes.class).issue(new AuthorizationCodes.Approval(KUBECTL.clientId(), ALICE.id(), REDIRECT, scope, "n-0S6",
                pkce.challenge(), FIXTURE.clock().instant().minusSeconds(5)));
    }

    private static GrantRequest redeem(Client client, String code, String redirectUri, String verifier) {
        return GrantRequest.of(GrantTypes.AUTHORIZATION_CODE, client,
                form("code", code, "redirect_uri", redirectUri, "code_verifier", verifier));
    }

    @Test
    void aCodeIsRedeemedForTheUsersTokens() throws Exception {
        Pkce pkce = Pkce.create();
        IssuedToken issued = GRANT.handle(redeem(KUBECTL, code(pkce, Set.of("openid", "groups", "email",
                "offline_access")), REDIRECT, pkce.verifier()));

        JWTClaimsSet access = FIXTURE.verify(issued.accessToken(), TokenKind.ACCESS_TOKEN);
        assertEquals(ALICE.id(), access.getSubject());
        assertEquals("kubectl", access.getStringClaim("client_id"));
        assertEquals(List.of(GrantFixture.ISSUER), access.getAudience());
        JWTClaimsSet id = FIXTURE.verify(issued.idToken(), TokenKind.ID_TOKEN);
        assertEquals(ALICE.id(), id.getSubject());
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
        IssuedToken issued = GRANT.handle(redeem(KUBECTL, code(pkce, Set.of("openid")), REDIRECT, pkce.verifier()));
        assertNull(issued.refreshToken());
        assertNotNull(issued.idToken());
    }

    @Test
    void theVerifierTheRedirectUriAndTheClientMustMatch() {
        Pkce pkce = Pkce.create();
        String code = code(pkce, Set.of("openid"));
        assertEquals("invalid_grant", refusal(GRANT, redeem(KUBECTL, code, REDIRECT, Pkce.create().verifier())));
        assertEquals("invalid_grant", refusal(GRANT, redeem(KUBECTL, code, "http://127.0.0.1:8000/other",
                pkce.verifier())));
        assertEquals("invalid_grant", refusal(GRANT, redeem(OTHER, code, REDIRECT, pkce.verifier())));
        assertEquals("invalid_request", refusal(GRANT, redeem(KUBECTL, code, REDIRECT, "short")));
        assertEquals("invalid_request", refusal(GRANT, GrantRequest.of(GrantTypes.AUTHORIZATION_CODE, KUBECTL,
                form("redirect_uri", REDIRECT))));
        // none of the refusals used the code up
        assertNotNull(GRANT.handle(redeem(KUBECTL, code, REDIRECT, pkce.verifier())).accessToken());
    }

    @Test
    void anExpiredCodeIsRefused() {
        Pkce pkce = Pkce.create();
        String code = code(pkce, Set.of("openid"));
        FIXTURE.clock().advance(Duration.ofMinutes(2));
        assertEquals("invalid_grant", refusal(GRANT, redeem(KUBECTL, code, REDIRECT, pkce.verifier())));
    }

    @Test
    void aSecondRedemptionIsRefusedAndRevokesTheAccessAndRefreshTokensTheFirstOneIssued() throws Exception {
        Pkce pkce = Pkce.create();
        String code = code(pkce, Set.of("openid", "offline_access"));
        IssuedToken first = GRANT.handle(redeem(KUBECTL, code, REDIRECT, pkce.verifier()));
        OwnTokens own = FIXTURE.bean(OwnTokens.class);
        own.verify(first.accessToken(), TokenKind.ACCESS_TOKEN, true);

        assertEquals("invalid_grant", refusal(GRANT, redeem(KUBECTL, code, REDIRECT, pkce.verifier())));
        assertEquals("invalid_grant", refusal(FIXTURE.bean(RefreshTokenGrant.class), GrantRequest.of(GrantTypes.REFRESH_TOKEN, KUBECTL,
                form("refresh_token", first.refreshToken()))));
        OwnTokens.InvalidTokenException refused = assertThrows(OwnTokens.InvalidTokenException.class,
                () -> own.verify(first.accessToken(), TokenKind.ACCESS_TOKEN, true));
        assertEquals("revoked", refused.getMessage());
    }

    @Test
    void anotherClientPresentingAUsedCodeIsRefusedWithoutEndingTheSession() throws Exception {
        Pkce pkce = Pkce.create();
        String code = code(pkce, Set.of("openid", "offline_access"));
        IssuedToken first = GRANT.handle(redeem(KUBECTL, code, REDIRECT, pkce.verifier()));

        assertEquals("invalid_grant", refusal(GRANT, redeem(OTHER, code, REDIRECT, pkce.verifier())));
        FIXTURE.bean(OwnTokens.class).verify(first.accessToken(), TokenKind.ACCESS_TOKEN, true);
        assertNotNull(FIXTURE.bean(RefreshTokenGrant.class).handle(GrantRequest.of(GrantTypes.REFRESH_TOKEN, KUBECTL,
                form("refresh_token", first.refreshToken()))).accessToken());
    }

    @Test
    void aReplayWithoutOfflineAccessRevokesTheAccessToken() {
        Pkce pkce = Pkce.create();
        String code = code(pkce, Set.of("openid"));
        IssuedToken first = GRANT.handle(redeem(KUBECTL, code, REDIRECT, pkce.verifier()));

        assertEquals("invalid_grant", refusal(GRANT, redeem(KUBECTL, code, REDIRECT, pkce.verifier())));
        assertThrows(OwnTokens.InvalidTokenException.class,
                () -> FIXTURE.bean(OwnTokens.class).verify(first.accessToken(), TokenKind.ACCESS_TOKEN, true));
    }
}
