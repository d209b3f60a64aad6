package io.lanyard.token;

import com.nimbusds.jwt.JWTClaimsSet;
import io.lanyard.clients.Client;
import io.lanyard.jwt.TokenKind;
import io.lanyard.oauth.GrantTypes;
import io.lanyard.testing.Pkce;
import io.lanyard.users.GroupService;
import io.lanyard.users.User;
import io.lanyard.users.UserService;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

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
    @RegisterExtension
    static final GrantFixture FIXTURE = new GrantFixture();
    private static final RefreshTokenGrant GRANT = FIXTURE.bean(RefreshTokenGrant.class);
    private static final Client KUBECTL = FIXTURE.register(Client.builder("kubectl")
            .grantTypes(Set.of(GrantTypes.AUTHORIZATION_CODE, GrantTypes.REFRESH_TOKEN))
            .scopes(Set.of("openid", "groups", "offline_access"))
            .redirectUris(Set.of(REDIRECT))
            .publicClient(true)
            .build());
    private static final Client OTHER = FIXTURE.register(KUBECTL.toBuilder().clientId("other").build());

    /** A login's refresh token, as the code GRANT hands it out. */
    private static String login(User user) {
        Pkce pkce = Pkce.create();
        String code = FIXTURE.bean(AuthorizationCodes.class).issue(new AuthorizationCodes.Approval(
                KUBECTL.clientId(), user.id(), REDIRECT, Set.of("openid", "groups", "offline_access"), null,
                pkce.challenge(), FIXTURE.clock().instant()));
        return FIXTURE.bean(AuthorizationCodeGrant.class).handle(GrantRequest.of(GrantTypes.AUTHORIZATION_CODE,
                KUBECTL, form("code", code, "redirect_uri", REDIRECT, "code_verifier", pkce.verifier())))
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
        User bob = FIXTURE.person("bob", "developers");
        String first = login(bob);
        FIXTURE.bean(GroupService.class).create(new io.lanyard.users.Group("on-call", null, "cli"));
        FIXTURE.bean(GroupService.class).addUser("on-call", "bob");

        IssuedToken refreshed = GRANT.handle(refresh(KUBECTL, first));
        assertNotEquals(first, refreshed.refreshToken());
        JWTClaimsSet id = FIXTURE.verify(refreshed.idToken(), TokenKind.ID_TOKEN);
        assertEquals(bob.id(), id.getSubject());
        assertEquals(List.of("developers", "on-call"), id.getStringListClaim("groups"));
        assertEquals(bob.id(), FIXTURE.verify(refreshed.accessToken(), TokenKind.ACCESS_TOKEN).getSubject());
        // the rotated token's successor works in turn
        assertEquals(bob.id(), FIXTURE.verify(GRANT.handle(refresh(KUBECTL, refreshed.refreshToken())).accessToken(),
                TokenKind.ACCESS_TOKEN).getSubject());
    }

    @Test
    void scopeMayNarrowButNeverWiden() throws Exception {
        String token = login(FIXTURE.person("carol", "developers"));
        assertEquals("invalid_scope", refusal(GRANT, refresh(KUBECTL, token, "scope", "openid admin")));
        IssuedToken narrowed = GRANT.handle(refresh(KUBECTL, token, "scope", "openid offline_access"));
        assertEquals("offline_access openid", FIXTURE.verify(narrowed.accessToken(), TokenKind.ACCESS_TOKEN)
                .getStringClaim("scope"));
    }

    @Test
    void anotherClientCannotUseTheToken() {
        String token = login(FIXTURE.person("dave", "developers"));
        assertEquals("invalid_grant", refusal(GRANT, refresh(OTHER, token)));
        assertEquals("invalid_request", refusal(GRANT, GrantRequest.of(GrantTypes.REFRESH_TOKEN, KUBECTL, form())));
        assertEquals("invalid_grant", refusal(GRANT, refresh(KUBECTL, "not-a-token-we-issued")));
    }

    @Test
    void aRetryWithinTheGraceWindowGetsTheSameAnswerAndReuseAfterItRevokesTheFamily() {
        String token = login(FIXTURE.person("erin", "developers"));
        IssuedToken first = GRANT.handle(refresh(KUBECTL, token));
        IssuedToken retried = GRANT.handle(refresh(KUBECTL, token));
        assertEquals(first.accessToken(), retried.accessToken());
        assertEquals(first.refreshToken(), retried.refreshToken());

        FIXTURE.clock().advance(Duration.ofSeconds(11));
        assertEquals("invalid_grant", refusal(GRANT, refresh(KUBECTL, token)));
        // the whole family is dead, the successor included
        assertEquals("invalid_grant", refusal(GRANT, refresh(KUBECTL, first.refreshToken())));
    }

    @Test
    void aDisabledPersonsTokenIsRefused() {
        User frank = FIXTURE.person("frank", "developers");
        String token = login(frank);
        FIXTURE.bean(UserService.class).setDisabled("frank", true);
        assertEquals("invalid_grant", refusal(GRANT, refresh(KUBECTL, token)));
    }
}
