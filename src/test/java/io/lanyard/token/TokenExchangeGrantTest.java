package io.lanyard.token;

import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.oauth2.sdk.Scope;
import io.lanyard.clients.Client;
import io.lanyard.clients.ClientRegistry;
import io.lanyard.exchange.ExchangePolicy;
import io.lanyard.exchange.ExchangePolicyStore;
import io.lanyard.jwt.TokenKind;
import io.lanyard.oauth.GrantTypes;
import io.lanyard.oauth.TokenTypes;
import io.lanyard.storage.Database;
import io.lanyard.users.User;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

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
    @RegisterExtension
    static final GrantFixture FIXTURE = new GrantFixture();
    private static final TokenExchangeGrant GRANT = FIXTURE.bean(TokenExchangeGrant.class);
    private static final AccessTokenIssuer ISSUER = FIXTURE.bean(AccessTokenIssuer.class);
    private static final Client FRONTEND = FIXTURE.register(Client.builder("frontend")
            .grantTypes(Set.of(GrantTypes.CLIENT_CREDENTIALS))
            .scopes(Set.of("todo.read", "todo.write"))
            .audiences(Set.of("share"))
            .build());
    private static final Client SHARE = FIXTURE.register(Client.builder("share")
            .grantTypes(Set.of(GrantTypes.CLIENT_CREDENTIALS, GrantTypes.TOKEN_EXCHANGE))
            .audiences(Set.of("share"))
            .build());
    private static final Client STRANGER = FIXTURE.register(Client.builder("stranger")
            .grantTypes(Set.of(GrantTypes.TOKEN_EXCHANGE))
            .audiences(Set.of("todo"))
            .build());
    private static final User ALICE = FIXTURE.person("alice", "developers");

    /** share may exchange with an actor token only; stranger may impersonate, but is party to nothing. */
    @BeforeAll
    static void policies() {
        FIXTURE.bean(Database.class).inTransaction(c -> ExchangePolicyStore.replaceFromConfig(c, List.of(
                new ExchangePolicy("share", Set.of("todo"), Set.of("todo.read", "todo.write"), false,
                        Set.of(ExchangePolicy.SELF), "config"),
                new ExchangePolicy("stranger", Set.of("todo"), Set.of("todo.read"), true,
                        Set.of(ExchangePolicy.SELF), "config"))));
        FIXTURE.bean(ClientRegistry.class).reload();
    }

    /** Alice's access token as the FRONTEND holds it: issued to the FRONTEND, for the SHARE service. */
    private static String alicesToken() {
        return ISSUER.issue(AccessTokenSpec.of(GrantRequest.of(GrantTypes.AUTHORIZATION_CODE, FRONTEND, Map.of()),
                FRONTEND, ALICE.id(), List.of("share"), new Scope("todo.read", "todo.write"))).accessToken();
    }

    private static String shareOwnToken() {
        return ISSUER.issue(AccessTokenSpec.of(GrantRequest.of(GrantTypes.CLIENT_CREDENTIALS, SHARE, Map.of()),
                SHARE, "share", List.of("share"), null)).accessToken();
    }

    private static GrantRequest exchange(Client client, String... more) {
        return GrantRequest.of(GrantTypes.TOKEN_EXCHANGE, client, form(more));
    }

    @Test
    void delegationKeepsTheUserAsSubjectAndNamesTheCallerAsActor() throws Exception {
        IssuedToken issued = GRANT.handle(exchange(SHARE,
                "subject_token", alicesToken(), "subject_token_type", TokenTypes.ACCESS_TOKEN,
                "actor_token", shareOwnToken(), "actor_token_type", TokenTypes.ACCESS_TOKEN,
                "audience", "todo", "scope", "todo.read"));
        assertEquals(TokenTypes.ACCESS_TOKEN, issued.issuedTokenType());
        JWTClaimsSet claims = FIXTURE.verify(issued.accessToken(), TokenKind.ACCESS_TOKEN);
        assertEquals(ALICE.id(), claims.getSubject());
        assertEquals(List.of("todo"), claims.getAudience());
        assertEquals("todo.read", claims.getStringClaim("scope"));
        assertEquals("share", claims.getStringClaim("client_id"));
        assertEquals(Map.of("sub", "share", "client_id", "share"), claims.getJSONObjectClaim("act"));
    }

    @Test
    void aPlainJwtIsIssuedWhenAskedFor() throws Exception {
        IssuedToken issued = GRANT.handle(exchange(SHARE,
                "subject_token", alicesToken(), "subject_token_type", TokenTypes.ACCESS_TOKEN,
                "actor_token", shareOwnToken(), "actor_token_type", TokenTypes.ACCESS_TOKEN,
                "audience", "todo", "requested_token_type", TokenTypes.JWT));
        assertEquals(TokenTypes.JWT, issued.issuedTokenType());
        assertEquals(ALICE.id(), FIXTURE.verify(issued.accessToken(), TokenKind.EXCHANGED_JWT).getSubject());
    }

    @Test
    void withoutAnActorTokenAPolicyMustAllowImpersonation() {
        assertEquals("invalid_grant", refusal(GRANT, exchange(SHARE,
                "subject_token", alicesToken(), "subject_token_type", TokenTypes.ACCESS_TOKEN, "audience", "todo")));
    }

    @Test
    void theCallerMustBeAPartyToTheSubjectToken() {
        // the STRANGER may impersonate, but ALICE's token was issued to the FRONTEND for the SHARE service
        assertEquals("invalid_grant", refusal(GRANT, exchange(STRANGER,
                "subject_token", alicesToken(), "subject_token_type", TokenTypes.ACCESS_TOKEN, "audience", "todo")));
    }

    @Test
    void audienceAndScopeStayWithinThePolicyAndTheSubjectToken() {
        String subject = alicesToken();
        String actor = shareOwnToken();
        assertEquals("invalid_target", refusal(GRANT, exchange(SHARE, "subject_token", subject,
                "subject_token_type", TokenTypes.ACCESS_TOKEN, "actor_token", actor,
                "actor_token_type", TokenTypes.ACCESS_TOKEN, "audience", "payroll")));
        assertEquals("invalid_scope", refusal(GRANT, exchange(SHARE, "subject_token", subject,
                "subject_token_type", TokenTypes.ACCESS_TOKEN, "actor_token", actor,
                "actor_token_type", TokenTypes.ACCESS_TOKEN, "audience", "todo", "scope", "todo.admin")));
        assertEquals("invalid_request", refusal(GRANT, exchange(SHARE, "subject_token", subject,
                "audience", "todo")));
        assertEquals("invalid_request", refusal(GRANT, exchange(SHARE, "subject_token", subject,
                "subject_token_type", TokenTypes.REFRESH_TOKEN, "actor_token", actor,
                "actor_token_type", TokenTypes.ACCESS_TOKEN, "audience", "todo")));
    }

    @Test
    void theNewTokenNeverOutlivesItsSubject() throws Exception {
        String subject = alicesToken();
        long subjectExp = FIXTURE.verify(subject, TokenKind.ACCESS_TOKEN).getExpirationTime().getTime();
        IssuedToken issued = GRANT.handle(exchange(SHARE, "subject_token", subject,
                "subject_token_type", TokenTypes.ACCESS_TOKEN, "actor_token", shareOwnToken(),
                "actor_token_type", TokenTypes.ACCESS_TOKEN, "audience", "todo"));
        long exp = FIXTURE.verify(issued.accessToken(), TokenKind.ACCESS_TOKEN).getExpirationTime().getTime();
        assertTrue(exp <= subjectExp, "exp " + exp + " after the subject's " + subjectExp);
        assertNull(issued.refreshToken());
        assertFalse(issued.accessToken().equals(subject));
    }
}
