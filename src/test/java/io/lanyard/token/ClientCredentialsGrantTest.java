package io.lanyard.token;

import com.nimbusds.jwt.JWTClaimsSet;
import io.lanyard.clients.Client;
import io.lanyard.clients.MutualTls;
import io.lanyard.jwt.TokenKind;
import io.lanyard.oauth.GrantTypes;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.List;
import java.util.Map;
import java.util.Set;

import static io.lanyard.token.GrantFixture.form;
import static io.lanyard.token.GrantFixture.refusal;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/** {@link ClientCredentialsGrant} called directly: the client is the subject, scope and audience are checked. */
class ClientCredentialsGrantTest {
    /** The x5t#S256 of the client's registered self-signed certificate: 43 base64url characters. */
    private static final String THUMBPRINT = "q3ZcS8m0Jv3c4A1b2C3d4E5f6G7h8I9j0K1l2M3n4O5";
    @RegisterExtension
    static final GrantFixture FIXTURE = new GrantFixture();
    private static final ClientCredentialsGrant GRANT = FIXTURE.bean(ClientCredentialsGrant.class);
    private static final Client REPORTS = FIXTURE.register(Client.builder("reports")
            .grantTypes(Set.of(GrantTypes.CLIENT_CREDENTIALS))
            .scopes(Set.of("reports.read", "reports.write"))
            .defaultScopes(Set.of("reports.read"))
            .audiences(Set.of("https://api.example.com", "https://audit.example.com"))
            .build());
    private static final Client BOUND = FIXTURE.register(Client.builder("payments")
            .grantTypes(Set.of(GrantTypes.CLIENT_CREDENTIALS))
            .audiences(Set.of("https://api.example.com"))
            .mutualTls(new MutualTls(MutualTls.SELF_SIGNED_TLS_CLIENT_AUTH, null, null, null, THUMBPRINT, true))
            .build());

    @Test
    void defaultsGiveTheClientItsDefaultScopeForAllItsAudiences() throws Exception {
        IssuedToken issued = GRANT.handle(GrantRequest.of(GrantTypes.CLIENT_CREDENTIALS, REPORTS, form()));
        JWTClaimsSet claims = FIXTURE.verify(issued.accessToken(), TokenKind.ACCESS_TOKEN);
        assertEquals("reports", claims.getSubject());
        assertEquals("reports", claims.getStringClaim("client_id"));
        assertEquals("reports.read", claims.getStringClaim("scope"));
        assertEquals(List.of("https://api.example.com", "https://audit.example.com"), claims.getAudience());
        assertEquals(issued.expiresIn(), (claims.getExpirationTime().getTime() - claims.getIssueTime().getTime()) / 1000);
        assertNull(issued.refreshToken());
        assertNull(claims.getClaim("cnf"));
    }

    @Test
    void aRequestedScopeAndResourceNarrowTheToken() throws Exception {
        IssuedToken issued = GRANT.handle(GrantRequest.of(GrantTypes.CLIENT_CREDENTIALS, REPORTS,
                form("scope", "reports.write", "resource", "https://audit.example.com")));
        JWTClaimsSet claims = FIXTURE.verify(issued.accessToken(), TokenKind.ACCESS_TOKEN);
        assertEquals("reports.write", claims.getStringClaim("scope"));
        assertEquals(List.of("https://audit.example.com"), claims.getAudience());
    }

    @Test
    void scopeOrAudienceBeyondTheRegistrationIsRefused() {
        assertEquals("invalid_scope", refusal(GRANT, GrantRequest.of(GrantTypes.CLIENT_CREDENTIALS, REPORTS,
                form("scope", "reports.read admin"))));
        assertEquals("invalid_scope", refusal(GRANT, GrantRequest.of(GrantTypes.CLIENT_CREDENTIALS, REPORTS,
                form("scope", "two  spaces"))));
        assertEquals("invalid_target", refusal(GRANT, GrantRequest.of(GrantTypes.CLIENT_CREDENTIALS, REPORTS,
                form("audience", "https://elsewhere.example.com"))));
        assertEquals("invalid_target", refusal(GRANT, GrantRequest.of(GrantTypes.CLIENT_CREDENTIALS, REPORTS,
                form("resource", "relative/path"))));
    }

    @Test
    void aCertificateBoundClientsTokenCarriesTheThumbprintOfTheCertificatePresented() throws Exception {
        IssuedToken issued = GRANT.handle(new GrantRequest(GrantTypes.CLIENT_CREDENTIALS, BOUND, THUMBPRINT,
                form()));
        JWTClaimsSet claims = FIXTURE.verify(issued.accessToken(), TokenKind.ACCESS_TOKEN);
        assertEquals(Map.of("x5t#S256", THUMBPRINT), claims.getJSONObjectClaim("cnf"));
    }

    @Test
    void aCertificateBoundClientGetsNoTokenWithoutItsCertificate() {
        assertEquals("invalid_client", refusal(GRANT, GrantRequest.of(GrantTypes.CLIENT_CREDENTIALS, BOUND, form())));
    }
}
