package io.lanyard.resourceserver;

import com.nimbusds.jose.proc.BadJOSEException;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.proc.ConfigurableJWTProcessor;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.List;

import static io.lanyard.resourceserver.LanyardTokens.API;
import static io.lanyard.resourceserver.LanyardTokens.DASHBOARD;
import static io.lanyard.resourceserver.LanyardTokens.LEGACY;
import static io.lanyard.resourceserver.LanyardTokens.OTHER_API;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** README "Verifying Lanyard's tokens in your service": plain Nimbus ({@link NimbusAccessTokens}). */
class NimbusResourceServerTest {
    static LanyardTokens lanyard;

    @BeforeAll
    static void start() {
        lanyard = LanyardTokens.start();
    }

    @AfterAll
    static void stop() {
        lanyard.close();
    }

    static ConfigurableJWTProcessor<SecurityContext> example() throws Exception {
        return NimbusAccessTokens.processor(lanyard.issuer(), API);
    }

    /** The example with the typ check Nimbus has out of the box, which is JWT or none. */
    static ConfigurableJWTProcessor<SecurityContext> withNimbusDefaultTyp() throws Exception {
        ConfigurableJWTProcessor<SecurityContext> processor = example();
        processor.setJWSTypeVerifier(new DefaultJWTProcessor<>().getJWSTypeVerifier());
        return processor;
    }

    static String refusal(ConfigurableJWTProcessor<SecurityContext> processor, String token) {
        return assertThrows(BadJOSEException.class, () -> processor.process(token, null)).getMessage();
    }

    @Test
    void acceptsAnAccessTokenThroughDiscovery() throws Exception {
        String token = lanyard.token(DASHBOARD);
        JWTClaimsSet claims = example().process(token, null);
        assertEquals(lanyard.issuer(), claims.getIssuer());
        assertEquals(DASHBOARD, claims.getSubject());
        assertEquals(List.of(API), claims.getAudience());
        assertEquals("reports.read", claims.getStringClaim("scope"));
    }

    @Test
    void refusesATokenForAnotherAudience() throws Exception {
        assertEquals("JWT audience rejected: [" + OTHER_API + "]",
                refusal(example(), lanyard.token(DASHBOARD, OTHER_API)));
    }

    @Test
    void refusesAnExpiredToken() throws Exception {
        assertEquals("Expired JWT", refusal(example(), lanyard.expiredToken(DASHBOARD)));
    }

    @Test
    void refusesATamperedOrUnsignedToken() throws Exception {
        String token = lanyard.token(DASHBOARD);
        assertEquals("Signed JWT rejected: Invalid signature", refusal(example(), LanyardTokens.tampered(token)));
        assertEquals("Unsecured (plain) JWTs are rejected, extend class to handle",
                refusal(example(), LanyardTokens.unsigned(token)));
    }

    @Test
    void refusesAnIdTokenForTheSameAudience() throws Exception {
        String idToken = lanyard.idToken();
        assertEquals("JOSE header typ (type) JWT not allowed", refusal(example(), idToken));
        // with Nimbus's default typ check it is the missing client_id that tells an id_token apart
        assertEquals("JWT missing required claims: [client_id]", refusal(withNimbusDefaultTyp(), idToken));
    }

    @Test
    void nimbusDefaultTypCheckRefusesAtJwt() throws Exception {
        String token = lanyard.token(DASHBOARD);
        assertEquals("at+jwt", LanyardTokens.typ(token));
        assertEquals("JOSE header typ (type) at+jwt not allowed", refusal(withNimbusDefaultTyp(), token));
    }

    @Test
    void aClientWithoutTypGetsTokensNimbusDefaultTypCheckAccepts() throws Exception {
        String token = lanyard.token(LEGACY);
        assertNull(LanyardTokens.typ(token), "accessTokenTyp none: no typ header");
        assertEquals(LEGACY, withNimbusDefaultTyp().process(token, null).getSubject());
        // and the example, which insists on at+jwt, refuses it
        assertEquals("Required JOSE header typ (type) parameter is missing", refusal(example(), token));
    }
}
