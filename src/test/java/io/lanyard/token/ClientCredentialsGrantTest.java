package io.lanyard.token;

import com.nimbusds.jwt.JWTClaimsSet;
import io.lanyard.clients.Client;
import io.lanyard.clients.MutualTls;
import io.lanyard.jwt.TokenMinter;
import io.lanyard.oauth.GrantTypes;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

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
    private static GrantFixture fixture;
    private static ClientCredentialsGrant grant;
    private static Client reports;
    private static Client bound;

    @BeforeAll
    static void start() {
        fixture = new GrantFixture();
        grant = fixture.bean(ClientCredentialsGrant.class);
        reports = fixture.register(Client.builder("reports")
                .grantTypes(Set.of(GrantTypes.CLIENT_CREDENTIALS))
                .scopes(Set.of("reports.read", "reports.write"))
                .defaultScopes(Set.of("reports.read"))
                .audiences(Set.of("https://api.example.com", "https://audit.example.com"))
                .build());
        bound = fixture.register(Client.builder("payments")
                .grantTypes(Set.of(GrantTypes.CLIENT_CREDENTIALS))
                .audiences(Set.of("https://api.example.com"))
                .mutualTls(new MutualTls(MutualTls.SELF_SIGNED_TLS_CLIENT_AUTH, null, null, null, THUMBPRINT, true))
                .build());
    }

    @AfterAll
    static void stop() {
        fixture.close();
    }

    @Test
    void defaultsGiveTheClientItsDefaultScopeForAllItsAudiences() throws Exception {
        IssuedToken issued = grant.handle(GrantRequest.of(GrantTypes.CLIENT_CREDENTIALS, reports, form()));
        JWTClaimsSet claims = fixture.verify(issued.accessToken(), TokenMinter.ACCESS_TOKEN);
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
        IssuedToken issued = grant.handle(GrantRequest.of(GrantTypes.CLIENT_CREDENTIALS, reports,
                form("scope", "reports.write", "resource", "https://audit.example.com")));
        JWTClaimsSet claims = fixture.verify(issued.accessToken(), TokenMinter.ACCESS_TOKEN);
        assertEquals("reports.write", claims.getStringClaim("scope"));
        assertEquals(List.of("https://audit.example.com"), claims.getAudience());
    }

    @Test
    void scopeOrAudienceBeyondTheRegistrationIsRefused() {
        assertEquals("invalid_scope", refusal(grant, GrantRequest.of(GrantTypes.CLIENT_CREDENTIALS, reports,
                form("scope", "reports.read admin"))));
        assertEquals("invalid_scope", refusal(grant, GrantRequest.of(GrantTypes.CLIENT_CREDENTIALS, reports,
                form("scope", "two  spaces"))));
        assertEquals("invalid_target", refusal(grant, GrantRequest.of(GrantTypes.CLIENT_CREDENTIALS, reports,
                form("audience", "https://elsewhere.example.com"))));
        assertEquals("invalid_target", refusal(grant, GrantRequest.of(GrantTypes.CLIENT_CREDENTIALS, reports,
                form("resource", "relative/path"))));
    }

    @Test
    void aCertificateBoundClientsTokenCarriesTheThumbprintOfTheCertificatePresented() throws Exception {
        IssuedToken issued = grant.handle(new GrantRequest(GrantTypes.CLIENT_CREDENTIALS, bound, THUMBPRINT,
                form()));
        JWTClaimsSet claims = fixture.verify(issued.accessToken(), TokenMinter.ACCESS_TOKEN);
        assertEquals(Map.of("x5t#S256", THUMBPRINT), claims.getJSONObjectClaim("cnf"));
    }

    @Test
    void aCertificateBoundClientGetsNoTokenWithoutItsCertificate() {
        assertEquals("invalid_client", refusal(grant, GrantRequest.of(GrantTypes.CLIENT_CREDENTIALS, bound, form())));
    }
}
