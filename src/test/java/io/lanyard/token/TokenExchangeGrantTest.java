package io.lanyard.token;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.oauth2.sdk.Scope;
import io.lanyard.clients.Client;
import io.lanyard.clients.ClientRegistry;
import io.lanyard.exchange.ExchangePolicy;
import io.lanyard.exchange.ExchangePolicyStore;
import io.lanyard.jwt.TokenMinter;
import io.lanyard.oauth.GrantTypes;
import io.lanyard.oauth.TokenTypes;
import io.lanyard.storage.Database;
import io.lanyard.users.User;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Set;

import static io.lanyard.token.GrantFixture.form;
import static io.lanyard.token.GrantFixture.refusal;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link TokenExchangeGrant} called directly: a user's token exchanged by a service that is a party to
 * it, delegation recording the actor, and the policy's limits on audience, scope and impersonation.
 */
class TokenExchangeGrantTest {
    private static GrantFixture fixture;
    private static TokenExchangeGrant grant;
    private static AccessTokenIssuer issuer;
    private static Client frontend;
    private static Client share;
    private static Client stranger;
    private static User alice;

    @BeforeAll
    static void start() throws Exception {
        fixture = new GrantFixture();
        grant = fixture.bean(TokenExchangeGrant.class);
        issuer = fixture.bean(AccessTokenIssuer.class);
        frontend = fixture.register(Client.builder("frontend")
                .grantTypes(Set.of(GrantTypes.CLIENT_CREDENTIALS))
                .scopes(Set.of("todo.read", "todo.write"))
                .audiences(Set.of("share"))
                .build());
        share = fixture.register(Client.builder("share")
                .grantTypes(Set.of(GrantTypes.CLIENT_CREDENTIALS, GrantTypes.TOKEN_EXCHANGE))
                .audiences(Set.of("share"))
                .build());
        stranger = fixture.register(Client.builder("stranger")
                .grantTypes(Set.of(GrantTypes.TOKEN_EXCHANGE))
                .audiences(Set.of("todo"))
                .build());
        fixture.bean(Database.class).inTransaction(c -> ExchangePolicyStore.replaceFromConfig(c, List.of(
                new ExchangePolicy("share", Set.of("todo"), Set.of("todo.read", "todo.write"), false,
                        Set.of(ExchangePolicy.SELF), "config"),
                new ExchangePolicy("stranger", Set.of("todo"), Set.of("todo.read"), true,
                        Set.of(ExchangePolicy.SELF), "config"))));
        fixture.bean(ClientRegistry.class).reload();
        alice = fixture.person("alice", "developers");
    }

    @AfterAll
    static void stop() {
        fixture.close();
    }

    /** Alice's access token as the frontend holds it: issued to the frontend, for the share service. */
    private static String alicesToken() {
        return issuer.issue(AccessTokenSpec.of(GrantRequest.of(GrantTypes.AUTHORIZATION_CODE, frontend, Map.of()),
                frontend, alice.id(), List.of("share"), new Scope("todo.read", "todo.write"))).accessToken();
    }

    private static String shareOwnToken() {
        return issuer.issue(AccessTokenSpec.of(GrantRequest.of(GrantTypes.CLIENT_CREDENTIALS, share, Map.of()),
                share, "share", List.of("share"), null)).accessToken();
    }

    private static GrantRequest exchange(Client client, String... more) {
        return GrantRequest.of(GrantTypes.TOKEN_EXCHANGE, client, form(more));
    }

    @Test
    void delegationKeepsTheUserAsSubjectAndNamesTheCallerAsActor() throws Exception {
        IssuedToken issued = grant.handle(exchange(share,
                "subject_token", alicesToken(), "subject_token_type", TokenTypes.ACCESS_TOKEN,
                "actor_token", shareOwnToken(), "actor_token_type", TokenTypes.ACCESS_TOKEN,
                "audience", "todo", "scope", "todo.read"));
        assertEquals(TokenTypes.ACCESS_TOKEN, issued.issuedTokenType());
        JWTClaimsSet claims = fixture.verify(issued.accessToken(), TokenMinter.ACCESS_TOKEN);
        assertEquals(alice.id(), claims.getSubject());
        assertEquals(List.of("todo"), claims.getAudience());
        assertEquals("todo.read", claims.getStringClaim("scope"));
        assertEquals("share", claims.getStringClaim("client_id"));
        assertEquals(Map.of("sub", "share", "client_id", "share"), claims.getJSONObjectClaim("act"));
    }

    @Test
    void aPlainJwtIsIssuedWhenAskedFor() throws Exception {
        IssuedToken issued = grant.handle(exchange(share,
                "subject_token", alicesToken(), "subject_token_type", TokenTypes.ACCESS_TOKEN,
                "actor_token", shareOwnToken(), "actor_token_type", TokenTypes.ACCESS_TOKEN,
                "audience", "todo", "requested_token_type", TokenTypes.JWT));
        assertEquals(TokenTypes.JWT, issued.issuedTokenType());
        assertEquals(alice.id(), fixture.verify(issued.accessToken(), JOSEObjectType.JWT).getSubject());
    }

    @Test
    void withoutAnActorTokenAPolicyMustAllowImpersonation() {
        assertEquals("invalid_grant", refusal(grant, exchange(share,
                "subject_token", alicesToken(), "subject_token_type", TokenTypes.ACCESS_TOKEN, "audience", "todo")));
    }

    @Test
    void theCallerMustBeAPartyToTheSubjectToken() {
        // the stranger may impersonate, but alice's token was issued to the frontend for the share service
        assertEquals("invalid_grant", refusal(grant, exchange(stranger,
                "subject_token", alicesToken(), "subject_token_type", TokenTypes.ACCESS_TOKEN, "audience", "todo")));
    }

    @Test
    void audienceAndScopeStayWithinThePolicyAndTheSubjectToken() {
        String subject = alicesToken();
        String actor = shareOwnToken();
        assertEquals("invalid_target", refusal(grant, exchange(share, "subject_token", subject,
                "subject_token_type", TokenTypes.ACCESS_TOKEN, "actor_token", actor,
                "actor_token_type", TokenTypes.ACCESS_TOKEN, "audience", "payroll")));
        assertEquals("invalid_scope", refusal(grant, exchange(share, "subject_token", subject,
                "subject_token_type", TokenTypes.ACCESS_TOKEN, "actor_token", actor,
                "actor_token_type", TokenTypes.ACCESS_TOKEN, "audience", "todo", "scope", "todo.admin")));
        assertEquals("invalid_request", refusal(grant, exchange(share, "subject_token", subject,
                "audience", "todo")));
        assertEquals("invalid_request", refusal(grant, exchange(share, "subject_token", subject,
                "subject_token_type", TokenTypes.REFRESH_TOKEN, "actor_token", actor,
                "actor_token_type", TokenTypes.ACCESS_TOKEN, "audience", "todo")));
    }

    @Test
    void theNewTokenNeverOutlivesItsSubject() throws Exception {
        String subject = alicesToken();
        long subjectExp = fixture.verify(subject, TokenMinter.ACCESS_TOKEN).getExpirationTime().getTime();
        IssuedToken issued = grant.handle(exchange(share, "subject_token", subject,
                "subject_token_type", TokenTypes.ACCESS_TOKEN, "actor_token", shareOwnToken(),
                "actor_token_type", TokenTypes.ACCESS_TOKEN, "audience", "todo"));
        long exp = fixture.verify(issued.accessToken(), TokenMinter.ACCESS_TOKEN).getExpirationTime().getTime();
        assertTrue(exp <= subjectExp, "exp " + exp + " after the subject's " + subjectExp);
        assertNull(issued.refreshToken());
        assertFalse(issued.accessToken().equals(subject));
    }
}
