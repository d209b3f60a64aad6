package io.lanyard.token;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jwt.JWTClaimsSet;
import io.lanyard.clients.Client;
import io.lanyard.jwt.TokenMinter;
import io.lanyard.oauth.GrantTypes;
import io.lanyard.testing.Pkce;
import io.lanyard.users.GroupService;
import io.lanyard.users.User;
import io.lanyard.users.UserService;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Set;

import static io.lanyard.token.GrantFixture.form;
import static io.lanyard.token.GrantFixture.refusal;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

/**
 * {@link RefreshTokenGrant} called directly: rotation, scope narrowing, today's groups in the new
 * id_token, the grace window for a racing retry, and reuse after it revoking the family.
 */
class RefreshTokenGrantTest {
    private static final String REDIRECT = "http://127.0.0.1:8000/callback";
    private static GrantFixture fixture;
    private static RefreshTokenGrant grant;
    private static Client kubectl;
    private static Client other;

    @BeforeAll
    static void start() {
        fixture = new GrantFixture();
        grant = fixture.bean(RefreshTokenGrant.class);
        kubectl = fixture.register(Client.builder("kubectl")
                .grantTypes(Set.of(GrantTypes.AUTHORIZATION_CODE, GrantTypes.REFRESH_TOKEN))
                .scopes(Set.of("openid", "groups", "offline_access"))
                .redirectUris(Set.of(REDIRECT))
                .publicClient(true)
                .build());
        other = fixture.register(Client.builder("other")
                .grantTypes(Set.of(GrantTypes.AUTHORIZATION_CODE, GrantTypes.REFRESH_TOKEN))
                .scopes(Set.of("openid", "offline_access"))
                .redirectUris(Set.of(REDIRECT))
                .publicClient(true)
                .build());
    }

    @AfterAll
    static void stop() {
        fixture.close();
    }

    /** A login's refresh token, as the code grant hands it out. */
    private static String login(User user) {
        Pkce pkce = Pkce.create();
        String code = fixture.bean(AuthorizationCodes.class).issue(new AuthorizationCodes.Approval(
                kubectl.clientId(), user.id(), REDIRECT, Set.of("openid", "groups", "offline_access"), null,
                pkce.challenge(), fixture.clock().instant()));
        return fixture.bean(AuthorizationCodeGrant.class).handle(GrantRequest.of(GrantTypes.AUTHORIZATION_CODE,
                kubectl, form("code", code, "redirect_uri", REDIRECT, "code_verifier", pkce.verifier())))
                .refreshToken();
    }

    private static GrantRequest refresh(Client client, String token, String... more) {
        String[] pairs = new String[2 + more.length];
        pairs[0] = "refresh_token";
        pairs[1] = token;
        System.arraycopy(more, 0, pairs, 2, more.length);
        return GrantRequest.of(GrantTypes.REFRESH_TOKEN, client, form(pairs));
    }

    @Test
    void aRefreshRotatesTheTokenAndReadsTodaysGroups() throws Exception {
        User bob = fixture.person("bob", "developers");
        String first = login(bob);
        fixture.bean(GroupService.class).create(new io.lanyard.users.Group("on-call", null, "cli"));
        fixture.bean(GroupService.class).addUser("on-call", "bob");

        IssuedToken refreshed = grant.handle(refresh(kubectl, first));
        assertNotEquals(first, refreshed.refreshToken());
        JWTClaimsSet id = fixture.verify(refreshed.idToken(), JOSEObjectType.JWT);
        assertEquals(bob.id(), id.getSubject());
        assertEquals(List.of("developers", "on-call"), id.getStringListClaim("groups"));
        assertEquals(bob.id(), fixture.verify(refreshed.accessToken(), TokenMinter.ACCESS_TOKEN).getSubject());
        // the rotated token's successor works in turn
        assertEquals(bob.id(), fixture.verify(grant.handle(refresh(kubectl, refreshed.refreshToken())).accessToken(),
                TokenMinter.ACCESS_TOKEN).getSubject());
    }

    @Test
    void scopeMayNarrowButNeverWiden() throws Exception {
        String token = login(fixture.person("carol", "developers"));
        assertEquals("invalid_scope", refusal(grant, refresh(kubectl, token, "scope", "openid admin")));
        IssuedToken narrowed = grant.handle(refresh(kubectl, token, "scope", "openid offline_access"));
        assertEquals("offline_access openid", fixture.verify(narrowed.accessToken(), TokenMinter.ACCESS_TOKEN)
                .getStringClaim("scope"));
    }

    @Test
    void anotherClientCannotUseTheToken() {
        String token = login(fixture.person("dave", "developers"));
        assertEquals("invalid_grant", refusal(grant, refresh(other, token)));
        assertEquals("invalid_request", refusal(grant, GrantRequest.of(GrantTypes.REFRESH_TOKEN, kubectl, form())));
        assertEquals("invalid_grant", refusal(grant, refresh(kubectl, "not-a-token-we-issued")));
    }

    @Test
    void aRetryWithinTheGraceWindowGetsTheSameAnswerAndReuseAfterItRevokesTheFamily() {
        String token = login(fixture.person("erin", "developers"));
        IssuedToken first = grant.handle(refresh(kubectl, token));
        IssuedToken retried = grant.handle(refresh(kubectl, token));
        assertEquals(first.accessToken(), retried.accessToken());
        assertEquals(first.refreshToken(), retried.refreshToken());

        fixture.clock().advance(Duration.ofSeconds(11));
        assertEquals("invalid_grant", refusal(grant, refresh(kubectl, token)));
        // the whole family is dead, the successor included
        assertEquals("invalid_grant", refusal(grant, refresh(kubectl, first.refreshToken())));
    }

    @Test
    void aDisabledPersonsTokenIsRefused() {
        User frank = fixture.person("frank", "developers");
        String token = login(frank);
        fixture.bean(UserService.class).setDisabled("frank", true);
        assertEquals("invalid_grant", refusal(grant, refresh(kubectl, token)));
    }
}
