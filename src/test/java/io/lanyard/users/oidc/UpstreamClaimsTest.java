package io.lanyard.users.oidc;

import io.lanyard.users.UpstreamIdentity;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Dex's rules for reading an upstream's claims, without HTTP. */
class UpstreamClaimsTest {

    private static OidcConfig config(List<String> scopes, boolean skipEmailVerified, boolean groups,
                                     OidcConfig.ClaimMapping mapping, boolean override, List<String> allowed) {
        return new OidcConfig("https://sso.example.com", "lanyard", "secret", "https://lanyard.example.com/callback",
                scopes, "sub", "name", skipEmailVerified, groups, false, mapping, override, "consent", null, List.of(),
                false, allowed, Duration.ofSeconds(5));
    }

    private static OidcConfig standard() {
        return config(List.of("profile", "email"), false, true, OidcConfig.ClaimMapping.STANDARD, false, List.of());
    }

    private static Map<String, Object> claims() {
        Map<String, Object> claims = new HashMap<>();
        claims.put("sub", "u-1");
        claims.put("name", "Erin Example");
        claims.put("email", "erin@example.com");
        claims.put("email_verified", true);
        return claims;
    }

    @Test
    void theStandardClaimsMakeThePerson() throws Exception {
        Map<String, Object> claims = claims();
        claims.put("preferred_username", "erin");
        claims.put("groups", List.of("dev", "ops"));
        UpstreamIdentity person = UpstreamClaims.read(claims, standard());
        assertEquals(new UpstreamIdentity("u-1", "erin", "erin", "erin@example.com", true, "Erin Example",
                List.of("dev", "ops")), person);
    }

    @Test
    void withoutAPreferredUsernameTheEmailThenTheIdNameThePerson() throws Exception {
        assertEquals("erin@example.com", UpstreamClaims.read(claims(), standard()).username());
        OidcConfig noEmail = config(List.of("profile"), false, false, OidcConfig.ClaimMapping.STANDARD, false, List.of());
        Map<String, Object> claims = claims();
        claims.remove("email");
        claims.remove("email_verified");
        UpstreamIdentity person = UpstreamClaims.read(claims, noEmail);
        assertEquals("u-1", person.username());
        assertNull(person.email());
        assertFalse(person.emailVerified());
    }

    @Test
    void theIdTheNameAndWithTheEmailScopeAVerifiedFlagAreRequired() {
        for (String missing : List.of("sub", "name", "email", "email_verified")) {
            Map<String, Object> claims = claims();
            claims.remove(missing);
            assertThrows(UpstreamClaims.Unusable.class, () -> UpstreamClaims.read(claims, standard()), missing);
        }
        Map<String, Object> stringFlag = claims();
        stringFlag.put("email_verified", "true");
        assertThrows(UpstreamClaims.Unusable.class, () -> UpstreamClaims.read(stringFlag, standard()));
    }

    @Test
    void insecureSkipEmailVerifiedTakesAMissingFlagAsVerifiedButNeverOverrulesFalse() throws Exception {
        Map<String, Object> claims = claims();
        claims.remove("email_verified");
        OidcConfig skip = config(List.of("email"), true, false, OidcConfig.ClaimMapping.STANDARD, false, List.of());
        assertTrue(UpstreamClaims.read(claims, skip).emailVerified());
        // a self-service address the upstream says it did not verify stays unverified
        claims.put("email_verified", false);
        assertFalse(UpstreamClaims.read(claims, skip).emailVerified());
    }

    @Test
    void claimMappingStandsInOnlyForMissingClaimsUnlessOverridden() throws Exception {
        OidcConfig.ClaimMapping mapping = new OidcConfig.ClaimMapping("login", "mail", "roles");
        Map<String, Object> claims = claims();
        claims.put("login", "erin-login");
        claims.put("mail", "erin@mail.example.com");
        claims.put("roles", List.of("mapped"));
        claims.put("groups", List.of("standard"));
        UpstreamIdentity mapped = UpstreamClaims.read(claims, config(List.of("email"), false, true, mapping, false,
                List.of()));
        assertEquals("erin-login", mapped.preferredUsername(), "no preferred_username: the mapped claim");
        assertEquals("erin@example.com", mapped.email(), "email is there: the standard claim");
        assertEquals(List.of("standard"), mapped.groups());
        UpstreamIdentity overridden = UpstreamClaims.read(claims, config(List.of("email"), false, true, mapping, true,
                List.of()));
        assertEquals("erin@mail.example.com", overridden.email());
        assertEquals(List.of("mapped"), overridden.groups());
    }

    @Test
    void groupsComeOnlyWhenEnabledInEachShapeProvidersSendThem() throws Exception {
        Map<String, Object> claims = claims();
        claims.put("groups", List.of(Map.of("name", "dev"), Map.of("name", "ops")));
        assertEquals(List.of("dev", "ops"), UpstreamClaims.read(claims, standard()).groups());
        claims.put("groups", "solo");
        assertEquals(List.of("solo"), UpstreamClaims.read(claims, standard()).groups());
        OidcConfig off = config(List.of("email"), false, false, OidcConfig.ClaimMapping.STANDARD, false, List.of());
        assertEquals(List.of(), UpstreamClaims.read(claims, off).groups());
        claims.put("groups", List.of(1, 2));
        assertThrows(UpstreamClaims.Unusable.class, () -> UpstreamClaims.read(claims, standard()));
    }

    @Test
    void allowedGroupsAdmitOnlyTheirMembersAndKeepOnlyThoseGroups() throws Exception {
        OidcConfig allowed = config(List.of("email"), false, true, OidcConfig.ClaimMapping.STANDARD, false,
                List.of("k8s-admins", "k8s-devs"));
        Map<String, Object> claims = claims();
        claims.put("groups", List.of("k8s-devs", "payroll"));
        assertEquals(List.of("k8s-devs"), UpstreamClaims.read(claims, allowed).groups());
        claims.put("groups", List.of("payroll"));
        assertThrows(UpstreamClaims.Unusable.class, () -> UpstreamClaims.read(claims, allowed));
    }
}
